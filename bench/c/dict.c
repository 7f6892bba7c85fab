#include "bench.h"
#include "table.h"
static long string_counts(void) {
  Table *counts = table_new(1);
  char **made = bench_alloc(sizeof(char *) * 4000);
  for (long i = 1; i <= 4000; i++) {
    char *key = bench_alloc(16);
    snprintf(key, 16, "key%ld", (i * 7) % 500);
    made[i - 1] = key;
    table_put(counts, (long)key, table_at(counts, (long)key, 0) + 1);
  }
  long total = 0;
  for (long i = 0; i < counts->capacity; i++) if (counts->used[i]) total += counts->values[i];
  long r = total * 1000 + counts->tally;
  table_free(counts);
  for (long i = 0; i < 4000; i++) free(made[i]);
  free(made);
  return r;
}
static long integer_table(void) {
  Table *t = table_new(0);
  for (long i = 1; i <= 5000; i++) table_put(t, i * 31, i);
  long hits = 0;
  for (long i = 1; i <= 20000; i++) hits += table_at(t, i, 0);
  for (long i = 1; i <= 5000; i += 2) table_remove(t, i * 31);
  long r = hits + t->tally;
  table_free(t);
  return r;
}
int main(int argc, char **argv) {
  long rounds = bench_arg(argc, argv, 100), result = 0;
  for (long r = 0; r < rounds; r++) {
    result = string_counts() + integer_table();
    if (result != 4211335) bench_fail("dict: wrong result", result);
  }
  printf("dict: %ld x %ld\n", rounds, result);
  return 0;
}
