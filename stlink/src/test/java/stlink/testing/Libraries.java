package stlink.testing;

import st.format.model.Module;
import st.format.model.NativeCode;

import java.util.List;

/** Builds in-memory libraries for linker tests. */
public final class Libraries {
    private Libraries() {}

    public static Module library(String name, Module.Target target, byte[] text, List<NativeCode.Symbol> symbols,
                                 List<NativeCode.Relocation> relocations, List<String> exports, List<String> imports) {
        return new Module(Module.Kind.LIBRARY, target, 0, name, List.of(), List.of(), List.of(), List.of(),
                imports, exports, new NativeCode(text, symbols, relocations));
    }

    public static Module library(String name, byte[] text, List<NativeCode.Symbol> symbols,
                                 List<NativeCode.Relocation> relocations) {
        return library(name, Module.Target.ANY, text, symbols, relocations, List.of(), List.of());
    }

    public static NativeCode.Symbol method(String name, int offset, int size) {
        return new NativeCode.Symbol(name, NativeCode.SymbolKind.METHOD, offset, size, -1);
    }

    public static NativeCode.Symbol data(String name, int offset, int size) {
        return new NativeCode.Symbol(name, NativeCode.SymbolKind.DATA, offset, size, -1);
    }

    public static NativeCode.Relocation rel32(int offset, String target, long addend) {
        return new NativeCode.Relocation(offset, NativeCode.RelocationKind.REL32, target, addend);
    }

    public static NativeCode.Relocation abs64(int offset, String target, long addend) {
        return new NativeCode.Relocation(offset, NativeCode.RelocationKind.ABS64, target, addend);
    }
}
