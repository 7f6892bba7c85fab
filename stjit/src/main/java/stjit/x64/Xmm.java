package stjit.x64;

/** The sixteen SSE registers, in hardware encoding order. */
public enum Xmm implements Operand {
    XMM0, XMM1, XMM2, XMM3, XMM4, XMM5, XMM6, XMM7, XMM8, XMM9, XMM10, XMM11, XMM12, XMM13, XMM14, XMM15;

    private static final Xmm[] ALL = values();

    public int code() { return ordinal(); }

    public String asmName() { return "xmm" + ordinal(); }

    public static Xmm of(int code) {
        if (code < 0 || code > 15) throw new IllegalArgumentException("no xmm register number " + code);
        return ALL[code];
    }
}
