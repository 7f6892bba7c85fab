package toolchain;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real program, compiled, nativized and linked with the kernel by the tools, seen through the
 * tools that read executables: gdb (Smalltalk names, source lines, a backtrace through Smalltalk
 * frames), addr2line, nm, and stdump (its views and diffs, which read the libraries stlink embeds).
 */
class ExecutablesTest {
    static final String COUNTER = """
            Object subclass: #Counter
            	instanceVariableNames: 'count'
            	classVariableNames: ''
            	package: 'Demo'!

            !Counter methodsFor: 'counting'!
            increment
            	count := (count ifNil: [0]) + 1.
            	^count!

            bump: n
            	n timesRepeat: [self increment].
            	^count! !

            | c |
            c := Counter new.
            Transcript show: (c bump: 3) printString; cr!
            """;

    @TempDir static Path dir;

    @BeforeAll static void build() throws IOException {
        Files.writeString(dir.resolve("counter.st"), COUNTER);
        ok("stc -o counter.stm counter.st && stjit -o counter.stl counter.stm && stlink -o counter counter.stl");
        assertEquals("3\n", ok("./counter"));
    }

    @Test void gdbStopsInAMethodAndShowsSmalltalkFramesAndLines() {
        Assumptions.assumeTrue(Toolchain.have("gdb"), "gdb is not installed");
        String out = ok("gdb -batch -ex \"break 'Counter>>increment'\" -ex \"break -function 'Counter>>bump:'\" -ex run -ex bt"
                + " -ex continue -ex bt -ex 'info line *$pc' ./counter 2>&1");
        assertTrue(out.contains("Breakpoint 1 at 0x"), out);
        assertTrue(out.contains(": file counter.st, line 7."), out);
        assertTrue(out.contains("Breakpoint 2, Counter>>bump: () at counter.st:11\n11\tbump: n"), out);
        assertTrue(out.contains("Breakpoint 1, Counter>>increment () at counter.st:7\n7\tincrement"), out);
        // The backtrace walks the rbp chain by the .debug_frame rules: block, timesRepeat:, method, doIt, start.
        int bt = out.indexOf("#0  Counter>>increment () at counter.st:7");
        assertTrue(bt >= 0, out);
        String trace = out.substring(bt);
        // (timesRepeat: and its block are inlined by the compiler: they have no frames of their own.)
        // Callers show the line of the statement that made the call (the library's NLIN rows).
        for (String frame : new String[] {"#1  0x", "in Counter>>bump: () at counter.st:12", "in UndefinedObject>>__doIt_counter_1 () at counter.st:17",
                "in Runtime class>>start ()", "in _start ()"})
            assertTrue(trace.contains(frame), "no frame '" + frame + "' in:\n" + trace);
        assertFalse(trace.substring(0, trace.indexOf("_start")).contains("?? ()"), "an unnamed frame:\n" + trace);
    }

    @Test void addr2lineAndNmNameMethods() {
        Assumptions.assumeTrue(Toolchain.have("addr2line"), "binutils are not installed");
        String address = ok("nm counter | grep ' T Counter>>increment$' | cut -d' ' -f1").trim();
        assertFalse(address.isEmpty());
        assertEquals("Counter>>increment\ncounter.st:7\n", ok("addr2line -f -e counter 0x" + address));
        assertTrue(ok("objdump -d counter --start-address=0x" + address + " --stop-address=$((0x" + address + " + 16))")
                .contains("<Counter>>increment>:"));
    }

