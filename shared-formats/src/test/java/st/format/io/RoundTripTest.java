package st.format.io;

import org.junit.jupiter.api.Test;
import st.format.model.CodeDef;
import st.format.model.Literal;
import st.format.model.Module;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RoundTripTest {

    @Test void moduleRoundTripsAndRewritesIdentically() throws Exception {
        Module m = Samples.module();
        byte[] bytes = ModuleWriter.write(m);
        ModuleFile back = ModuleReader.read(bytes);
        assertEquals(m, back.module());
        assertTrue(back.rawSections().isEmpty());
        assertArrayEquals(bytes, ModuleWriter.write(back));
        assertArrayEquals(bytes, ModuleWriter.write(Samples.module()), "same module, same bytes");
    }

    @Test void libraryWithNativeCodeAndRawSectionsRoundTrips() throws Exception {
        ModuleFile lib = Samples.library();
        byte[] bytes = ModuleWriter.write(lib);
        ModuleFile back = ModuleReader.read(bytes);
        assertEquals(lib, back);
        assertEquals(Module.Kind.LIBRARY, back.module().kind());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, back.raw(Section.HEAP));
        assertNull(back.raw(Section.HREL));
        assertArrayEquals(bytes, ModuleWriter.write(back));
    }

    @Test void everyLiteralKindRoundTripsBitExactly() throws Exception {
        List<Literal> all = Samples.everyLiteral();
        Module m = Samples.module();
        {
            var code = new CodeDef(0, 0, 0, 1, 0, new byte[] {0x51}, all, List.of());
            var method = new st.format.model.MethodDef("Lits", false, "all", null, 0, null, List.of(), code, -1, 0, 0, null);
            m = new Module(m.kind(), m.target(), m.flags(), m.name(), m.sourceFiles(), m.classes(), List.of(method),
                    List.of(), List.of(), List.of(), null);
        }
        Module back = ModuleReader.read(ModuleWriter.write(m)).module();
        List<Literal> read = back.methods().getFirst().code().literals();
        assertEquals(all, read);
        for (int i = 0; i < all.size(); i++)
            if (all.get(i) instanceof Literal.Float(double v))
                assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(((Literal.Float) read.get(i)).value()));
    }

    @Test void sharedLiteralsAndStringsAreStoredOnce() throws Exception {
        Module m = Samples.module();
        byte[] bytes = ModuleWriter.write(m);
        FileLayout layout = ModuleReader.layout(bytes);
        // "Point" is a class name, method class, export and symbol owner, but one string.
        String all = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(all.indexOf("I am a point."), all.lastIndexOf("I am a point."));
        assertEquals(10, layout.sections().size(), "a module has the ten core sections and no native ones");
    }

    @Test void emptyModuleRoundTrips() throws Exception {
        Module empty = new Module(Module.Kind.IMAGE, Module.Target.WINDOWS_X64, 7, null, List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of(), null);
        byte[] bytes = ModuleWriter.write(empty);
        assertEquals(empty, ModuleReader.read(bytes).module());
        assertEquals(0, bytes.length % 8);
    }

    @Test void writerRejectsWhatTheReaderWouldRefuse() {
        Module m = Samples.module();
        var bad = new CodeDef(0, 0, 0, 1, 0, new byte[] {0x06, 0x03, 0x00, 0x50}, List.of(), List.of());
        var method = new st.format.model.MethodDef("X", false, "y", null, 0, null, List.of(), bad, 0, 1, 1, null);
        Module withBad = new Module(m.kind(), m.target(), 0, "m", List.of("a.st"), List.of(), List.of(method),
                List.of(), List.of(), List.of(), null);
        var e = assertThrows(IllegalArgumentException.class, () -> ModuleWriter.write(withBad));
        assertEquals("X>>y: pc 0: push_literal: literal index 3 out of range (0 literals)", e.getMessage());

        var noFile = new st.format.model.MethodDef("X", false, "y", null, 0, null, List.of(),
                new CodeDef(0, 0, 0, 0, 0, new byte[] {0x51}, List.of(), List.of()), 1, 1, 1, null);
        Module badFile = new Module(m.kind(), m.target(), 0, "m", List.of("a.st"), List.of(), List.of(noFile),
                List.of(), List.of(), List.of(), null);
        assertThrows(IllegalArgumentException.class, () -> ModuleWriter.write(badFile));
    }

    @Test void deeplyNestedLiteralsAreRejectedByTheWriter() {
        Literal deep = Literal.Constant.NIL;
        for (int i = 0; i < Format.MAX_LITERAL_DEPTH; i++) deep = new Literal.Array(List.of(deep));
        var code = new CodeDef(0, 0, 0, 1, 0, new byte[] {0x06, 0, 0, 0x50}, List.of(deep), List.of());
        var method = new st.format.model.MethodDef("X", false, "y", null, 0, null, List.of(), code, -1, 1, 1, null);
        Module m = new Module(Module.Kind.MODULE, Module.Target.ANY, 0, "m", List.of(), List.of(), List.of(method),
                List.of(), List.of(), List.of(), null);
        assertThrows(IllegalArgumentException.class, () -> ModuleWriter.write(m));
    }
}
