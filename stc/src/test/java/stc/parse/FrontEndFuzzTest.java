package stc.parse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import stc.ast.Node;
import stc.ast.Pos;
import stc.ast.SourceFile;
import stc.diag.Diagnostics;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Feeds arbitrary text to each of the four front ends. A front end may report any number of
 * errors, and may stop with {@link Diagnostics.TooManyErrors}, but must not throw anything else,
 * must point every diagnostic inside the file, and must render its diagnostics without failing.
 * Inputs are read as UTF-8 (malformed bytes become U+FFFD), so seed files are plain sources:
 * {@code src/test/resources/stc/parse/FrontEndFuzzTestInputs/<method>/}. See docs/FUZZING.md.
 */
public class FrontEndFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void chunk(byte[] data) { parseAnything(data, Dialect.CHUNK); }

    @FuzzTest(maxDuration = "5s")
    void tonel(byte[] data) { parseAnything(data, Dialect.TONEL); }

    @FuzzTest(maxDuration = "5s")
    void gnu(byte[] data) { parseAnything(data, Dialect.GNU); }

    @FuzzTest(maxDuration = "5s")
    void som(byte[] data) { parseAnything(data, Dialect.SOM); }

    /**
     * Parses within the budget and checks the diagnostics; returns the unit when it parsed without
     * errors, else null. The compiler's fuzz target goes on to compile what this returns.
     */
    public static Node.Unit parseAnything(byte[] data, Dialect dialect) {
        SourceFile file = new SourceFile("fuzz." + dialect.cliName(), new String(data, StandardCharsets.UTF_8));
        Node.Unit[] unit = new Node.Unit[1];
        Diagnostics[] diags = new Diagnostics[1];
        Budget.enforce(data.length, () -> {
            diags[0] = new Diagnostics().maxErrors(20);
            try {
                unit[0] = FrontEnds.parse(file, dialect, diags[0]);
                assertNotNull(unit[0], "a front end returned no unit");
            } catch (Diagnostics.TooManyErrors stop) {
                unit[0] = null;
            }
            for (Diagnostics.Diagnostic d : diags[0].all()) {
                if (d.pos() == null || d.pos().equals(Pos.NONE)) continue; // a whole-file diagnostic
                assertTrue(d.pos().offset() >= 0 && d.pos().offset() <= file.text().length(),
                        () -> "diagnostic outside the file: " + d.header() + " at offset " + d.pos().offset());
                assertTrue(d.pos().line() >= 1 && d.pos().col() >= 1, () -> "diagnostic at no line: " + d.header());
            }
            diags[0].print(new PrintStream(OutputStream.nullOutputStream()));
        });
        return diags[0].hasErrors() ? null : unit[0];
    }

    /**
     * The CPU time and allocation one input may cost: generous for real sources, tiny next to a
     * hang or a runaway recursion. An input over budget is measured again before it counts as a
     * finding, since the first inputs of a run also pay for class loading and instrumentation.
     */
    public static final class Budget {
        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        private static final long CPU_MILLIS = 2_000;

        public static void enforce(int inputLength, Runnable body) {
            long allowedBytes = (128L << 20) + 4096L * inputLength;
            String over = overrun(body, allowedBytes);
            if (over != null && (over = overrun(body, allowedBytes)) != null)
                throw new AssertionError("one input of " + inputLength + " bytes " + over);
        }

        private static String overrun(Runnable body, long allowedBytes) {
            long cpu = THREADS.getCurrentThreadCpuTime(), bytes = THREADS.getCurrentThreadAllocatedBytes();
            body.run();
            long millis = (THREADS.getCurrentThreadCpuTime() - cpu) / 1_000_000;
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - bytes;
            if (millis > CPU_MILLIS) return "took " + millis + " ms of CPU (bound " + CPU_MILLIS + ")";
            if (allocated > allowedBytes) return "allocated " + allocated + " bytes (bound " + allowedBytes + ")";
            return null;
        }
    }
}
