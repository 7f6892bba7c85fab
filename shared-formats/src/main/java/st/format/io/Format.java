package st.format.io;

/** Constants of the binary layout shared by {@link ModuleWriter} and {@link ModuleReader}; see docs/FORMAT.md. */
public final class Format {
    private Format() {}

    /** {@code 89 53 54 4D 0D 0A 1A 0A}: a high byte, "STM", CR LF, ^Z, LF, like PNG's, to catch text-mode mangling. */
    public static final byte[] MAGIC = {(byte) 0x89, 'S', 'T', 'M', 0x0D, 0x0A, 0x1A, 0x0A};
    public static final int MAJOR = 1;
    public static final int MINOR = 1;

    public static final int HEADER_SIZE = 40;
    public static final int SECTION_ENTRY_SIZE = 24;
    public static final int ALIGNMENT = 8;

    /** An absent optional string or index. */
    public static final int NONE = 0xFFFFFFFF;

    /** Literals nest (arrays in arrays, blocks in blocks) at most this deep. */
    public static final int MAX_LITERAL_DEPTH = 255;

    /** All methods' literal frames together stand for at most this many objects; see LiteralNesting. */
    public static final long MAX_EXPANDED_LITERALS = 1L << 24;

    // Literal tags (the first byte of each LITS entry).
    public static final int LIT_NIL = 0, LIT_TRUE = 1, LIT_FALSE = 2, LIT_SMALL_INT = 3, LIT_LARGE_INT = 4,
            LIT_FLOAT = 5, LIT_SCALED = 6, LIT_CHAR = 7, LIT_STRING = 8, LIT_SYMBOL = 9, LIT_BYTES = 10,
            LIT_ARRAY = 11, LIT_BINDING = 12, LIT_BLOCK = 13;

    static long align(long n) { return (n + ALIGNMENT - 1) & -ALIGNMENT; }
}