    @Test void stdumpShowsTheExecutableAsItsLibraries() {
        String summary = ok("stdump counter");
        assertTrue(summary.contains("format: ELF executable\n"), summary);
        assertTrue(summary.contains("  name=kernel.stl module=kernel code=0x401000 "), summary);
        assertTrue(summary.contains("  name=counter.stl module=counter code=0x"), summary);
        assertTrue(summary.contains("heap: "), summary);
        String classes = ok("stdump --classes counter");
        assertTrue(classes.contains("-- counter.stl (code at 0x"), classes);
        assertTrue(classes.contains("Counter"), classes);
        String methods = ok("stdump --methods -m Counter counter");
        assertTrue(methods.contains("Counter>>increment") && methods.contains("Counter>>bump:"), methods);
        String address = ok("nm counter | grep ' T Counter>>increment$' | cut -d' ' -f1").trim().replaceFirst("^0+", "");
        String code = ok("stdump --native -m 'Counter>>increment' counter");
        assertTrue(code.contains(String.format("%08x <Counter>>increment>  method", Long.parseLong(address, 16))), code);
        assertTrue(code.contains("<stub:sendMiss>"), "call targets are named:\n" + code);
        assertTrue(code.contains("count := (count ifNil: [0]) + 1."), "source lines are interleaved:\n" + code);
        assertTrue(ok("stdump --json --symbols counter").contains("\"address\""));
    }

    @Test void stdumpDiffsExecutablesAndLibraries() throws IOException {
        Path other = dir.resolve("v2");
        Files.createDirectories(other);
        Files.writeString(other.resolve("counter.st"), COUNTER.replace("(count ifNil: [0]) + 1", "(count ifNil: [0]) + 2"));
        ok("cd v2 && stc -o counter.stm counter.st && stjit -o counter.stl counter.stm && stlink -o counter counter.stl");
        assertEquals("", ok("stdump diff counter counter.stl"), "an executable is the same as the library it was linked from");
        assertEquals("", ok("stdump diff counter.stl counter"));
        Toolchain.Result d = Toolchain.sh(dir, "stdump diff counter v2/counter");
        assertEquals(1, d.exit(), d.all());
        assertTrue(d.out().startsWith("--- counter (counter.stl)\n+++ v2/counter (counter.stl)\nmethod changed: Counter>>increment\n"), d.out());
        assertTrue(d.out().contains("- \tcount := (count ifNil: [0]) + 1.") && d.out().contains("+ \tcount := (count ifNil: [0]) + 2."), d.out());
        assertFalse(d.out().contains("kernel.stl"), "the kernel did not change:\n" + d.out());
        Toolchain.Result lib = Toolchain.sh(dir, "stdump diff v2/counter counter.stl");
        assertEquals(1, lib.exit(), lib.all());
        assertTrue(lib.out().contains("method changed: Counter>>increment"), lib.out());
        Toolchain.Result none = Toolchain.sh(dir, "stdump diff counter v2/counter.stm");
        assertEquals(1, none.exit(), none.all());
        Toolchain.Result missing = Toolchain.sh(dir, "cp counter.stl other.stl && stdump diff counter " + Toolchain.root().resolve("build/kernel/kernel.stm"));
        assertTrue(missing.exit() != 0 || missing.out().contains("kernel"), missing.all());
    }

    @Test void linkingIsDeterministicAndStripRemovesWhatOnlyToolsRead() throws IOException {
        ok("stlink -o again counter.stl && stlink -s -o stripped counter.stl");
        assertArrayEquals(Files.readAllBytes(dir.resolve("counter")), Files.readAllBytes(dir.resolve("again")));
        assertEquals("3\n", ok("./stripped"));
        assertTrue(Files.size(dir.resolve("stripped")) < Files.size(dir.resolve("counter")) / 2 + 300_000);
        assertTrue(ok("stdump stripped").contains("libraries: none embedded"));
        Toolchain.Result views = Toolchain.sh(dir, "stdump --classes stripped");
        assertEquals(1, views.exit());
        assertTrue(views.err().contains("without embedded libraries"), views.all());
        if (Toolchain.have("readelf")) {
            String sections = ok("readelf -S -W stripped");
            assertFalse(sections.contains(".symtab") || sections.contains(".debug_") || sections.contains(".stlibs"), sections);
            String full = ok("readelf -S -W counter");
            assertTrue(full.contains(".stlibs") && full.contains(".debug_frame") && full.contains(".symtab"), full);
        }
    }

