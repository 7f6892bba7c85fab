package strun;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Programs that never end (tests/limits) are stopped with a Smalltalk backtrace and a distinct
 * status: by {@code strun --timeout} (124), by SIGINT under strun and as a linked executable (130).
 * A loop without sends is stopped by the check at its back edge, a loop in the middle of stack
 * overflows wherever it happens to be.
 */
class InterruptTest {
    @BeforeAll static void needsTheClassLibrary() {
        Assumptions.assumeTrue(Kernels.hasClassLibrary(), "kernel/Core (the class library) is not in this tree");
        Assumptions.assumeTrue(System.getProperty("os.name").equals("Linux"), "signals are Linux's here");
    }

    static Path program(String name) { return Kernels.root().resolve("tests/limits/" + name + ".st"); }

    @Test void timeoutStopsALoopWithoutSends() throws Exception {
        Kernels.Run run = Kernels.strun(List.of("--timeout", "0.5", "--kernel", Kernels.kernelModule().toString(),
                program("spin").toString()));
        assertEquals(124, run.status(), run.err());
        assertEquals("spinning\n", run.out());
        assertBacktrace(run.err(), "timeout: the program ran out of time", "Spin class>>forever", "[] in Spin class>>inBlock",
                "Spin class>>inBlock");
    }

    @Test void timeoutStopsRecursionThatCatchesItsStackOverflows() throws Exception {
        Kernels.Run run = Kernels.strun(List.of("--timeout", "1.5", "--kernel", Kernels.kernelModule().toString(),
                program("recurse-forever").toString()));
        assertEquals(124, run.status(), run.err());
        assertTrue(run.err().startsWith("timeout: the program ran out of time\n"), run.err());
    }

    @Test void sigintStopsStrunWithABacktrace() throws Exception {
        List<String> cmd = new ArrayList<>(Kernels.strunCommand());
        cmd.addAll(List.of("--kernel", Kernels.kernelModule().toString(), program("spin").toString()));
        Result r = interrupt(cmd, "spinning\n");
        assertEquals(130, r.status, r.err);
        assertBacktrace(r.err, "interrupted", "Spin class>>forever", "Spin class>>inBlock");
    }

    @Test void sigintStopsAnExecutableWithABacktrace() throws Exception {
        Path exe = Kernels.executable(Kernels.read(program("spin")), "spin");
        try {
            Result r = interrupt(List.of(exe.toString()), "spinning\n");
            assertEquals(130, r.status, r.err);
            assertBacktrace(r.err, "interrupted", "Spin class>>forever", "[] in Spin class>>inBlock", "Spin class>>inBlock");
        } finally {
            Files.delete(exe);
        }
    }

    @Test void sigintStopsAnExecutableThatKeepsOverflowing() throws Exception {
        Path exe = Kernels.executable(Kernels.read(program("recurse-forever")), "recurse");
        try {
            Result r = interrupt(List.of(exe.toString()), "recursing\n");
            assertEquals(130, r.status, r.err);
            assertTrue(r.err.startsWith("interrupted\n"), r.err);
        } finally {
            Files.delete(exe);
        }
    }

    record Result(int status, String out, String err) {}

    /** Starts the command, waits until it has printed {@code ready}, sends SIGINT, and waits for the end. */
    static Result interrupt(List<String> cmd, String ready) throws IOException, InterruptedException {
        Path out = Files.createTempFile("interrupt", ".out"), err = Files.createTempFile("interrupt", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(out).equals(ready)) {
                assertTrue(p.isAlive(), () -> "ended before it was interrupted: " + read(err));
                assertTrue(System.nanoTime() < deadline, "never got ready");
                Thread.sleep(20);
            }
            Thread.sleep(200); // well into the loop
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "SIGINT did not stop it");
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            p.destroyForcibly();
            Files.delete(out);
            Files.delete(err);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The first line, then the frames in this order. */
    static void assertBacktrace(String err, String first, String... frames) {
        assertTrue(err.startsWith(first + "\n"), err);
        int at = first.length();
        for (String f : frames) {
            int found = err.indexOf("\n" + f + "\n", at);
            assertTrue(found >= 0, () -> "no frame " + f + " (in order) in:\n" + err);
            at = found + f.length();
        }
    }
}
