package stlink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import st.cli.Tool;
import st.format.io.ModuleWriter;
import st.format.model.Module;
import stlink.link.DeadCodeTest;
import stlink.link.LinkerTest;
import stlink.testing.Libraries;
import stlink.testing.Processes;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

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

    @Test void theKernelIsLinkedFirst() throws Exception {
        Path kernel = libraryFile("kernel.stl", LinkerTest.greeterLibrary());
        Path main = libraryFile("main.stl", exitingMain());
        Path exe = dir.resolve("prog"), map = dir.resolve("prog.map");
        assertEquals(new Outcome(0, ""), stlink("--kernel", kernel.toString(), "-o", exe.toString(), "--map", map.toString(),
                main.toString()));
        String text = Files.readString(map);
        assertTrue(text.indexOf(kernel.toString()) < text.indexOf(main.toString()), text);
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
        assertEquals("stlink: error: --entry Greeter>>greet needs the runtime's image builder, which this stlink does not have\n",
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
