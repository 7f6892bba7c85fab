package stlink.elf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import st.format.model.MethodDef;
import st.format.model.Module;
import st.format.model.NativeCode;
import stlink.image.Program;
import stlink.link.LibraryInput;
import stlink.link.Linker;
import stlink.testing.Code;
import stlink.testing.Processes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static stlink.testing.Libraries.rel32;

class DebugInfoTest {
    @TempDir Path dir;

    /**
     * _start (a stub) calls Counter>>tick (line 12 of counter.st, whose second nop came from
     * line 14) and Counter class>>reset:to: (line 30).
     */
    static Module library() {
        Code c = new Code();
        c.hex("e8 00000000");                  // call Counter>>tick
        c.hex("e8 00000000");                  // call Counter class>>reset
        c.hex("b8 3c000000 31 ff 0f 05");      // exit(0)
        int tick = c.here();
        c.hex("55 48 89 e5 90 90 5d c3");      // push rbp; mov rbp, rsp; nop; nop; pop rbp; ret
        int reset = c.here();
        c.hex("55 48 89 e5 5d c3");
        byte[] text = c.toBytes();
        MethodDef tickDef = new MethodDef("Counter", false, "tick", "counting", 0, null, List.of(), null, 0, 12, 1, "tick");
        MethodDef resetDef = new MethodDef("Counter", true, "reset:to:", "counting", 0, null, List.of(), null, 0, 30, 1, "reset: a to: b");
        return new Module(Module.Kind.LIBRARY, Module.Target.ANY, 0, "counter", List.of("examples/counter.st"),
                List.of(), List.of(tickDef, resetDef), List.of(), List.of(), List.of(),
                new NativeCode(text, List.of(
                        new NativeCode.Symbol("_start", NativeCode.SymbolKind.STUB, 0, tick, -1),
                        new NativeCode.Symbol("Counter>>tick", NativeCode.SymbolKind.METHOD, tick, reset - tick, 0),
                        new NativeCode.Symbol("Counter class>>reset:to:", NativeCode.SymbolKind.METHOD, reset, text.length - reset, 1)),
                        List.of(rel32(1, "Counter>>tick", 0), rel32(6, "Counter class>>reset:to:", 0)),
                        List.of(new NativeCode.LineRow(tick + 5, 14))));
    }

    Path linked() throws Exception {
        Program p = Linker.link(List.of(new LibraryInput("counter.stl", library())), null, Module.Target.LINUX_X64,
                "_start").program();
        Path exe = dir.resolve("counter");
        Files.write(exe, ElfWriter.write(p));
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        return exe;
    }

    static long symbolAddress(Path exe, String name) throws Exception {
        Processes.Result r = Processes.run(List.of("nm", exe.toString()));
        for (String line : r.stdout().split("\n")) {
            if (line.endsWith(" " + name)) return Long.parseUnsignedLong(line.substring(0, 16), 16);
        }
        throw new AssertionError(name + " not in\n" + r.stdout());
    }

    @Test void readelfDecodesTheLineTableWithoutComplaint() throws Exception {
        assumeTrue(Processes.onPath("readelf"), "needs binutils");
        Path exe = linked();
        Processes.Result r = Processes.run(List.of("readelf", "--debug-dump=line,info", "-W", exe.toString()));
        assertEquals("", r.stderr());
        assertEquals(0, r.exitCode());
        assertTrue(r.stdout().contains("examples/counter.st"), r.stdout());
        assertTrue(r.stdout().contains("Counter class>>reset:to:"), r.stdout());
    }

    @Test void addr2lineMapsMethodsToTheirSourceLines() throws Exception {
        assumeTrue(Processes.onPath("addr2line") && Processes.onPath("nm"), "needs binutils");
        Path exe = linked();
        long tick = symbolAddress(exe, "Counter>>tick"), reset = symbolAddress(exe, "Counter class>>reset:to:");
        Processes.Result r = Processes.run(List.of("addr2line", "-f", "-e", exe.toString(),
                Long.toHexString(tick + 4), Long.toHexString(tick + 5), Long.toHexString(reset)));
        assertEquals("", r.stderr());
        assertEquals("Counter>>tick\nexamples/counter.st:12\nCounter>>tick\nexamples/counter.st:14\n"
                + "Counter class>>reset:to:\nexamples/counter.st:30\n", r.stdout());
    }

    @Test void gdbBreaksOnAMethodByNameAndShowsItsLine() throws Exception {
        assumeTrue(Processes.isLinuxX64() && Processes.onPath("gdb"), "needs gdb");
        Path exe = linked();
        // A keyword selector's colons read as FILE:LINE to gdb's linespec parser; -function avoids that.
        Processes.Result r = Processes.run(List.of("gdb", "-batch", "-nx", "-ex", "break -function 'Counter class>>reset:to:'",
                "-ex", "run", "-ex", "bt", "-ex", "info line *$pc", exe.toString()));
        assumeTrue(!r.stderr().contains("ptrace"), "gdb cannot trace here: " + r.stderr());
        assertTrue(r.stdout().contains("Breakpoint 1, "), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("Counter class>>reset:to:"), r.stdout());
        assertTrue(r.stdout().contains("examples/counter.st:30") || r.stdout().contains("Line 30 of \"examples/counter.st\""),
                r.stdout());
    }
}
