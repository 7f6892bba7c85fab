public class Tiny {
  static int sieveRound() {
    boolean[] flags = new boolean[8193];
    java.util.Arrays.fill(flags, true);
    int count = 0;
    for (int i = 2; i <= 8192; i++)
      if (flags[i]) { count++; for (int k = i + i; k <= 8192; k += i) flags[k] = false; }
    return count;
  }
  static long benchFib(long n) { return n < 2 ? 1 : benchFib(n - 1) + benchFib(n - 2) + 1; }
  static long fib(long n) { long a = 0, b = 1; while (n-- > 0) { long t = a + b; a = b; b = t; } return a; }
  public static void main(String[] args) {
    long n = Bench.arg(args, 27), start = System.nanoTime() / 1000;
    for (long r = 0; r < n * 4; r++) if (sieveRound() != 1028) Bench.fail("tiny: wrong prime count");
    long sieveTime = Math.max(1, System.nanoTime() / 1000 - start);
    start = System.nanoTime() / 1000;
    long sends = benchFib(n);
    long fibTime = Math.max(1, System.nanoTime() / 1000 - start);
    if (sends != 2 * fib(n + 1) - 1) Bench.fail("tiny: wrong benchFib " + sends);
    System.out.println("tiny(" + n + "): " + sends + " sends");
    System.out.println("# " + n * 4 * 500000 * 1000000 / sieveTime + " bytecodes/s; " + sends * 1000000 / fibTime + " sends/s");
  }
}
