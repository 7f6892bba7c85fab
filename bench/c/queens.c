#include "bench.h"
typedef struct { int size, solutions; char *rows, *up, *down; } Queens;
static void setup(Queens *q, int n) {
  q->size = n; q->solutions = 0;
  q->rows = bench_alloc(n + 1); q->up = bench_alloc(2 * n + 1); q->down = bench_alloc(2 * n + 1);
  memset(q->rows, 1, n + 1); memset(q->up, 1, 2 * n + 1); memset(q->down, 1, 2 * n + 1);
}
static void teardown(Queens *q) { free(q->rows); free(q->up); free(q->down); }
static int is_free(Queens *q, int row, int col) { return q->rows[row] && q->up[row + col] && q->down[row - col + q->size]; }
static void mark(Queens *q, int row, int col, int v) { q->rows[row] = v; q->up[row + col] = v; q->down[row - col + q->size] = v; }
static void count_from(Queens *q, int col) {
  if (col > q->size) { q->solutions++; return; }
  for (int row = 1; row <= q->size; row++)
    if (is_free(q, row, col)) { mark(q, row, col, 0); count_from(q, col + 1); mark(q, row, col, 1); }
}
/* Answers a fresh copy of the placement when a solution extends it, else NULL. */
static int *first_solution(Queens *q, int col, int *queens) {
  if (col > q->size) { int *copy = bench_alloc(sizeof(int) * (q->size + 1)); memcpy(copy, queens, sizeof(int) * (q->size + 1)); return copy; }
  for (int row = 1; row <= q->size; row++)
    if (is_free(q, row, col)) {
      queens[col] = row; mark(q, row, col, 0);
      int *found = first_solution(q, col + 1, queens);
      mark(q, row, col, 1);
      if (found) return found;
    }
  return NULL;
}
int main(int argc, char **argv) {
  long rounds = bench_arg(argc, argv, 2000);
  static const int expected[] = {0, 1, 5, 8, 6, 3, 7, 2, 4};
  for (long r = 0; r < rounds; r++) {
    Queens q; setup(&q, 8); count_from(&q, 1);
    if (q.solutions != 92) bench_fail("queens: wrong count", q.solutions);
    teardown(&q);
    int placing[9] = {0};
    setup(&q, 8);
    int *first = first_solution(&q, 1, placing);
    if (!first || memcmp(first + 1, expected + 1, 8 * sizeof(int))) bench_fail("queens: wrong first solution", 0);
    free(first); teardown(&q);
  }
  printf("queens: %ld x 92 solutions\n", rounds);
  return 0;
}
