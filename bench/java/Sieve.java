public class Sieve {
  static int primesUpTo(int size) {
    boolean[] flags = new boolean[size + 1];
    java.util.Arrays.fill(flags, true);
    int count = 0;
    for (int i = 2; i <= size; i++)
      if (flags[i]) { count++; for (int k = i + i; k <= size; k += i) flags[k] = false; }
    return count;
  }
  public static void main(String[] args) {
    long rounds = Bench.arg(args, 2000);
    for (long r = 0; r < rounds; r++) { int c = primesUpTo(8192); if (c != 1028) Bench.fail("sieve: wrong count " + c); }
    System.out.println("sieve: " + rounds + " x 1028 primes");
  }
}
