package stlink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import st.cli.Tool;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
