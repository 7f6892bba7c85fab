package stdump;

import java.lang.management.ManagementFactory;

/**
 * The CPU time and allocation one fuzz input may cost: generous for real files, tiny next to a
 * hang or a 2 GB array. An input over budget is measured again before it counts as a finding,
 * since the first inputs of a run also pay for class loading and instrumentation. (The same
 * rule as the format reader's and the front ends' fuzz targets, docs/FUZZING.md.)
 */
final class FuzzBudget {
    private FuzzBudget() {}

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final long CPU_MILLIS = 3_000;

    static void enforce(int inputLength, Runnable body) {
        long allowedBytes = (192L << 20) + 2048L * inputLength;
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
