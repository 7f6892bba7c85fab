/**
 * Shared by the Java versions of the benchmarks: the size argument and loud failure. The first
 * call to arg starts a clock that a shutdown hook reports on standard error as "# java-us N", so
 * that scripts/bench can leave the JVM's own start-up out of Java's time (the ELF and C times
 * include their process start, which is well under a millisecond).
 */
final class Bench {
  private static final long START = System.nanoTime();
  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() ->
        System.err.println("# java-us " + (System.nanoTime() - START) / 1000)));
  }
  private Bench() {}
  static long arg(String[] args, long fallback) { return args.length > 0 ? Long.parseLong(args[0]) : fallback; }
  static void fail(String message) { System.err.println("Error: " + message); System.exit(1); }
}
