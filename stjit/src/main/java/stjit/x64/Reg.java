package stjit.x64;

/** The sixteen general-purpose registers, in hardware encoding order. The width of an access is
 *  chosen by the instruction ({@link Width}); {@link #name(Width)} gives the matching view. */
public enum Reg implements Operand {
    RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15;

    private static final String[][] NAMES = {
        {"al", "ax", "eax", "rax"}, {"cl", "cx", "ecx", "rcx"}, {"dl", "dx", "edx", "rdx"},
        {"bl", "bx", "ebx", "rbx"}, {"spl", "sp", "esp", "rsp"}, {"bpl", "bp", "ebp", "rbp"},
        {"sil", "si", "esi", "rsi"}, {"dil", "di", "edi", "rdi"},
    };

    private static final Reg[] ALL = values();

    /** The 4-bit hardware number (0..15). */
    public int code() { return ordinal(); }

    /** True for R8..R15, which need a REX extension bit. */
    public boolean isExtended() { return ordinal() >= 8; }

    int low3() { return ordinal() & 7; }

    /** Byte views of RSP/RBP/RSI/RDI (spl..dil) only exist with a REX prefix present. */
    boolean byteViewNeedsRex() { return ordinal() >= 4 && ordinal() <= 7; }

    /** The register's name at the given width, as Intel syntax spells it (e.g. r9d, sil, ax). */
    public String name(Width width) {
        int w = switch (width) { case BYTE -> 0; case WORD -> 1; case DWORD -> 2; case QWORD -> 3; };
        if (ordinal() < 8) return NAMES[ordinal()][w];
        String base = "r" + ordinal();
        return switch (width) { case BYTE -> base + "b"; case WORD -> base + "w"; case DWORD -> base + "d"; case QWORD -> base; };
    }

    public static Reg of(int code) {
        if (code < 0 || code > 15) throw new IllegalArgumentException("no register number " + code);
        return ALL[code];
    }
}
