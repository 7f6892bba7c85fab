#include "bench.h"
static long fib(long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static long iterative_fib(long n) { long a = 0, b = 1, t; while (n-- > 0) { t = a + b; a = b; b = t; } return a; }
int main(int argc, char **argv) {
  long n = bench_arg(argc, argv, 32), r = fib(n);
  if (r != iterative_fib(n)) bench_fail("fib: wrong result", r);
  printf("fib(%ld) = %ld\n", n, r);
  return 0;
}
