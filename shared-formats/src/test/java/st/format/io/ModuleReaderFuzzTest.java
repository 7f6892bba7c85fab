package st.format.io;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Feeds arbitrary bytes to the format reader. The only acceptable outcomes are a module or a
 * {@link FormatException}; any other throwable, a slow input or an outsized allocation is a finding.
 * A module that reads must also survive the writer and read back equal, so the reader never accepts
 * something the rest of the toolchain cannot represent. Seeds and regression inputs live in
 * {@code src/test/resources/st/format/io/ModuleReaderFuzzTestInputs/}; see docs/FUZZING.md.
 */
class ModuleReaderFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void readArbitraryBytes(byte[] data) {
        // Inputs of odd length get their checksums made right first, so that half the mutations
        // reach the section decoders instead of stopping at "bad checksum".
        byte[] input = data.length % 2 == 1 ? ModuleWriter.reseal(data) : data;
        Budget.enforce(input.length, () -> readAndRoundTrip(input));
    }

    private static void readAndRoundTrip(byte[] data) {
        ModuleFile file;
        try {
            file = ModuleReader.read(data);
        } catch (FormatException expected) {
            return;
        }
        byte[] rewritten = ModuleWriter.write(file);
        ModuleFile again;
        try {
            again = ModuleReader.read(rewritten);
        } catch (FormatException e) {
            throw new AssertionError("the writer produced a file its own reader rejects: " + e.getMessage(), e);
        }
        assertEquals(file.module(), again.module(), "module changed in a write/read round trip");
        assertArrayEquals(rewritten, ModuleWriter.write(again), "writing is not deterministic");
    }

    /**
     * The CPU time and allocation one input may cost: generous for real files, tiny next to a hang
     * or a 2 GB array. An input over budget is measured again before it counts as a finding, since
     * the first inputs of a run also pay for class loading and instrumentation.
     */
    static final class Budget {
        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        private static final long CPU_MILLIS = 2_000;

        static void enforce(int inputLength, Runnable body) {
            long allowedBytes = (128L << 20) + 1024L * inputLength;
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
