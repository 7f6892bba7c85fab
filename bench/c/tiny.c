#include "bench.h"
#include <time.h>
static long micros(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000L + t.tv_nsec / 1000; }
static long sieve_round(void) {
  char flags[8193]; long count = 0;
  memset(flags, 1, sizeof flags);
  for (long i = 2; i <= 8192; i++)
    if (flags[i]) { count++; for (long k = i + i; k <= 8192; k += i) flags[k] = 0; }
  return count;
}
static long bench_fib(long n) { return n < 2 ? 1 : bench_fib(n - 1) + bench_fib(n - 2) + 1; }
static long fib(long n) { long a = 0, b = 1, t; while (n-- > 0) { t = a + b; a = b; b = t; } return a; }
int main(int argc, char **argv) {
  long n = bench_arg(argc, argv, 27), start = micros();
  for (long r = 0; r < n * 4; r++) if (sieve_round() != 1028) bench_fail("tiny: wrong prime count", 0);
  long sieve_time = micros() - start; if (sieve_time < 1) sieve_time = 1;
  start = micros();
  long sends = bench_fib(n);
  long fib_time = micros() - start; if (fib_time < 1) fib_time = 1;
  if (sends != 2 * fib(n + 1) - 1) bench_fail("tiny: wrong benchFib", sends);
  printf("tiny(%ld): %ld sends\n", n, sends);
  printf("# %ld bytecodes/s; %ld sends/s\n", n * 4 * 500000 * 1000000 / sieve_time, sends * 1000000 / fib_time);
  return 0;
}
