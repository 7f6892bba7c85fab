public class Fib {
  static long fib(long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
  static long iterativeFib(long n) { long a = 0, b = 1; while (n-- > 0) { long t = a + b; a = b; b = t; } return a; }
  public static void main(String[] args) {
    long n = Bench.arg(args, 32), r = fib(n);
    if (r != iterativeFib(n)) Bench.fail("fib: wrong result " + r);
    System.out.println("fib(" + n + ") = " + r);
  }
}
