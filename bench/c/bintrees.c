#include "bench.h"
typedef struct Node { struct Node *left, *right; } Node;
static Node *make(Node *l, Node *r) { Node *n = malloc(sizeof(Node)); if (!n) bench_fail("out of memory", 0); n->left = l; n->right = r; return n; }
static Node *depth(int d) { return d == 0 ? make(NULL, NULL) : make(depth(d - 1), depth(d - 1)); }
static long count(Node *n) { return n->left ? 1 + count(n->left) + count(n->right) : 1; }
/* The Smalltalk version leaves dead trees to its GC; C frees them, its nearest equivalent. */
static void release(Node *n) { if (n->left) { release(n->left); release(n->right); } free(n); }
int main(int argc, char **argv) {
  int max = (int)bench_arg(argc, argv, 16);
  Node *long_lived = depth(max);
  long total = 0;
  for (int d = 4; d <= max; d += 2) {
    long iterations = 1L << (max - d + 4), nodes = 0;
    for (long i = 0; i < iterations; i++) { Node *t = depth(d); nodes += count(t); release(t); }
    if (nodes != iterations * ((1L << (d + 1)) - 1)) bench_fail("bintrees: wrong node count", nodes);
    total += nodes;
  }
  if (count(long_lived) != (1L << (max + 1)) - 1) bench_fail("bintrees: long-lived tree damaged", 0);
  printf("bintrees(%d): %ld nodes\n", max, total);
  return 0;
}
