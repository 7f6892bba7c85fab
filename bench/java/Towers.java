public class Towers {
  static final class Disk { final int size; Disk next; Disk(int size) { this.size = size; } }
  final Disk[] piles = new Disk[4]; long moves;
  void push(Disk d, int pile) {
    Disk top = piles[pile];
    if (top != null && d.size >= top.size) Bench.fail("towers: illegal move");
    d.next = top; piles[pile] = d;
  }
  Disk pop(int pile) {
    Disk top = piles[pile];
    if (top == null) Bench.fail("towers: empty pile");
    piles[pile] = top.next; top.next = null;
    return top;
  }
  void moveFrom(int from, int to) { push(pop(from), to); moves++; }
  void move(int disks, int from, int to) {
    if (disks == 1) { moveFrom(from, to); return; }
    move(disks - 1, from, 6 - from - to);
    moveFrom(from, to);
    move(disks - 1, 6 - from - to, to);
  }
  long run(int disks) {
    for (int i = disks; i >= 1; i--) push(new Disk(i), 1);
    move(disks, 1, 3);
    if (piles[1] != null || piles[2] != null) Bench.fail("towers: disks left behind");
    return moves;
  }
  public static void main(String[] args) {
    long rounds = Bench.arg(args, 200);
    for (long r = 0; r < rounds; r++) { long m = new Towers().run(18); if (m != 262143) Bench.fail("towers: wrong move count " + m); }
    System.out.println("towers: " + rounds + " x 262143 moves");
  }
}
