package stlink;

import org.junit.jupiter.api.Test;
import st.format.model.Module;
import stlink.elf.ElfWriter;
import stlink.link.DataImage;
import stlink.link.LibraryInput;
import stlink.link.Linker;
import stlink.pe.PeWriter;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static stlink.testing.Libraries.*;

class ReportsTest {
    /** _start (a stub), two methods and a block of Foo, one class method of Bar; a 24-byte image. */
    static Linker.Result linked(Module.Target target) {
        Module lib = library("app", new byte[64], List.of(
                method("_start", 0, 8), method("Foo>>bar", 8, 16), method("[] in Foo>>bar", 24, 8),
                method("Foo>>baz", 32, 4), method("Bar class>>new", 36, 20)), List.of(abs64(48, "__imp_ExitProcess", 0)));
        Module kernel = library("kernel", new byte[10], List.of(method("Object>>yourself", 0, 10)), List.of());
        DataImage image = new DataImage("heap", new byte[24], 100, List.of(new DataImage.Symbol("heap:nil", 0, 16)),
                List.of(new DataImage.Relocation(16, "Foo>>baz", 0)));
        List<LibraryInput> inputs = List.of(new LibraryInput("kernel.stl", kernel), new LibraryInput("app.stl", app(lib, target)));
        return Linker.link(inputs, image, target, "_start");
    }

    private static Module app(Module lib, Module.Target target) {
        if (target == Module.Target.WINDOWS_X64) return lib;
        return library("app", new byte[64], List.of(
                method("_start", 0, 8), method("Foo>>bar", 8, 16), method("[] in Foo>>bar", 24, 8),
                method("Foo>>baz", 32, 4), method("Bar class>>new", 36, 20)), List.of());
    }

    @Test void sizeReportTalliesSectionsInputsAndClasses() {
        Linker.Result r = linked(Module.Target.LINUX_X64);
        String report = SizeReport.render(r.program(), r.placements(), 12345, "linux-x64");
        assertTrue(report.startsWith("executable: 12345 bytes (linux-x64)\n"), report);
        assertTrue(report.matches("(?s).*\\.text\\s+80\n.*"), report);   // 10 bytes, padded to 16, then 64
        assertTrue(report.matches("(?s).*\\.data\\s+32\n.*"), report);   // 24 rounded up to 16
        assertTrue(report.matches("(?s).*\\.bss\\s+112\n.*"), report);
        assertTrue(report.matches("(?s).*\nrest\\s+12233  \\(headers, .*"), report);  // 12345 - 80 - 32
        assertTrue(report.matches("(?s).*app\\.stl\\s+\\.text\\s+64\\s+5\n.*"), report);
        assertTrue(report.matches("(?s).*heap\\s+\\.data\\s+24\\s+1\n.*"), report);
        // Foo: 16 + 8 + 4 bytes, two methods and a block; the largest class comes first.
        int foo = report.indexOf("\nFoo "), bar = report.indexOf("\nBar "), object = report.indexOf("\nObject ");
        assertTrue(foo > 0 && foo < bar && bar < object, report);
        assertTrue(report.matches("(?s).*\nFoo\\s+28\\s+2\\s+1\n.*"), report);
        assertTrue(report.matches("(?s).*\nBar\\s+20\\s+1\\s+0\n.*"), report);
        assertTrue(report.matches("(?s).*\\(stubs and other code\\)\\s+8\\s+1\\s+0\n.*"), report);
    }

    @Test void ownerClassesOfSymbols() {
        assertEquals("Foo", SizeReport.ownerClass("Foo>>bar"));
        assertEquals("Foo", SizeReport.ownerClass("Foo class>>bar:baz:"));
        assertEquals("Foo", SizeReport.ownerClass("[] in Foo class>>bar #2"));
        assertEquals("Foo", SizeReport.ownerClass("Foo>>>>"));
        assertNull(SizeReport.ownerClass("_start"));
    }

    @Test void linkMapListsEverySymbolAtItsAddress() {
        Linker.Result r = linked(Module.Target.LINUX_X64);
        String map = LinkMap.render(r.program(), ElfWriter.layout(r.program()), r.placements(), "linux-x64");
        long text = ElfWriter.layout(r.program()).addressOf(stlink.image.Section.TEXT);
        assertTrue(map.contains(String.format("  0x%016x  0x00000014  .text    Bar class>>new%n", text + 16 + 36)), map);
        assertTrue(map.contains(String.format("  .text    0x%016x  0x00000040  app.stl%n", text + 16)), map);
        assertTrue(map.contains("# entry " + String.format("0x%016x", text + 16)), map);
        assertTrue(map.contains("heap:nil"), map);
    }

    @Test void linkMapListsWindowsImportSlots() {
        Linker.Result r = linked(Module.Target.WINDOWS_X64);
        String map = LinkMap.render(r.program(), PeWriter.layout(r.program()), r.placements(), "windows-x64");
        assertTrue(map.matches("(?s).*Imports:\n  0x0000000140\\p{XDigit}{6}  kernel32.dll!ExitProcess\n.*"), map);
    }
}
