package stlink.link;

import org.junit.jupiter.api.Test;
import st.format.model.CodeDef;
import st.format.model.Literal;
import st.format.model.MethodDef;
import st.format.model.Module;
import st.format.model.NativeCode;
import stlink.elf.ElfWriter;
import stlink.image.Program;
import stlink.pe.PeWriter;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A kernel-sized program links in well under the time a build can afford. */
class ScaleTest {
    static final int METHODS = 20_000, CALLS_PER_METHOD = 5, METHOD_SIZE = 64;

    static Module big() {
        byte[] text = new byte[METHODS * METHOD_SIZE + 16];
        List<NativeCode.Symbol> symbols = new ArrayList<>();
        List<NativeCode.Relocation> relocations = new ArrayList<>();
        List<MethodDef> methods = new ArrayList<>();
        symbols.add(new NativeCode.Symbol("_start", NativeCode.SymbolKind.STUB, 0, 16, -1));
        relocations.add(new NativeCode.Relocation(1, NativeCode.RelocationKind.REL32, "C0>>m0", 0));
        for (int i = 0; i < METHODS; i++) {
            int at = 16 + i * METHOD_SIZE;
            // Every even method sends the selectors of the next few; odd ones are never sent.
            List<Literal> literals = new ArrayList<>();
            for (int k = 1; k <= CALLS_PER_METHOD; k++) {
                int callee = (i + 2 * k) % METHODS;
                literals.add(new Literal.Sym("m" + callee));
                relocations.add(new NativeCode.Relocation(at + 8 * k, k % 2 == 0 ? NativeCode.RelocationKind.ABS64
                        : NativeCode.RelocationKind.REL32, "sym:m" + callee, 0));
            }
            methods.add(new MethodDef("C" + i, false, "m" + i, "x", 0, null, List.of(),
                    new CodeDef(0, 0, 0, 1, 0, new byte[0], literals, List.of()), 0, i + 1, 1, ""));
            symbols.add(new NativeCode.Symbol("C" + i + ">>m" + i, NativeCode.SymbolKind.METHOD, at, METHOD_SIZE, i));
            symbols.add(new NativeCode.Symbol("sym:m" + i, NativeCode.SymbolKind.DATA, at + 60, 4, -1));
        }
        return new Module(Module.Kind.LIBRARY, Module.Target.ANY, 0, "big", List.of("big.st"), List.of(), methods,
                List.of(), List.of(), List.of(), new NativeCode(text, symbols, relocations));
    }

    @Test void aBigProgramLinksPrunesAndWritesQuickly() {
        Module m = big();
        long start = System.nanoTime();
        List<LibraryInput> inputs = List.of(new LibraryInput("big.stl", m));
        DeadCode.Result pruned = DeadCode.prune(inputs, "_start", null, List.of());
        assertEquals(METHODS / 2, pruned.removed().size(), "odd methods are never sent");
        Program p = Linker.link(pruned.libraries(), null, Module.Target.LINUX_X64, "_start").program();
        byte[] elf = ElfWriter.write(p);
        Program w = Linker.link(inputs, null, Module.Target.WINDOWS_X64, "_start").program();
        byte[] pe = PeWriter.write(w);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elf.length > METHODS / 2 * METHOD_SIZE && pe.length > METHODS * METHOD_SIZE);
        assertTrue(millis < 60_000, "took " + millis + " ms: something has gone quadratic");
    }
}
