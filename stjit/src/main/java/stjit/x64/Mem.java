package stjit.x64;

import java.util.Objects;

/**
 * A memory operand: {@code [base + index*scale + disp]}, an absolute {@code [disp32]}, or
 * RIP-relative to a {@link Label} or to an external symbol (which records a REL32 relocation).
 * The width of the access is given by the instruction, not by the operand.
 */
public final class Mem implements Operand {
    final Reg base;      // null: no base register
    final Reg index;     // null: no index register
    final int scale;     // 1, 2, 4 or 8
    final int disp;
    final Label label;   // RIP-relative to this label, or
    final String symbol; // RIP-relative to this external symbol (+ disp as addend)

    private Mem(Reg base, Reg index, int scale, int disp, Label label, String symbol) {
        this.base = base;
        this.index = index;
        this.scale = scale;
        this.disp = disp;
        this.label = label;
        this.symbol = symbol;
    }

    /** {@code [base + disp]} */
    public static Mem of(Reg base, int disp) {
        return new Mem(Objects.requireNonNull(base, "base"), null, 1, disp, null, null);
    }

    /** {@code [base]} */
    public static Mem of(Reg base) { return of(base, 0); }

    /** {@code [base + index*scale + disp]}; base may be null for {@code [index*scale + disp32]}. */
    public static Mem of(Reg base, Reg index, int scale, int disp) {
        Objects.requireNonNull(index, "index");
        if (index == Reg.RSP) throw new IllegalArgumentException("rsp cannot be an index register");
        if (scale != 1 && scale != 2 && scale != 4 && scale != 8)
            throw new IllegalArgumentException("scale must be 1, 2, 4 or 8, not " + scale);
        return new Mem(base, index, scale, disp, null, null);
    }

    /** {@code [disp32]}: an absolute address in the low 2 GiB (sign-extended). */
    public static Mem absolute(int address) { return new Mem(null, null, 1, address, null, null); }

    /** {@code [rip + (label - next instruction)]} */
    public static Mem rip(Label label) {
        return new Mem(null, null, 1, 0, Objects.requireNonNull(label, "label"), null);
    }

    /** {@code [rip + (symbol + addend - next instruction)]}, resolved by a REL32 relocation. */
    public static Mem rip(String symbol, int addend) {
        Objects.requireNonNull(symbol, "symbol");
        if (symbol.isEmpty()) throw new IllegalArgumentException("empty symbol name");
        return new Mem(null, null, 1, addend, null, symbol);
    }

    public static Mem rip(String symbol) { return rip(symbol, 0); }

    boolean isRipRelative() { return label != null || symbol != null; }

    /** Intel syntax, as in a disassembly listing (labels and symbols shown by name). */
    @Override public String toString() {
        if (label != null) return "[rip+" + label + "]";
        if (symbol != null) return "[rip+" + symbol + (disp != 0 ? signedHex(disp) : "") + "]";
        StringBuilder sb = new StringBuilder("[");
        if (base != null) sb.append(base.name(Width.QWORD));
        if (index != null) {
            if (base != null) sb.append('+');
            sb.append(index.name(Width.QWORD)).append('*').append(scale);
        }
        if (base == null && index == null) sb.append(String.format("0x%x", disp));
        else if (disp != 0) sb.append(signedHex(disp));
        return sb.append(']').toString();
    }

    private static String signedHex(long v) { return v < 0 ? "-0x" + Long.toHexString(-v) : "+0x" + Long.toHexString(v); }

    @Override public boolean equals(Object o) {
        return o instanceof Mem m && m.base == base && m.index == index && m.scale == scale && m.disp == disp
                && m.label == label && Objects.equals(m.symbol, symbol);
    }

    @Override public int hashCode() { return Objects.hash(base, index, scale, disp, label, symbol); }
}
