public class Queens {
  final int size; int solutions; final boolean[] rows, up, down;
  Queens(int n) {
    size = n; rows = new boolean[n + 1]; up = new boolean[2 * n + 1]; down = new boolean[2 * n + 1];
    java.util.Arrays.fill(rows, true); java.util.Arrays.fill(up, true); java.util.Arrays.fill(down, true);
  }
  boolean isFree(int row, int col) { return rows[row] && up[row + col] && down[row - col + size]; }
  void mark(int row, int col, boolean v) { rows[row] = v; up[row + col] = v; down[row - col + size] = v; }
  void countFrom(int col) {
    if (col > size) { solutions++; return; }
    for (int row = 1; row <= size; row++)
      if (isFree(row, col)) { mark(row, col, false); countFrom(col + 1); mark(row, col, true); }
  }
  int[] firstSolution(int col, int[] queens) {
    if (col > size) return queens.clone();
    for (int row = 1; row <= size; row++)
      if (isFree(row, col)) {
        queens[col] = row; mark(row, col, false);
        int[] found = firstSolution(col + 1, queens);
        mark(row, col, true);
        if (found != null) return found;
      }
    return null;
  }
  public static void main(String[] args) {
    long rounds = Bench.arg(args, 2000);
    int[] expected = {0, 1, 5, 8, 6, 3, 7, 2, 4};
    for (long r = 0; r < rounds; r++) {
      Queens q = new Queens(8); q.countFrom(1);
      if (q.solutions != 92) Bench.fail("queens: wrong count " + q.solutions);
      int[] first = new Queens(8).firstSolution(1, new int[9]);
      if (!java.util.Arrays.equals(first, expected)) Bench.fail("queens: wrong first solution");
    }
    System.out.println("queens: " + rounds + " x 92 solutions");
  }
}
