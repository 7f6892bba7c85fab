/* Shared by the C versions of the benchmarks: the size argument and loud failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long bench_arg(int argc, char **argv, long fallback) {
  return argc > 1 ? atol(argv[1]) : fallback;
}

static void bench_fail(const char *what, long value) {
  fprintf(stderr, "Error: %s %ld\n", what, value);
  exit(1);
}

static void *bench_alloc(size_t bytes) {
  void *p = calloc(1, bytes);
  if (!p) bench_fail("out of memory", (long)bytes);
  return p;
}
