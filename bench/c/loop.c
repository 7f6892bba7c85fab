#include "bench.h"
int main(int argc, char **argv) {
  long n = bench_arg(argc, argv, 100000000), sum = 0;
  for (long i = 1; i <= n; i++) sum += i;
  if (sum != n * (n + 1) / 2) bench_fail("loop: wrong sum", sum);
  printf("sum(1..%ld) = %ld\n", n, sum);
  return 0;
}
