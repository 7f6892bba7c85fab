/** Shared by the Java versions of the benchmarks: the size argument and loud failure. */
final class Bench {
  private Bench() {}
  static long arg(String[] args, long fallback) { return args.length > 0 ? Long.parseLong(args[0]) : fallback; }
  static void fail(String message) { System.err.println("Error: " + message); System.exit(1); }
}
