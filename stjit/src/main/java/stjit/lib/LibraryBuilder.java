package stjit.lib;

import st.format.model.MethodDef;
import st.format.model.Module;
import st.format.model.NativeCode;
import stjit.image.HeapImage;
import stjit.image.ImageBuilder;
import stjit.nativize.Nativizer;
import stjit.nativize.Stubs;
import stjit.x64.Assembled;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Nativizes every method of a module ahead of time into a library: the module plus one text blob
 * with a symbol per method and block and the relocations a linker applies (docs/RUNTIME.md). The
 * kernel's library also carries the runtime stubs and the executable's entry {@code _start}.
 * The heap layout the code refers to is named by symbols only, so the library does not depend on
 * where the heap or the code end up.
 */
public final class LibraryBuilder {
    private LibraryBuilder() {}

    /**
     * @param context the modules this one is linked with, kernel first, excluding {@code module}
     *                (empty when {@code module} is the kernel itself)
     */
    public static Module build(List<Module> context, Module module, Module.Target target) {
        List<Module> all = new ArrayList<>(context);
        all.add(module);
        HeapImage image = ImageBuilder.build(all);
        Nativizer nativizer = new Nativizer(image);
        Map<MethodDef, Integer> indexOf = new IdentityHashMap<>();
        for (int i = 0; i < module.methods().size(); i++) indexOf.put(module.methods().get(i), i);

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<NativeCode.Symbol> symbols = new ArrayList<>();
        List<NativeCode.Relocation> relocations = new ArrayList<>();
        List<NativeCode.LineRow> lines = new ArrayList<>();
        if (module.classes().stream().anyMatch(c -> c.name().equals("Runtime"))) {
            Stubs.Code stubs = Stubs.emit();
            append(text, symbols, relocations, stubs.code(), stubs.entries(), NativeCode.SymbolKind.STUB, -1);
            Stubs.Code start = target == Module.Target.WINDOWS_X64 ? Stubs.emitWindowsStart() : Stubs.emitElfStart();
            append(text, symbols, relocations, start.code(), start.entries(), NativeCode.SymbolKind.STUB, -1);
        }
        for (int i = 0; i < module.methods().size(); i++) {
            MethodDef def = module.methods().get(i);
            HeapImage.CodeInfo info = image.method(def.qualifiedName());
            if (info == null || !info.code().equals(def.code())) continue; // replaced by a later definition
            Nativizer.Result result = nativizer.nativize(info);
            int base = append(text, symbols, relocations, result.code(), result.entries(), null, i);
            for (NativeCode.LineRow row : result.lines()) lines.add(new NativeCode.LineRow(base + row.offset(), row.line()));
        }
        return module.withNativeCode(Module.Kind.LIBRARY, target,
                new NativeCode(text.toByteArray(), List.copyOf(symbols), List.copyOf(relocations), lines));
    }

    /** Appends code on a 16-byte boundary; answers where it starts in the text. */
    private static int append(ByteArrayOutputStream text, List<NativeCode.Symbol> symbols,
                               List<NativeCode.Relocation> relocations, Assembled code, List<Nativizer.Entry> entries,
                               NativeCode.SymbolKind kind, int methodIndex) {
        while (text.size() % 16 != 0) text.write(0xCC);
        int base = text.size();
        text.writeBytes(code.code());
        for (int k = 0; k < entries.size(); k++) {
            Nativizer.Entry e = entries.get(k);
            int end = k + 1 < entries.size() ? entries.get(k + 1).offset() : code.size();
            NativeCode.SymbolKind symbolKind = kind != null ? kind
                    : e.info() != null && e.info().block() ? NativeCode.SymbolKind.BLOCK : NativeCode.SymbolKind.METHOD;
            symbols.add(new NativeCode.Symbol(e.symbol(), symbolKind, base + e.offset(), end - e.offset(), methodIndex));
        }
        for (NativeCode.Relocation r : code.relocations())
            relocations.add(new NativeCode.Relocation(base + r.offset(), r.kind(), r.target(), r.addend()));
        return base;
    }
}
