#include "bench.h"
#include <math.h>
typedef struct { double x, y, z, vx, vy, vz, mass; } Planet;
static Planet bodies[5];
static void setup(void) {
  const double pi = 3.141592653589793, solar = 4.0 * pi * pi, days = 365.24;
  Planet init[5] = {
    {0, 0, 0, 0, 0, 0, solar},
    {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03 * days, 7.69901118419740425e-03 * days, -6.90460016972063023e-05 * days, 9.54791938424326609e-04 * solar},
    {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03 * days, 4.99852801234917238e-03 * days, 2.30417297573763929e-05 * days, 2.85885980666130812e-04 * solar},
    {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03 * days, 2.37847173959480950e-03 * days, -2.96589568540237556e-05 * days, 4.36624404335156298e-05 * solar},
    {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03 * days, 1.62824170038242295e-03 * days, -9.51592254519715870e-05 * days, 5.15138902046611451e-05 * solar}};
  memcpy(bodies, init, sizeof init);
  double px = 0, py = 0, pz = 0;
  for (int i = 0; i < 5; i++) { px += bodies[i].vx * bodies[i].mass; py += bodies[i].vy * bodies[i].mass; pz += bodies[i].vz * bodies[i].mass; }
  bodies[0].vx = 0.0 - px / solar; bodies[0].vy = 0.0 - py / solar; bodies[0].vz = 0.0 - pz / solar;
}
static void advance(double dt) {
  for (int i = 0; i < 5; i++) {
    Planet *b = &bodies[i];
    for (int j = i + 1; j < 5; j++) {
      Planet *o = &bodies[j];
      double dx = b->x - o->x, dy = b->y - o->y, dz = b->z - o->z;
      double d2 = dx * dx + dy * dy + dz * dz;
      double mag = dt / (d2 * sqrt(d2));
      b->vx = b->vx - dx * o->mass * mag; b->vy = b->vy - dy * o->mass * mag; b->vz = b->vz - dz * o->mass * mag;
      double mm = b->mass * mag;
      o->vx = o->vx + dx * mm; o->vy = o->vy + dy * mm; o->vz = o->vz + dz * mm;
    }
  }
  for (int i = 0; i < 5; i++) { bodies[i].x += dt * bodies[i].vx; bodies[i].y += dt * bodies[i].vy; bodies[i].z += dt * bodies[i].vz; }
}
static double energy(void) {
  double e = 0;
  for (int i = 0; i < 5; i++) {
    Planet *b = &bodies[i];
    e = e + 0.5 * b->mass * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
    for (int j = i + 1; j < 5; j++) {
      Planet *o = &bodies[j];
      double dx = b->x - o->x, dy = b->y - o->y, dz = b->z - o->z;
      e = e - b->mass * o->mass / sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}
static long nano_energy(void) { return llround(energy() * 1.0e9); }
int main(int argc, char **argv) {
  static const long expected[] = {1000, -169087605, 2000, -169071607, 10000, -169016441, 20000, -169089263, 100000, -169079859, 200000, -169083713, 1000000, -169086185};
  long steps = bench_arg(argc, argv, 100000);
  setup();
  long before = nano_energy();
  for (long s = 0; s < steps; s++) advance(0.01);
  long after = nano_energy();
  if (before != -169075164) bench_fail("nbody: wrong initial energy", before);
  for (int i = 0; i < (int)(sizeof expected / sizeof expected[0]); i += 2) if (expected[i] == steps && expected[i + 1] != after) bench_fail("nbody: wrong final energy", after);
  printf("nbody(%ld): %ld %ld nJ\n", steps, before, after);
  return 0;
}
