public class Permute {
  int[] elements; long count, checksum;
  void swap(int i, int j) { int t = elements[i]; elements[i] = elements[j]; elements[j] = t; }
  void permute(int n, Runnable block) {
    if (n == 0) { block.run(); return; }
    permute(n - 1, block);
    for (int i = n - 1; i >= 1; i--) { swap(n, i); permute(n - 1, block); swap(n, i); }
  }
  long run(int n) {
    elements = new int[n + 1];
    for (int i = 1; i <= n; i++) elements[i] = i;
    permute(n, () -> { count++; checksum += elements[1]; });
    for (int i = 1; i <= n; i++) if (elements[i] != i) Bench.fail("permute: array not restored");
    if (checksum != count / n * (n * (n + 1) / 2)) Bench.fail("permute: wrong checksum");
    return count;
  }
  public static void main(String[] args) {
    long rounds = Bench.arg(args, 300);
    for (long r = 0; r < rounds; r++) { long c = new Permute().run(8); if (c != 40320) Bench.fail("permute: wrong count " + c); }
    System.out.println("permute: " + rounds + " x 40320 permutations");
  }
}
