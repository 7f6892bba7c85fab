#include "bench.h"
/* Task kinds replace the Smalltalk subclasses; the scheduler dispatches on them. */
enum { IDLE, WORK, HANDLER, DEVICE };
enum { KIND_WORK, KIND_DEVICE };
typedef struct Packet { struct Packet *link; int id, kind, count; int data[4]; } Packet;
typedef struct Task {
  struct Task *link; int id, priority, state, type;
  Packet *queue;
  long seed, steps;            /* idle */
  int destination, letter;     /* work */
  Packet *work, *devices;      /* handler */
  Packet *pending;             /* device */
} Task;
typedef struct { Task *tasks[7]; Task *list, *current; int current_id; long queue_count, hold_count; } Scheduler;

static Packet *packet(Packet *link, int id, int kind) { Packet *p = bench_alloc(sizeof *p); p->link = link; p->id = id; p->kind = kind; return p; }
static Packet *append(Packet *p, Packet *queue) {
  p->link = NULL;
  if (!queue) return p;
  Packet *last = queue;
  while (last->link) last = last->link;
  last->link = p;
  return queue;
}
static Task *task(Scheduler *s, int type, int id, int priority, Packet *queue) {
  Task *t = bench_alloc(sizeof *t);
  t->type = type; t->id = id; t->priority = priority; t->queue = queue; t->state = queue ? 3 : 2;
  s->tasks[id] = t; t->link = s->list; s->list = t;
  return t;
}
static Task *hold_current(Scheduler *s) { s->hold_count++; s->current->state |= 4; return s->current->link; }
static Task *wait_current(Scheduler *s) { s->current->state |= 2; return s->current; }
static Task *release(Scheduler *s, int id) { Task *t = s->tasks[id]; t->state &= 3; return t->priority > s->current->priority ? t : s->current; }
static Task *queue(Scheduler *s, Packet *p) {
  Task *t = s->tasks[p->id];
  s->queue_count++;
  p->link = NULL; p->id = s->current_id;
  int idle = 0;
  if (!t->queue) { t->queue = p; t->state |= 1; idle = 1; } else t->queue = append(p, t->queue);
  return idle && t->priority > s->current->priority ? t : s->current;
}
static Task *run(Scheduler *s, Task *t, Packet *p) {
  switch (t->type) {
  case IDLE:
    if (--t->steps == 0) return hold_current(s);
    if ((t->seed & 1) == 0) { t->seed >>= 1; return release(s, 5); }
    t->seed = (t->seed >> 1) ^ 0xD008; return release(s, 6);
  case WORK:
    if (!p) return wait_current(s);
    t->destination = t->destination == 3 ? 4 : 3;
    p->id = t->destination; p->count = 0;
    for (int i = 0; i < 4; i++) { if (++t->letter > 26) t->letter = 1; p->data[i] = t->letter; }
    return queue(s, p);
  case HANDLER:
    if (p) { if (p->kind == KIND_WORK) t->work = append(p, t->work); else t->devices = append(p, t->devices); }
    if (t->work) {
      Packet *w = t->work; int count = w->count;
      if (count > 3) { t->work = w->link; return queue(s, w); }
      if (t->devices) { Packet *d = t->devices; t->devices = d->link; d->count = w->data[count]; w->count = count + 1; return queue(s, d); }
    }
    return wait_current(s);
  default:
    if (!p) { if (!t->pending) return wait_current(s); Packet *q = t->pending; t->pending = NULL; return queue(s, q); }
    t->pending = p; return hold_current(s);
  }
}
static void round_once(void) {
  Scheduler s; memset(&s, 0, sizeof s);
  Task *idle = task(&s, IDLE, 1, 0, NULL); idle->seed = 1; idle->steps = 10000; idle->state = 0;
  Packet *ps = packet(packet(NULL, 0, KIND_WORK), 0, KIND_WORK);
  task(&s, WORK, 2, 1000, ps)->destination = 3;
  task(&s, HANDLER, 3, 2000, packet(packet(packet(NULL, 5, KIND_DEVICE), 5, KIND_DEVICE), 5, KIND_DEVICE));
  task(&s, HANDLER, 4, 3000, packet(packet(packet(NULL, 6, KIND_DEVICE), 6, KIND_DEVICE), 6, KIND_DEVICE));
  task(&s, DEVICE, 5, 4000, NULL);
  task(&s, DEVICE, 6, 5000, NULL);
  s.current = s.list;
  while (s.current) {
    Task *t = s.current;
    if ((t->state & 4) || t->state == 2) { s.current = t->link; continue; }
    Packet *p = NULL;
    if (t->state == 3) { p = t->queue; t->queue = p->link; t->state = t->queue ? 1 : 0; }
    s.current_id = t->id;
    s.current = run(&s, t, p);
  }
  if (s.queue_count != 23246 || s.hold_count != 9297) bench_fail("richards: wrong counts", s.queue_count);
  /* packets and tasks are leaked on purpose: the Smalltalk and Java versions leave them to the GC */
}
int main(int argc, char **argv) {
  long rounds = bench_arg(argc, argv, 50);
  for (long r = 0; r < rounds; r++) round_once();
  printf("richards: %ld x 23246 packets, 9297 holds\n", rounds);
  return 0;
}
