package stjit.x64;

import st.format.model.NativeCode;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * The result of {@link Assembler#finish()}: the machine code, the relocations still to apply
 * (offsets are into {@link #code()}), the marks, and the final offset of every bound label.
 */
public final class Assembled {
    private final byte[] code;
    private final List<NativeCode.Relocation> relocations;
    private final List<Mark> marks;
    private final Assembler owner;
    private final int[] labelOffsets;

    Assembled(byte[] code, List<NativeCode.Relocation> relocations, List<Mark> marks, Assembler owner, int[] labelOffsets) {
        this.code = code;
        this.relocations = List.copyOf(relocations);
        this.marks = List.copyOf(marks);
        this.owner = owner;
        this.labelOffsets = labelOffsets;
    }

    /** A copy of the machine code, with every relocation site still zero. */
    public byte[] code() { return code.clone(); }

    public int size() { return code.length; }

    /** Relocations in ascending offset order; REL32 follows NativeCode's definition
     *  (target + addend - (site + 4)), so the addend already accounts for trailing immediates. */
    public List<NativeCode.Relocation> relocations() { return relocations; }

    /** Marks in the order they were recorded. */
    public List<Mark> marks() { return marks; }

    /** The offset of the first mark with this name. */
    public int markOffset(String name) {
        for (Mark m : marks) if (m.name().equals(name)) return m.offset();
        throw new IllegalArgumentException("no mark named " + name);
    }

    /** The final offset of a bound label of the assembler that produced this result. */
    public int offsetOf(Label label) {
        Objects.requireNonNull(label, "label");
        if (label.owner != owner) throw new IllegalArgumentException("label " + label + " belongs to another assembler");
        int off = labelOffsets[label.id];
        if (off < 0) throw new IllegalArgumentException("label " + label + " was never bound");
        return off;
    }

    /**
     * The code as it will run at {@code baseAddress}, with every relocation applied using
     * {@code symbolAddress} to find each target. Used by an in-process JIT and by tests; a linker
     * applies the same rules to its own layout.
     *
     * @throws IllegalArgumentException if a REL32 target is out of reach of the site
     */
    public byte[] relocatedAt(long baseAddress, ToLongFunction<String> symbolAddress) {
        byte[] out = code.clone();
        for (NativeCode.Relocation r : relocations) {
            long target = symbolAddress.applyAsLong(r.target()) + r.addend();
            switch (r.kind()) {
                case ABS64 -> putLong(out, r.offset(), target);
                case REL32 -> {
                    long rel = target - (baseAddress + r.offset() + 4);
                    if (rel != (int) rel)
                        throw new IllegalArgumentException("REL32 to " + r.target() + " at offset " + r.offset()
                                + " is out of range (" + rel + ")");
                    putInt(out, r.offset(), (int) rel);
                }
            }
        }
        return out;
    }

    static void putInt(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) b[at + i] = (byte) (v >>> (8 * i));
    }

    static void putLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) b[at + i] = (byte) (v >>> (8 * i));
    }

    @Override public String toString() {
        return "Assembled[" + code.length + " bytes, " + relocations.size() + " relocations, " + marks.size() + " marks]";
    }

    @Override public boolean equals(Object o) {
        return o instanceof Assembled a && Arrays.equals(a.code, code) && a.relocations.equals(relocations) && a.marks.equals(marks);
    }

    @Override public int hashCode() { return Arrays.hashCode(code); }
}
