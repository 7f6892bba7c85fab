package stjit.x64;

/** A named code offset recorded with {@link Assembler#mark(String)}, e.g. an inline-cache site
 *  the runtime re-patches later. The offset is where the next instruction after the mark starts. */
public record Mark(String name, int offset) {}
