public class Mandelbrot {
  static long insideCount(long size) {
    long count = 0;
    for (long y = 0; y < size; y++) {
      double ci = (2.0 * y / size) - 1.0;
      for (long x = 0; x < size; x++) {
        double cr = (2.0 * x / size) - 1.5, zr = 0, zi = 0, tr = 0, ti = 0;
        boolean escaped = false; int i = 0;
        while (!(escaped || i >= 50)) {
          zi = 2.0 * zr * zi + ci;
          zr = tr - ti + cr;
          tr = zr * zr;
          ti = zi * zi;
          escaped = tr + ti > 4.0;
          i++;
        }
        if (!escaped) count++;
      }
    }
    return count;
  }
  public static void main(String[] args) {
    long[] expected = {20, 157, 40, 633, 100, 3959, 200, 15899, 400, 63528, 500, 99274};
    long size = Bench.arg(args, 200), count = insideCount(size);
    for (int i = 0; i < expected.length; i += 2)
      if (expected[i] == size && expected[i + 1] != count) Bench.fail("mandelbrot: wrong count " + count);
    System.out.println("mandelbrot(" + size + "): " + count + " inside");
  }
}
