#include "bench.h"
/* The Smalltalk version passes a block; here a function pointer and a context play its part. */
typedef struct { long elements[16]; long count, checksum; } Permute;
typedef void (*Visit)(Permute *);
static void swap(Permute *p, int i, int j) { long t = p->elements[i]; p->elements[i] = p->elements[j]; p->elements[j] = t; }
static void permute(Permute *p, int n, Visit visit) {
  if (n == 0) { visit(p); return; }
  permute(p, n - 1, visit);
  for (int i = n - 1; i >= 1; i--) { swap(p, n, i); permute(p, n - 1, visit); swap(p, n, i); }
}
static void count_one(Permute *p) { p->count++; p->checksum += p->elements[1]; }
static long run(int n) {
  Permute p;
  for (int i = 1; i <= n; i++) p.elements[i] = i;
  p.count = 0; p.checksum = 0;
  permute(&p, n, count_one);
  for (int i = 1; i <= n; i++) if (p.elements[i] != i) bench_fail("permute: array not restored", i);
  if (p.checksum != p.count / n * (n * (n + 1) / 2)) bench_fail("permute: wrong checksum", p.checksum);
  return p.count;
}
int main(int argc, char **argv) {
  long rounds = bench_arg(argc, argv, 300);
  for (long r = 0; r < rounds; r++) { long c = run(8); if (c != 40320) bench_fail("permute: wrong count", c); }
  printf("permute: %ld x 40320 permutations\n", rounds);
  return 0;
}
