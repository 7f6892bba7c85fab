package stlink.link;

import org.junit.jupiter.api.Test;
import st.format.model.CodeDef;
import st.format.model.Literal;
import st.format.model.MethodDef;
import st.format.model.Module;
import st.format.model.NativeCode;
import stlink.image.Program;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static stlink.testing.Libraries.*;

public class DeadCodeTest {
    static CodeDef code(Literal... literals) {
        // return_self: the literals carry the references under test, and the format refuses empty code
        return new CodeDef(0, 0, 0, 1, 0, new byte[] {0x51}, List.of(literals), List.of());
    }

    static MethodDef def(String className, String selector, CodeDef code) {
        return new MethodDef(className, false, selector, "test", 0, null, List.of(), code, 0, 1, 1, selector);
    }

    static NativeCode.Symbol sym(String name, NativeCode.SymbolKind kind, int offset, int size, int method) {
        return new NativeCode.Symbol(name, kind, offset, size, method);
    }

    /**
     * _start calls Main>>run, which sends #greet and has a block sending #wave. Greeter>>unused is
     * sent by nobody; Other>>alsoUnused only by it. The runtime sends doesNotUnderstand:.
     */
    public static Module app(Literal... extraRunLiterals) {
        byte[] text = new byte[68];
        for (int i = 0; i < text.length; i++) text[i] = (byte) i;
        List<Literal> runLiterals = new java.util.ArrayList<>(List.of(new Literal.Sym("greet"),
                new Literal.Block(code(new Literal.Sym("wave")))));
        runLiterals.addAll(List.of(extraRunLiterals));
        List<MethodDef> methods = List.of(
                def("Main", "run", code(runLiterals.toArray(Literal[]::new))),
                def("Greeter", "greet", code()),
                def("Greeter", "unused", code(new Literal.Sym("alsoUnused"))),
                def("Greeter", "wave", code()),
                def("Other", "alsoUnused", code()),
                def("Greeter", "doesNotUnderstand:", code()));
        NativeCode nc = new NativeCode(text, List.of(
                sym("_start", NativeCode.SymbolKind.STUB, 0, 8, -1),
                sym("Main>>run", NativeCode.SymbolKind.METHOD, 8, 16, 0),
                sym("[] in Main>>run", NativeCode.SymbolKind.BLOCK, 24, 8, 0),
                sym("Greeter>>greet", NativeCode.SymbolKind.METHOD, 32, 8, 1),
                sym("Greeter>>unused", NativeCode.SymbolKind.METHOD, 40, 16, 2),
                sym("Greeter>>wave", NativeCode.SymbolKind.METHOD, 56, 4, 3),
                sym("Other>>alsoUnused", NativeCode.SymbolKind.METHOD, 60, 4, 4),
                sym("Greeter>>doesNotUnderstand:", NativeCode.SymbolKind.METHOD, 64, 4, 5),
                sym(".helper", NativeCode.SymbolKind.STUB, 66, 2, -1)),
                List.of(rel32(1, "Main>>run", 0), rel32(41, "Greeter>>greet", 0), rel32(57, ".helper", 0)));
        return new Module(Module.Kind.LIBRARY, Module.Target.ANY, 0, "app", List.of("app.st"), List.of(), methods,
                List.of(), List.of(), List.of(), nc);
    }

    static List<LibraryInput> inputs(Module m) { return List.of(new LibraryInput("app.stl", m)); }

    @Test void unreachableMethodsAreRemovedAndTheRestRenumbered() {
        DeadCode.Result r = DeadCode.prune(inputs(app()), "_start", null, List.of());
        assertEquals(List.of("Greeter>>unused", "Other>>alsoUnused"), r.removed());
        assertEquals(20, r.bytesRemoved());
        Module m = r.libraries().getFirst().module();
        NativeCode nc = m.nativeCode();
        assertEquals(48, nc.text().length);
        NativeCode.Symbol wave = nc.symbols().stream().filter(s -> s.name().equals("Greeter>>wave")).findFirst().orElseThrow();
        assertEquals(40, wave.offset());
        assertEquals(56, nc.text()[40], "the code moved with its symbol");
        assertEquals("wave", m.methods().get(wave.method()).selector());
        assertEquals(4, m.methods().size());
        assertEquals(List.of(rel32(1, "Main>>run", 0), rel32(41, ".helper", 0)), nc.relocations());
        Program p = Linker.link(r.libraries(), null, Module.Target.LINUX_X64, "_start").program();
        assertEquals(48, p.text().length);
    }

    @Test void performMakesEveryLiteralSelectorReachable() {
        // #alsoUnused appears only inside dead code, yet perform: could send it; #unused appears nowhere.
        DeadCode.Result r = DeadCode.prune(inputs(app(new Literal.Sym("perform:"))), "_start", null, List.of());
        assertEquals(List.of("Greeter>>unused"), r.removed());
    }

    @Test void performAlsoCountsStrings() {
        // Other>>alsoUnused is named only by a Symbol inside dead code, Greeter>>unused by a String.
        DeadCode.Result r = DeadCode.prune(inputs(app(new Literal.Sym("perform:with:"), new Literal.Str("unused"))),
                "_start", null, List.of());
        assertEquals(List.of(), r.removed());
    }

    @Test void theKeepListNamesMethodsSelectorsAndClasses() {
        // A kept method keeps what it sends.
        assertEquals(List.of(), DeadCode.prune(inputs(app()), "_start", null, List.of("Greeter>>unused")).removed());
        assertEquals(List.of("Greeter>>unused"),
                DeadCode.prune(inputs(app()), "_start", null, List.of("#alsoUnused")).removed());
        assertEquals(List.of("Greeter>>unused"),
                DeadCode.prune(inputs(app()), "_start", null, List.of("Other")).removed());
    }

    @Test void startupMethodsAndTheEntryMethodAreRoots() {
        Module m = app();
        Module withStartup = new Module(m.kind(), m.target(), m.flags(), m.name(), m.sourceFiles(), m.classes(), m.methods(),
                List.of(new Module.MethodRef("Greeter", false, "unused")), m.imports(), m.exports(), m.nativeCode());
        assertEquals(List.of(), DeadCode.prune(inputs(withStartup), "_start", null, List.of()).removed());
        assertEquals(List.of(), DeadCode.prune(inputs(app()), "_start", "Greeter>>unused", List.of()).removed());
    }

    @Test void dataReferencesToSymbolsAndMethodsCount() {
        Module m = app();
        NativeCode nc = m.nativeCode();
        List<NativeCode.Relocation> relocations = new java.util.ArrayList<>(nc.relocations());
        relocations.add(abs64(2, "sym:alsoUnused", 0));
        relocations.add(abs64(9, "method:Greeter>>unused", 0));
        Module refs = m.withNativeCode(m.kind(), m.target(), new NativeCode(nc.text(), nc.symbols(), relocations));
        assertEquals(List.of(), DeadCode.prune(inputs(refs), "_start", null, List.of()).removed());
    }
}
