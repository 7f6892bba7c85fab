#include "bench.h"
typedef struct Disk { long size; struct Disk *next; } Disk;
typedef struct { Disk *piles[4]; long moves; } Towers;
static void push(Towers *t, Disk *d, int pile) {
  Disk *top = t->piles[pile];
  if (top && d->size >= top->size) bench_fail("towers: illegal move", d->size);
  d->next = top; t->piles[pile] = d;
}
static Disk *pop(Towers *t, int pile) {
  Disk *top = t->piles[pile];
  if (!top) bench_fail("towers: empty pile", pile);
  t->piles[pile] = top->next; top->next = NULL;
  return top;
}
static void move_from(Towers *t, int from, int to) { push(t, pop(t, from), to); t->moves++; }
static void move(Towers *t, int disks, int from, int to) {
  if (disks == 1) { move_from(t, from, to); return; }
  move(t, disks - 1, from, 6 - from - to);
  move_from(t, from, to);
  move(t, disks - 1, 6 - from - to, to);
}
static long run(int disks) {
  Towers t = {{0}, 0};
  Disk *all[64];
  for (int i = disks; i >= 1; i--) { Disk *d = bench_alloc(sizeof(Disk)); d->size = i; all[i] = d; push(&t, d, 1); }
  move(&t, disks, 1, 3);
  if (t.piles[1] || t.piles[2]) bench_fail("towers: disks left behind", 0);
  for (int i = 1; i <= disks; i++) free(all[i]);
  return t.moves;
}
int main(int argc, char **argv) {
  long rounds = bench_arg(argc, argv, 200);
  for (long r = 0; r < rounds; r++) { long m = run(18); if (m != 262143) bench_fail("towers: wrong move count", m); }
  printf("towers: %ld x 262143 moves\n", rounds);
  return 0;
}