    @Test void gcMethodsKeepsTheProgramWorkingAndTheEmbeddedLibrariesSayWhatWasLeftOut() {
        String report = ok("stlink --gc-methods --size-report -o small counter.stl");
        assertTrue(report.contains("removed by --gc-methods: "), report);
        assertEquals("3\n", ok("./small"));
        Toolchain.Result d = Toolchain.sh(dir, "stdump diff counter small");
        assertEquals(1, d.exit(), d.all());
        assertTrue(d.out().contains("--- counter (kernel.stl)") && d.out().contains("method removed: "), d.out());
        assertFalse(d.out().contains("Counter>>"), "the program's own methods are reachable:\n" + d.out());
    }

    @Test void stdumpReadsPeExecutablesToo() {
        Assumptions.assumeTrue(Files.isRegularFile(Toolchain.root().resolve("build/kernel/kernel-windows.stl")), "no Windows kernel");
        ok("stjit --target windows-x64 -o counter-win.stl counter.stm && stlink --target windows-x64 -o counter.exe counter-win.stl");
        String summary = ok("stdump counter.exe");
        assertTrue(summary.contains("format: PE executable\n"), summary);
        assertTrue(summary.contains("  name=kernel-windows.stl module=kernel-windows code=0x140001000 "), summary);
        assertTrue(summary.contains("  name=counter-win.stl module=counter code=0x"), summary);
        assertEquals("", ok("stdump diff counter.exe counter-win.stl"));
        String code = ok("stdump --native -m 'Counter>>increment' counter.exe");
        assertTrue(code.matches("(?s)-- counter-win.stl \\(code at 0x14[0-9a-f]+\\)\n14[0-9a-f]+ <Counter>>increment>  method.*"), code);
        // Between the ELF and the PE, only the kernel and the target differ, not the program's classes.
        Toolchain.Result d = Toolchain.sh(dir, "stdump diff counter.stl counter-win.stl");
        assertEquals(1, d.exit(), d.all());
        assertTrue(d.out().contains("module changed: target: linux-x64 -> windows-x64"), d.out());
        assertFalse(d.out().contains("method changed"), d.out());
        ok("stlink -s --target windows-x64 -o stripped.exe counter-win.stl");
        assertTrue(ok("stdump stripped.exe").contains("libraries: none embedded"));
        if (Toolchain.have("x86_64-w64-mingw32-objdump")) {
            Toolchain.Result o = Toolchain.sh(dir, "x86_64-w64-mingw32-objdump -x counter.exe >/dev/null");
            assertTrue(o.ok() && o.err().isEmpty(), o.all());
        }
    }

    @Test void aCorruptEmbeddedTableIsANamedError() throws IOException {
        byte[] exe = Files.readAllBytes(dir.resolve("counter"));
        String at = ok("readelf -S -W counter | sed -n 's/.* \\.stlibs *PROGBITS *[0-9a-f]* \\([0-9a-f]*\\) .*/\\1/p'").trim();
        Assumptions.assumeFalse(at.isEmpty(), "readelf is missing");
        int offset = Integer.parseInt(at, 16);
        for (int delta : new int[] {0, 13, 60, 200}) {
            byte[] bad = exe.clone();
            bad[offset + delta] ^= 0x5A;
            Files.write(dir.resolve("bad"), bad);
            Toolchain.Result r = Toolchain.sh(dir, "stdump --classes bad");
            assertEquals(1, r.exit(), r.all());
            assertTrue(r.err().startsWith("stdump: bad: "), r.all());
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.all());
        }
    }

    private static String ok(String script) {
        Toolchain.Result r = Toolchain.sh(dir, script);
        assertEquals(0, r.exit(), script + "\n" + r.all());
        return r.out();
    }
}
