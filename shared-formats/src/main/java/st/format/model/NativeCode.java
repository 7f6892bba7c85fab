package st.format.model;

import java.util.List;

/**
 * Native code of a library: one text blob, with a symbol per method, block and stub, the
 * relocations a linker or loader applies, and the source line each stretch of code came from.
 */
public record NativeCode(byte[] text, List<Symbol> symbols, List<Relocation> relocations, List<LineRow> lines) {

    public NativeCode {
        lines = List.copyOf(lines);
    }

    /** Native code without line information. */
    public NativeCode(byte[] text, List<Symbol> symbols, List<Relocation> relocations) {
        this(text, symbols, relocations, List.of());
    }

    public enum SymbolKind { METHOD, BLOCK, STUB, DATA }

    /** @param method index into {@link Module#methods()} for METHOD and BLOCK symbols, else -1 */
    public record Symbol(String name, SymbolKind kind, int offset, int size, int method) {}

    public enum RelocationKind {
        /** 64-bit absolute address of the target plus addend. */
        ABS64,
        /** 32-bit pc-relative displacement: target + addend - (site + 4). */
        REL32
    }

    /** @param target a symbol name, defined in this library or imported from another */
    public record Relocation(int offset, RelocationKind kind, String target, long addend) {}

    /**
     * Code from {@code offset} in the text on, up to the next row or the end of the symbol that
     * holds it, came from {@code line} of its method's source file. Rows are in strictly
     * increasing offset order.
     */
    public record LineRow(int offset, int line) {}

    @Override public boolean equals(Object o) {
        return o instanceof NativeCode n && java.util.Arrays.equals(n.text, text) && n.symbols.equals(symbols)
                && n.relocations.equals(relocations) && n.lines.equals(lines);
    }

    @Override public int hashCode() { return java.util.Arrays.hashCode(text); }
}
