#include "bench.h"
#include <ctype.h>
#include "table.h"
enum { NIL, TRUE_, FALSE_, STRING, NUMBER, OBJECT, ARRAY };
typedef struct Value { int type; long number; char *string; Table *object; struct Value **items; long size, capacity; } Value;
typedef struct { const char *input; long position, length; } Parser;
static Value *value(int type) { Value *v = bench_alloc(sizeof *v); v->type = type; return v; }
static void skip_spaces(Parser *p) { while (p->position < p->length && isspace((unsigned char)p->input[p->position])) p->position++; }
static int peek(Parser *p) { return p->position >= p->length ? -1 : p->input[p->position]; }
static int next(Parser *p) { return p->input[p->position++]; }
static void expect(Parser *p, int c) { skip_spaces(p); if (next(p) != c) bench_fail("json: expected", c); }
static Value *parse_value(Parser *p);
static Value *parse_string(Parser *p) {
  if (next(p) != '"') bench_fail("json: expected a string", p->position);
  long start = p->position;
  while (p->input[p->position] != '"') p->position++;
  Value *v = value(STRING);
  v->size = p->position - start;
  v->string = bench_alloc(v->size + 1);
  memcpy(v->string, p->input + start, v->size);
  p->position++;
  return v;
}
static Value *parse_object(Parser *p) {
  Value *v = value(OBJECT); v->object = table_new(1);
  expect(p, '{'); skip_spaces(p);
  if (peek(p) == '}') { next(p); return v; }
  do {
    skip_spaces(p);
    Value *key = parse_string(p);
    expect(p, ':');
    table_put(v->object, (long)key->string, (long)parse_value(p));
    skip_spaces(p);
  } while (next(p) == ',');
  return v;
}
static void add(Value *array, Value *item) {
  if (array->size == array->capacity) {
    array->capacity = array->capacity ? array->capacity * 2 : 10;
    Value **items = bench_alloc(sizeof(Value *) * array->capacity);
    if (array->size) memcpy(items, array->items, sizeof(Value *) * array->size);
    free(array->items); array->items = items;
  }
  array->items[array->size++] = item;
}
static Value *parse_array(Parser *p) {
  Value *v = value(ARRAY);
  expect(p, '['); skip_spaces(p);
  if (peek(p) == ']') { next(p); return v; }
  do { add(v, parse_value(p)); skip_spaces(p); } while (next(p) == ',');
  return v;
}
static Value *parse_number(Parser *p) {
  int negative = peek(p) == '-';
  if (negative) p->position++;
  long n = 0;
  while (p->position < p->length && isdigit((unsigned char)p->input[p->position])) n = n * 10 + (p->input[p->position++] - '0');
  Value *v = value(NUMBER); v->number = negative ? -n : n;
  return v;
}
static Value *parse_value(Parser *p) {
  skip_spaces(p);
  switch (peek(p)) {
  case '{': return parse_object(p);
  case '[': return parse_array(p);
  case '"': return parse_string(p);
  case 't': p->position += 4; return value(TRUE_);
  case 'f': p->position += 5; return value(FALSE_);
  case 'n': p->position += 4; return value(NIL);
  default: return parse_number(p);
  }
}
static long checksum(Value *v) {
  long sum = 0;
  switch (v->type) {
  case NIL: return 1;
  case TRUE_: return 2;
  case FALSE_: return 3;
  case STRING: return v->size;
  case NUMBER: return v->number;
  case OBJECT:
    for (long i = 0; i < v->object->capacity; i++) if (v->object->used[i]) sum += checksum((Value *)v->object->values[i]);
    return sum;
  default:
    sum = v->size;
    for (long i = 0; i < v->size; i++) sum += checksum(v->items[i]);
    return sum;
  }
}
static void release(Value *v) {
  if (v->type == OBJECT) {
    for (long i = 0; i < v->object->capacity; i++) if (v->object->used[i]) { free((char *)v->object->keys[i]); release((Value *)v->object->values[i]); }
    table_free(v->object);
  }
  if (v->type == ARRAY) { for (long i = 0; i < v->size; i++) release(v->items[i]); free(v->items); }
  free(v->string); free(v);
}
static char *document(void) {
  size_t cap = 1 << 16, n = 0; char *s = bench_alloc(cap);
  n += snprintf(s + n, cap - n, "{\"name\": \"bench\", \"items\": [");
  for (int i = 1; i <= 200; i++)
    n += snprintf(s + n, cap - n, "%s{\"id\": %d, \"label\": \"item%d\", \"weight\": %d, \"tags\": [\"a\", \"bb\", \"ccc\"], \"active\": %s, \"next\": null}",
                  i > 1 ? ", " : "", i, i, i * 37 % 101 - 50, i % 2 ? "true" : "false");
  snprintf(s + n, cap - n, "]}");
  return s;
}
int main(int argc, char **argv) {
  long rounds = bench_arg(argc, argv, 200), result = 0;
  char *text = document();
  for (long r = 0; r < rounds; r++) {
    Parser p = {text, 0, (long)strlen(text)};
    Value *v = parse_value(&p);
    result = checksum(v);
    release(v);
    if (result != 24133) bench_fail("json: wrong checksum", result);
  }
  printf("json: %ld x %ld\n", rounds, result);
  return 0;
}
