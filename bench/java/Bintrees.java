public class Bintrees {
  static final class Node {
    final Node left, right;
    Node(Node left, Node right) { this.left = left; this.right = right; }
    static Node depth(int d) { return d == 0 ? new Node(null, null) : new Node(depth(d - 1), depth(d - 1)); }
    long count() { return left == null ? 1 : 1 + left.count() + right.count(); }
  }
  public static void main(String[] args) {
    int max = (int) Bench.arg(args, 16);
    Node longLived = Node.depth(max);
    long total = 0;
    for (int d = 4; d <= max; d += 2) {
      long iterations = 1L << (max - d + 4), nodes = 0;
      for (long i = 0; i < iterations; i++) nodes += Node.depth(d).count();
      if (nodes != iterations * ((1L << (d + 1)) - 1)) Bench.fail("bintrees: wrong node count");
      total += nodes;
    }
    if (longLived.count() != (1L << (max + 1)) - 1) Bench.fail("bintrees: long-lived tree damaged");
    System.out.println("bintrees(" + max + "): " + total + " nodes");
  }
}
