import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
public class Json {
  final String input; int position;
  Json(String input) { this.input = input; }
  int peek() { return position >= input.length() ? -1 : input.charAt(position); }
  char next() { return input.charAt(position++); }
  void skipSpaces() { while (position < input.length() && Character.isWhitespace(input.charAt(position))) position++; }
  void expect(char c) { skipSpaces(); if (next() != c) Bench.fail("json: expected " + c); }
  Object parseValue() {
    skipSpaces();
    switch (peek()) {
      case '{': return parseObject();
      case '[': return parseArray();
      case '"': return parseString();
      case 't': position += 4; return Boolean.TRUE;
      case 'f': position += 5; return Boolean.FALSE;
      case 'n': position += 4; return null;
      default: return parseNumber();
    }
  }
  Map<String, Object> parseObject() {
    Map<String, Object> object = new HashMap<>();
    expect('{'); skipSpaces();
    if (peek() == '}') { next(); return object; }
    do { skipSpaces(); String key = parseString(); expect(':'); object.put(key, parseValue()); skipSpaces(); } while (next() == ',');
    return object;
  }
  List<Object> parseArray() {
    List<Object> array = new ArrayList<>();
    expect('['); skipSpaces();
    if (peek() == ']') { next(); return array; }
    do { array.add(parseValue()); skipSpaces(); } while (next() == ',');
    return array;
  }
  String parseString() {
    if (next() != '"') Bench.fail("json: expected a string");
    int start = position;
    while (input.charAt(position) != '"') position++;
    String s = input.substring(start, position);
    position++;
    return s;
  }
  Long parseNumber() {
    boolean negative = peek() == '-';
    if (negative) position++;
    long value = 0;
    while (position < input.length() && Character.isDigit(input.charAt(position))) value = value * 10 + (input.charAt(position++) - '0');
    return negative ? -value : value;
  }
  static long checksum(Object v) {
    if (v == null) return 1;
    if (v == Boolean.TRUE) return 2;
    if (v == Boolean.FALSE) return 3;
    if (v instanceof String s) return s.length();
    if (v instanceof Long n) return n;
    long sum = 0;
    if (v instanceof Map<?, ?> m) { for (Object each : m.values()) sum += checksum(each); return sum; }
    List<?> list = (List<?>) v;
    sum = list.size();
    for (Object each : list) sum += checksum(each);
    return sum;
  }
  static String document() {
    StringBuilder s = new StringBuilder("{\"name\": \"bench\", \"items\": [");
    for (int i = 1; i <= 200; i++) {
      if (i > 1) s.append(", ");
      s.append("{\"id\": ").append(i).append(", \"label\": \"item").append(i).append("\", \"weight\": ").append(i * 37 % 101 - 50)
       .append(", \"tags\": [\"a\", \"bb\", \"ccc\"], \"active\": ").append(i % 2 == 1 ? "true" : "false").append(", \"next\": null}");
    }
    return s.append("]}").toString();
  }
  public static void main(String[] args) {
    long rounds = Bench.arg(args, 200), result = 0;
    String text = document();
    for (long r = 0; r < rounds; r++) {
      result = checksum(new Json(text).parseValue());
      if (result != 24133) Bench.fail("json: wrong checksum " + result);
    }
    System.out.println("json: " + rounds + " x " + result);
  }
}
