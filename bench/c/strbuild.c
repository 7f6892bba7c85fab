#include "bench.h"
/* A growable byte buffer stands in for WriteStream and for the copies that , makes. */
typedef struct { char *bytes; long size, capacity; } Buffer;
static void put(Buffer *b, const char *s, long n) {
  if (b->size + n > b->capacity) {
    long cap = b->capacity ? b->capacity : 16;
    while (cap < b->size + n) cap *= 2;
    char *bytes = bench_alloc(cap);
    if (b->size) memcpy(bytes, b->bytes, b->size);
    free(b->bytes); b->bytes = bytes; b->capacity = cap;
  }
  memcpy(b->bytes + b->size, s, n); b->size += n;
}
static long checksum(const char *s, long n) { long sum = 0; for (long i = 0; i < n; i++) sum += (unsigned char)s[i]; return sum; }
static long round_once(void) {
  Buffer a = {0}; char digits[24];
  for (int i = 1; i <= 2000; i++) { put(&a, "n", 1); put(&a, digits, snprintf(digits, sizeof digits, "%d", i)); put(&a, ";", 1); }
  /* s := s , i printString , ',' copies the whole string twice per step, as here */
  char *s = bench_alloc(1); long n = 0;
  for (int i = 1; i <= 200; i++) {
    long d = snprintf(digits, sizeof digits, "%d", i);
    char *t = bench_alloc(n + d); memcpy(t, s, n); memcpy(t + n, digits, d); free(s);
    char *u = bench_alloc(n + d + 1); memcpy(u, t, n + d); u[n + d] = ','; free(t);
    s = u; n += d + 1;
  }
  char *reversed = bench_alloc(n);
  for (long i = 0; i < n; i++) reversed[i] = s[n - 1 - i];
  long r = a.size * 100000 + n + checksum(a.bytes, a.size) + checksum(reversed, n);
  free(a.bytes); free(s); free(reversed);
  return r;
}
int main(int argc, char **argv) {
  long rounds = bench_arg(argc, argv, 300), result = 0;
  for (long r = 0; r < rounds; r++) { result = round_once(); if (result != 1090031876) bench_fail("strbuild: wrong result", result); }
  printf("strbuild: %ld x %ld\n", rounds, result);
  return 0;
}
