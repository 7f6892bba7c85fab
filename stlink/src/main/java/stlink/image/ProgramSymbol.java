package stlink.image;

/**
 * A named place in a linked program, for debuggers, profilers and {@code objdump}.
 *
 * @param local visible only inside the library that defined it (an ELF {@code STB_LOCAL} symbol)
 */
public record ProgramSymbol(String name, Section section, long offset, long size, Type type, boolean local) {

    public enum Type {
        /** Code: a method, a block or a stub. */
        FUNCTION,
        /** Data: an object of the initial heap, a table, a string. */
        OBJECT,
        /** A bare address, such as the end of a section. */
        LABEL
    }
}
