package st.format.model;

import java.util.List;

/**
 * Native code of a library: one text blob, with a symbol per method, block and stub, and the
 * relocations a linker or loader applies.
 */
public record NativeCode(byte[] text, List<Symbol> symbols, List<Relocation> relocations) {

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

    @Override public boolean equals(Object o) {
        return o instanceof NativeCode n && java.util.Arrays.equals(n.text, text) && n.symbols.equals(symbols)
                && n.relocations.equals(relocations);
    }

    @Override public int hashCode() { return java.util.Arrays.hashCode(text); }
}
