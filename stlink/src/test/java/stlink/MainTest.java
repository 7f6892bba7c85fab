package stlink;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import st.cli.Tool;
import st.format.io.ModuleWriter;
import st.format.model.Module;
import stlink.link.DeadCodeTest;
import stlink.link.LinkerTest;
import stlink.testing.Libraries;
import stlink.testing.Code;
import stlink.testing.Processes;
import stlink.testing.Wine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MainTest {
    @TempDir Path dir;

    record Outcome(int exitCode, String stderr) {}

    static Outcome stlink(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Tool.run("stlink", new Main(), args);
            return new Outcome(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    /** Writes a library file in the format stjit writes. */
    Path libraryFile(String name, Module module) throws Exception {
        return Files.write(dir.resolve(name), ModuleWriter.write(module));
    }

    /** main.stl calls greeter.stl and exits with status 0 (no data image without the image builder). */
    static Module exitingMain() {
        byte[] text = {(byte) 0xe8, 0, 0, 0, 0, (byte) 0xb8, 0x3c, 0, 0, 0, 0x31, (byte) 0xff, 0x0f, 0x05};
        return Libraries.library("main", text, List.of(Libraries.method("_start", 0, text.length)),
                List.of(Libraries.rel32(1, "Greeter>>greet", 0)));
    }

    @Test void linksLibraryFilesIntoARunningExecutable() throws Exception {
        Path main = libraryFile("main.stl", exitingMain());
        Path greeter = libraryFile("greeter.stl", LinkerTest.greeterLibrary());
        Path exe = dir.resolve("prog"), map = dir.resolve("prog.map");
        Outcome o = stlink("--no-kernel", "-o", exe.toString(), "--map", map.toString(), main.toString(), greeter.toString());
        assertEquals(new Outcome(0, ""), o);
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(exe)));
        assertTrue(Files.readString(map).contains("Greeter>>greet"));
        if (Processes.isLinuxX64()) {
            Processes.Result r = Processes.run(List.of(exe.toString()));
            assertEquals(LinkerTest.GREETING, r.stdout());
            assertEquals(0, r.exitCode());
        }
        byte[] first = Files.readAllBytes(exe);
        assertEquals(0, stlink("--no-kernel", "-o", exe.toString(), main.toString(), greeter.toString()).exitCode());
        assertArrayEquals(first, Files.readAllBytes(exe), "the same libraries give the same executable");
    }

    @Test void theKernelIsLinkedFirstAndLaysOutTheHeap() throws Exception {
        // Not a real kernel: the runtime's image builder says what is missing.
        Path kernel = libraryFile("kernel.stl", LinkerTest.greeterLibrary());
        Path main = libraryFile("main.stl", exitingMain());
        Outcome o = stlink("--kernel", kernel.toString(), "-o", dir.resolve("prog").toString(), main.toString());
        assertEquals(Tool.BAD_INPUT, o.exitCode());
        assertTrue(o.stderr().startsWith("stlink: error: cannot lay out the initial heap: the kernel defines no class "),
                o.stderr());
        assertEquals(1, o.stderr().lines().count(), o.stderr());
    }

    @Test void linkErrorsAreListedOnePerLine() throws Exception {
        Path main = libraryFile("main.stl", exitingMain());
        Path exe = dir.resolve("prog");
        Outcome o = stlink("--no-kernel", "--entry-symbol", "nowhere", "-o", exe.toString(), main.toString());
        assertEquals(Tool.BAD_INPUT, o.exitCode());
        assertEquals("stlink: error: undefined symbol 'Greeter>>greet', referenced from '_start' in " + main + "\n"
                + "stlink: error: entry symbol 'nowhere' is not defined by any library (choose one with --entry-symbol)\n",
                o.stderr());
        assertFalse(Files.exists(exe));
    }

    @Test void aCorruptLibraryIsNamed() throws Exception {
        Path bad = Files.write(dir.resolve("bad.stl"), "not a library".getBytes(StandardCharsets.US_ASCII));
        Outcome o = stlink("--no-kernel", "-o", dir.resolve("out").toString(), bad.toString());
        assertEquals(Tool.BAD_INPUT, o.exitCode());
        assertTrue(o.stderr().startsWith("stlink: error: " + bad + ": "), o.stderr());
        assertEquals(1, o.stderr().lines().count(), o.stderr());
    }

    @Test void anEntryMethodNeedsTheImageBuilder() throws Exception {
        Path main = libraryFile("main.stl", exitingMain());
        Path greeter = libraryFile("greeter.stl", LinkerTest.greeterLibrary());
        Outcome o = stlink("--no-kernel", "--entry", "Greeter>>greet", "-o", dir.resolve("out").toString(),
                main.toString(), greeter.toString());
        assertEquals(Tool.BAD_INPUT, o.exitCode());
        assertEquals("stlink: error: --entry Greeter>>greet needs the kernel's runtime to run it, and --no-kernel leaves it out\n",
                o.stderr());
        o = stlink("--no-kernel", "--entry", "Greeter>>wave", "-o", dir.resolve("out").toString(), main.toString(),
                greeter.toString());
        assertEquals("stlink: error: entry method 'Greeter>>wave' is not defined by any library\n", o.stderr());
    }

    @Test void aSizeReportGoesToStdout() throws Exception {
        Path main = libraryFile("main.stl", exitingMain());
        Path greeter = libraryFile("greeter.stl", LinkerTest.greeterLibrary());
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, stlink("--no-kernel", "--size-report", "-o", dir.resolve("prog").toString(), main.toString(),
                    greeter.toString()).exitCode());
        } finally {
            System.setOut(saved);
        }
        String report = out.toString(StandardCharsets.UTF_8);
        assertTrue(report.startsWith("executable: " + Files.size(dir.resolve("prog")) + " bytes (linux-x64)"), report);
        assertTrue(report.contains("Greeter "), report);
    }

    @Test void gcMethodsLeavesOutUnreachableMethods() throws Exception {
        Path app = libraryFile("app.stl", DeadCodeTest.app());
        Path map = dir.resolve("map");
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(new Outcome(0, ""), stlink("--no-kernel", "--gc-methods", "--size-report", "--map", map.toString(),
                    "-o", dir.resolve("prog").toString(), app.toString()));
        } finally {
            System.setOut(saved);
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).endsWith("removed by --gc-methods: 2 functions, 20 bytes of code\n"),
                out.toString(StandardCharsets.UTF_8));
        String text = Files.readString(map);
        assertFalse(text.contains("Greeter>>unused"), text);
        assertTrue(text.contains("Greeter>>wave"), text);

        assertEquals(0, stlink("--no-kernel", "--gc-methods", "--keep", "Greeter>>unused", "--map", map.toString(),
                "-o", dir.resolve("prog").toString(), app.toString()).exitCode());
        assertTrue(Files.readString(map).contains("Greeter>>unused"));
        assertEquals(Tool.USAGE, stlink("--no-kernel", "--keep", "Foo", app.toString()).exitCode());
    }

    /** A Win64 hello world calling kernel32 through __imp_ symbols, with its message in its own code. */
    static Module windowsHello(String message) {
        Code c = new Code();
        c.hex("48 83 ec 38");                                           // sub rsp, 56
        c.hex("b9 f5ffffff");                                           // mov ecx, STD_OUTPUT_HANDLE
        c.hex("ff 15"); int getStdHandle = c.here(); c.hex("00000000");
        c.hex("48 89 c1");                                              // mov rcx, rax
        c.hex("48 8d 15"); int lea = c.here(); c.hex("00000000");       // lea rdx, [rip + .message]
        c.hex("41 b8").hex(String.format("%02x000000", message.length()));
        c.hex("4c 8d 4c 24 28");                                        // lea r9, [rsp + 40]
        c.hex("48 c7 44 24 20 00000000");                               // no OVERLAPPED
        c.hex("ff 15"); int writeFile = c.here(); c.hex("00000000");
        c.hex("8b 4c 24 28");                                           // mov ecx, [rsp + 40]: bytes written
        c.hex("ff 15"); int exitProcess = c.here(); c.hex("00000000");
        c.hex("cc");
        int messageAt = c.here();
        for (byte b : message.getBytes(StandardCharsets.US_ASCII)) c.hex(String.format("%02x", b));
        byte[] text = c.toBytes();
        return Libraries.library("whello", Module.Target.WINDOWS_X64, text,
                List.of(Libraries.method("_start", 0, messageAt), Libraries.data(".message", messageAt, message.length())),
                List.of(Libraries.rel32(getStdHandle, "__imp_GetStdHandle", 0), Libraries.rel32(lea, ".message", 0),
                        Libraries.rel32(writeFile, "__imp_WriteFile", 0), Libraries.rel32(exitProcess, "__imp_ExitProcess", 0)),
                List.of(), List.of());
    }

    @Test void linksAWindowsExecutableThatRunsUnderWine() throws Exception {
        String message = "hello from stlink\n";
        Path lib = libraryFile("whello.stl", windowsHello(message));
        Path exe = dir.resolve("whello.exe");
        assertEquals(new Outcome(0, ""), stlink("--no-kernel", "--target", "windows-x64", "-o", exe.toString(), lib.toString()));
        if (Processes.onPath("x86_64-w64-mingw32-objdump")) {
            Processes.Result dump = Processes.run(List.of("x86_64-w64-mingw32-objdump", "-x", "-d", exe.toString()));
            assertEquals("", dump.stderr());
            assertTrue(dump.stdout().contains("DLL Name: kernel32.dll"), dump.stdout());
        }
        assertEquals(Tool.BAD_INPUT, stlink("--no-kernel", "-o", dir.resolve("x").toString(), lib.toString()).exitCode(),
                "a windows library does not link for linux");
        assumeTrue(Wine.available(), "needs wine");
        Processes.Result r = Wine.run(exe);
        assertEquals(message, r.stdout());
        assertEquals(message.length(), r.exitCode());
    }

    @AfterAll static void stopWine() throws Exception { Wine.shutdown(); }

    @Test void aLibraryIsRequired() {
        Outcome o = stlink();
        assertEquals(Tool.USAGE, o.exitCode());
        assertTrue(o.stderr().startsWith("stlink: Missing required parameter"), o.stderr());
    }

    @Test void anUnknownTargetIsAUsageError() {
        Outcome o = stlink("--target", "riscv", "x.stl");
        assertEquals(Tool.USAGE, o.exitCode());
        assertTrue(o.stderr().contains("unknown target 'riscv' (expected linux-x64 or windows-x64)"), o.stderr());
    }

    @Test void aMissingLibraryIsNamed() {
        Path missing = dir.resolve("missing.stl");
        Outcome o = stlink("--no-kernel", "-o", dir.resolve("out").toString(), missing.toString());
        assertEquals(Tool.BAD_INPUT, o.exitCode());
        assertEquals("stlink: error: " + missing + ": No such file or directory\n", o.stderr());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test void aMissingKernelIsExplained() throws Exception {
        String saved = System.getProperty("st.home");
        System.setProperty("st.home", dir.toString());
        try {
            Path lib = Files.write(dir.resolve("a.stl"), new byte[0]);
            Outcome o = stlink("-o", dir.resolve("out").toString(), lib.toString());
            assertEquals(Tool.BAD_INPUT, o.exitCode());
            assertEquals("stlink: error: the kernel library " + dir.resolve("build/kernel/kernel.stl")
                    + " does not exist (build the kernel first, name one with --kernel, or link with --no-kernel)\n", o.stderr());
            o = stlink("--target", "windows-x64", lib.toString());
            assertTrue(o.stderr().contains("build/kernel/kernel-windows.stl does not exist"), o.stderr());
        } finally {
            if (saved == null) System.clearProperty("st.home"); else System.setProperty("st.home", saved);
        }
    }

    @Test void withoutAToolchainHomeTheKernelCannotBeFound() {
        String saved = System.getProperty("st.home");
        System.clearProperty("st.home");
        try {
            Outcome o = stlink("x.stl");
            assertEquals(Tool.BAD_INPUT, o.exitCode());
            assertTrue(o.stderr().startsWith("stlink: error: cannot find the kernel library: the st.home property is not set"),
                    o.stderr());
        } finally {
            if (saved != null) System.setProperty("st.home", saved);
        }
    }
}
