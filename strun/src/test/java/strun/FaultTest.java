package strun;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A native fault (tests/faults/read-nowhere.st reads address 8 through an intrinsic) is reported
 * with the signal, the faulting address, Class>>selector plus the offset into its native code and
 * a Smalltalk backtrace, and the program exits with status 134: in a linked executable (its own
 * handler on an alternate stack) and under strun (a handler chained in front of the JVM's). For
 * the executable, the offset is checked against the symbol table.
 */
class FaultTest {
    static final Pattern REPORT = Pattern.compile(
            "^fatal: native fault \\(SIGSEGV\\) at 0x(\\p{XDigit}+) in Crash class>>readNowhere\\+0x(\\p{XDigit}+)\n");

    @BeforeAll static void needsTheClassLibrary() {
        Assumptions.assumeTrue(Kernels.hasClassLibrary(), "kernel/Core (the class library) is not in this tree");
    }

    static Path program() { return Kernels.root().resolve("tests/faults/read-nowhere.st"); }

    @Test void strunReportsTheFaultingMethodAndABacktrace() throws Exception {
        Kernels.Run run = Kernels.strun(List.of("--kernel", Kernels.kernelModule().toString(), program().toString()));
        assertEquals(134, run.status(), run.err());
        assertEquals("about to fault\n", run.out());
        assertTrue(REPORT.matcher(run.err()).find(), run.err());
        InterruptTest.assertBacktrace(run.err(), run.err().lines().findFirst().orElseThrow(), "Crash class>>readNowhere",
                "[] in Crash class>>viaBlock", "Crash class>>viaBlock");
    }

    @Test void anExecutableReportsTheFaultingMethodAndABacktrace() throws Exception {
        Path exe = Kernels.executable(Kernels.read(program()), "fault");
        Path out = Files.createTempFile("fault", ".out"), err = Files.createTempFile("fault", ".err");
        try {
            Process p = new ProcessBuilder(exe.toString()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String stderr = Files.readString(err);
            assertEquals(134, p.exitValue(), stderr);
            assertEquals("about to fault\n", Files.readString(out));
            Matcher m = REPORT.matcher(stderr);
            assertTrue(m.find(), stderr);
            InterruptTest.assertBacktrace(stderr, stderr.lines().findFirst().orElseThrow(), "Crash class>>readNowhere",
                    "[] in Crash class>>viaBlock", "Crash class>>viaBlock");
            if (WriteXorExecuteTest.hasReadelf()) {
                long pc = Long.parseLong(m.group(1), 16), offset = Long.parseLong(m.group(2), 16);
                Process r = new ProcessBuilder("readelf", "-sW", exe.toString()).redirectErrorStream(true).start();
                String symbols = new String(r.getInputStream().readAllBytes());
                r.waitFor();
                Matcher s = Pattern.compile("(?m)^\\s*\\d+: (\\p{XDigit}+)\\s+\\d+ FUNC .* Crash class>>readNowhere$").matcher(symbols);
                assertTrue(s.find(), "no symbol for Crash class>>readNowhere");
                assertEquals(Long.parseLong(s.group(1), 16), pc - offset, "the offset does not lead back to the method's symbol");
            }
        } finally {
            Files.delete(exe);
            Files.delete(out);
            Files.delete(err);
        }
    }
}
