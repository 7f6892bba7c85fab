import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
public class Lists {
  static final class Cell { final long value; Cell next; Cell(long v, Cell n) { value = v; next = n; } }
  static long orderedChurn() {
    ArrayDeque<Long> q = new ArrayDeque<>();
    for (long i = 1; i <= 1000; i++) { q.addLast(i); q.addFirst(-i); }
    long sum = 0;
    for (int k = 0; k < 500; k++) sum = sum + q.removeFirst() - q.removeLast();
    return sum + q.size();
  }
  static long blockChurn() {
    List<Long> numbers = new ArrayList<>();
    for (long i = 1; i <= 1000; i++) numbers.add(i);
    List<Long> tripled = new ArrayList<>(), odd = new ArrayList<>();
    for (Long each : numbers) tripled.add(each * 3);
    for (Long each : tripled) if ((each & 1) != 0) odd.add(each);
    long sum = 0;
    for (Long each : odd) sum = sum + each;
    return sum;
  }
  static long consChurn() {
    Cell list = null;
    for (long i = 1; i <= 1000; i++) list = new Cell(i, list);
    Cell reversed = null, cell = list;
    while (cell != null) { Cell next = cell.next; cell.next = reversed; reversed = cell; cell = next; }
    long n = 0;
    for (cell = reversed; cell != null; cell = cell.next) n += cell.value;
    return n - reversed.value;
  }
  public static void main(String[] args) {
    long rounds = Bench.arg(args, 300), result = 0;
    for (long r = 0; r < rounds; r++) {
      result = orderedChurn() + blockChurn() + consChurn();
      if (result != 500999) Bench.fail("lists: wrong result " + result);
    }
    System.out.println("lists: " + rounds + " x " + result);
  }
}
