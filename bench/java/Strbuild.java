public class Strbuild {
  static long checksum(String s) { long sum = 0; for (int i = 0; i < s.length(); i++) sum += s.charAt(i); return sum; }
  static long round() {
    StringBuilder stream = new StringBuilder();
    for (int i = 1; i <= 2000; i++) stream.append('n').append(i).append(';');
    String a = stream.toString();
    String s = "";
    for (int i = 1; i <= 200; i++) s = s + i + ",";   // a fresh String per step, as , makes one
    String reversed = new StringBuilder(s).reverse().toString();
    return a.length() * 100000L + s.length() + checksum(a) + checksum(reversed);
  }
  public static void main(String[] args) {
    long rounds = Bench.arg(args, 300), result = 0;
    for (long r = 0; r < rounds; r++) { result = round(); if (result != 1090031876) Bench.fail("strbuild: wrong result " + result); }
    System.out.println("strbuild: " + rounds + " x " + result);
  }
}
