#include "bench.h"
static long inside_count(long size) {
  long count = 0;
  for (long y = 0; y < size; y++) {
    double ci = (2.0 * y / size) - 1.0;
    for (long x = 0; x < size; x++) {
      double cr = (2.0 * x / size) - 1.5, zr = 0, zi = 0, tr = 0, ti = 0;
      int escaped = 0, i = 0;
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
int main(int argc, char **argv) {
  static const long expected[] = {20, 157, 40, 633, 100, 3959, 200, 15899, 400, 63528, 500, 99274};
  long size = bench_arg(argc, argv, 200), count = inside_count(size);
  for (int i = 0; i < 12; i += 2)
    if (expected[i] == size && expected[i + 1] != count) bench_fail("mandelbrot: wrong count", count);
  printf("mandelbrot(%ld): %ld inside\n", size, count);
  return 0;
}
