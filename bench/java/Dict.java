import java.util.HashMap;
import java.util.Map;
public class Dict {
  static long stringCounts() {
    Map<String, Long> counts = new HashMap<>();
    for (long i = 1; i <= 4000; i++) { String key = "key" + (i * 7 % 500); counts.put(key, counts.getOrDefault(key, 0L) + 1); }
    long total = 0;
    for (long c : counts.values()) total += c;
    return total * 1000 + counts.size();
  }
  static long integerTable() {
    Map<Long, Long> table = new HashMap<>();
    for (long i = 1; i <= 5000; i++) table.put(i * 31, i);
    long hits = 0;
    for (long i = 1; i <= 20000; i++) hits += table.getOrDefault(i, 0L);
    for (long i = 1; i <= 5000; i += 2) table.remove(i * 31);
    return hits + table.size();
  }
  public static void main(String[] args) {
    long rounds = Bench.arg(args, 100), result = 0;
    for (long r = 0; r < rounds; r++) {
      result = stringCounts() + integerTable();
      if (result != 4211335) Bench.fail("dict: wrong result " + result);
    }
    System.out.println("dict: " + rounds + " x " + result);
  }
}
