#include "bench.h"
static long primes_up_to(long size) {
  char *flags = bench_alloc(size + 1);
  long count = 0;
  memset(flags, 1, size + 1);
  for (long i = 2; i <= size; i++)
    if (flags[i]) { count++; for (long k = i + i; k <= size; k += i) flags[k] = 0; }
  free(flags);
  return count;
}
int main(int argc, char **argv) {
  long rounds = bench_arg(argc, argv, 2000);
  for (long r = 0; r < rounds; r++) { long c = primes_up_to(8192); if (c != 1028) bench_fail("sieve: wrong count", c); }
  printf("sieve: %ld x 1028 primes\n", rounds);
  return 0;
}
