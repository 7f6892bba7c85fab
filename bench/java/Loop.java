public class Loop {
  public static void main(String[] args) {
    long n = Bench.arg(args, 100000000), sum = 0;
    for (long i = 1; i <= n; i++) sum += i;
    if (sum != n * (n + 1) / 2) Bench.fail("loop: wrong sum " + sum);
    System.out.println("sum(1.." + n + ") = " + sum);
  }
}
