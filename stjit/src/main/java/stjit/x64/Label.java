package stjit.x64;

/** A position in the code being assembled. Created by {@link Assembler#newLabel}, bound once with
 *  {@link Assembler#bind}; may be referenced before it is bound. Its final offset is known only
 *  after {@link Assembler#finish()}, through {@link Assembled#offsetOf(Label)}. */
public final class Label {
    final Assembler owner;
    final int id;
    final String name;
    boolean bound;

    Label(Assembler owner, int id, String name) {
        this.owner = owner;
        this.id = id;
        this.name = name;
    }

    public String name() { return name; }

    public boolean isBound() { return bound; }

    @Override public String toString() { return name != null ? name : "L" + id; }
}
