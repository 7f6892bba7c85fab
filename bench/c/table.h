/* An open-addressing hash table with long or string keys and long or pointer values, grown at
 * three quarters full: the C counterpart of Smalltalk's Dictionary. */
typedef struct { int string_keys; long tally, capacity; long *keys; char *used; long *values; } Table;
static unsigned long hash_string(const char *s) { unsigned long h = 2166136261u; while (*s) { h ^= (unsigned char)*s++; h *= 16777619u; } return h; }
static unsigned long hash_key(Table *t, long key) { return t->string_keys ? hash_string((const char *)key) : (unsigned long)key * 2654435761u; }
static int same_key(Table *t, long a, long b) { return t->string_keys ? strcmp((const char *)a, (const char *)b) == 0 : a == b; }
static Table *table_new(int string_keys) {
  Table *t = bench_alloc(sizeof *t); t->string_keys = string_keys; t->capacity = 32;
  t->keys = bench_alloc(sizeof(long) * 32); t->values = bench_alloc(sizeof(long) * 32); t->used = bench_alloc(32);
  return t;
}
static long table_index(Table *t, long key) {
  long i = hash_key(t, key) & (t->capacity - 1);
  while (t->used[i] && !same_key(t, t->keys[i], key)) i = (i + 1) & (t->capacity - 1);
  return i;
}
static void table_put(Table *t, long key, long value);
static void table_grow(Table *t) {
  long old = t->capacity, *keys = t->keys, *values = t->values; char *used = t->used;
  t->capacity *= 2; t->tally = 0;
  t->keys = bench_alloc(sizeof(long) * t->capacity); t->values = bench_alloc(sizeof(long) * t->capacity); t->used = bench_alloc(t->capacity);
  for (long i = 0; i < old; i++) if (used[i]) table_put(t, keys[i], values[i]);
  free(keys); free(values); free(used);
}
static void table_put(Table *t, long key, long value) {
  long i = table_index(t, key);
  if (!t->used[i]) {
    if (4 * (t->tally + 1) > 3 * t->capacity) { table_grow(t); i = table_index(t, key); }
    t->used[i] = 1; t->keys[i] = key; t->tally++;
  }
  t->values[i] = value;
}
static long table_at(Table *t, long key, long absent) { long i = table_index(t, key); return t->used[i] ? t->values[i] : absent; }
static void table_remove(Table *t, long key) {
  long i = table_index(t, key);
  if (!t->used[i]) return;
  t->used[i] = 0; t->tally--;
  /* re-insert the rest of the cluster so that later probes still find it */
  for (long j = (i + 1) & (t->capacity - 1); t->used[j]; j = (j + 1) & (t->capacity - 1)) {
    long k = t->keys[j], v = t->values[j]; t->used[j] = 0; t->tally--; table_put(t, k, v);
  }
}
static void table_free(Table *t) { free(t->keys); free(t->values); free(t->used); free(t); }
