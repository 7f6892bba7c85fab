#include "bench.h"
/* A growable deque stands in for OrderedCollection; callbacks stand in for blocks. */
typedef struct { long *items; long first, last, capacity; } Deque;
static Deque *deque_new(long capacity) { Deque *d = bench_alloc(sizeof *d); d->capacity = capacity; d->items = bench_alloc(sizeof(long) * capacity); d->first = capacity / 2; d->last = d->first - 1; return d; }
static void deque_grow(Deque *d) {
  long n = d->last - d->first + 1, cap = d->capacity * 2, *items = bench_alloc(sizeof(long) * cap), start = (cap - n) / 2;
  memcpy(items + start, d->items + d->first, sizeof(long) * n);
  free(d->items); d->items = items; d->capacity = cap; d->first = start; d->last = start + n - 1;
}
static void add_last(Deque *d, long v) { if (d->last + 1 >= d->capacity) deque_grow(d); d->items[++d->last] = v; }
static void add_first(Deque *d, long v) { if (d->first == 0) deque_grow(d); d->items[--d->first] = v; }
static long remove_first(Deque *d) { return d->items[d->first++]; }
static long remove_last(Deque *d) { return d->items[d->last--]; }
static long deque_size(Deque *d) { return d->last - d->first + 1; }
static void deque_free(Deque *d) { free(d->items); free(d); }
static Deque *collect(Deque *d, long (*f)(long)) { Deque *r = deque_new(deque_size(d) + 2); for (long i = d->first; i <= d->last; i++) add_last(r, f(d->items[i])); return r; }
static Deque *select_(Deque *d, int (*f)(long)) { Deque *r = deque_new(deque_size(d) + 2); for (long i = d->first; i <= d->last; i++) if (f(d->items[i])) add_last(r, d->items[i]); return r; }
static long inject(Deque *d, long acc, long (*f)(long, long)) { for (long i = d->first; i <= d->last; i++) acc = f(acc, d->items[i]); return acc; }
static long times3(long x) { return x * 3; }
static int odd(long x) { return x & 1; }
static long plus(long a, long b) { return a + b; }

static long ordered_churn(void) {
  Deque *q = deque_new(10);
  for (long i = 1; i <= 1000; i++) { add_last(q, i); add_first(q, -i); }
  long sum = 0;
  for (int k = 0; k < 500; k++) { long a = remove_first(q); sum = sum + a - remove_last(q); }
  sum += deque_size(q); deque_free(q);
  return sum;
}
static long block_churn(void) {
  Deque *n = deque_new(10);
  for (long i = 1; i <= 1000; i++) add_last(n, i);
  Deque *c = collect(n, times3), *s = select_(c, odd);
  long r = inject(s, 0, plus);
  deque_free(n); deque_free(c); deque_free(s);
  return r;
}
typedef struct Cell { long value; struct Cell *next; } Cell;
static long cons_churn(void) {
  Cell *list = NULL;
  for (long i = 1; i <= 1000; i++) { Cell *c = bench_alloc(sizeof *c); c->value = i; c->next = list; list = c; }
  Cell *rev = NULL, *cell = list, *next;
  while (cell) { next = cell->next; cell->next = rev; rev = cell; cell = next; }
  long n = 0;
  for (cell = rev; cell; cell = cell->next) n += cell->value;
  long r = n - rev->value;
  while (rev) { next = rev->next; free(rev); rev = next; }
  return r;
}
int main(int argc, char **argv) {
  long rounds = bench_arg(argc, argv, 300), result = 0;
  for (long r = 0; r < rounds; r++) {
    result = ordered_churn() + block_churn() + cons_churn();
    if (result != 500999) bench_fail("lists: wrong result", result);
  }
  printf("lists: %ld x %ld\n", rounds, result);
  return 0;
}
