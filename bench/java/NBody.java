public class NBody {
  static final class Planet {
    double x, y, z, vx, vy, vz; final double mass;
    Planet(double x, double y, double z, double vx, double vy, double vz, double mass) {
      this.x = x; this.y = y; this.z = z; this.vx = vx; this.vy = vy; this.vz = vz; this.mass = mass;
    }
    void move(double dt) { x = x + dt * vx; y = y + dt * vy; z = z + dt * vz; }
    void interactWith(Planet o, double dt) {
      double dx = x - o.x, dy = y - o.y, dz = z - o.z;
      double d2 = dx * dx + dy * dy + dz * dz;
      double mag = dt / (d2 * Math.sqrt(d2));
      vx = vx - dx * o.mass * mag; vy = vy - dy * o.mass * mag; vz = vz - dz * o.mass * mag;
      o.pullBy(mass * mag, dx, dy, dz);
    }
    void pullBy(double mm, double dx, double dy, double dz) { vx = vx + dx * mm; vy = vy + dy * mm; vz = vz + dz * mm; }
  }
  final Planet[] bodies;
  NBody() {
    double pi = 3.141592653589793, solar = 4.0 * pi * pi, days = 365.24;
    bodies = new Planet[] {
      new Planet(0, 0, 0, 0, 0, 0, solar),
      new Planet(4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
        1.66007664274403694e-03 * days, 7.69901118419740425e-03 * days, -6.90460016972063023e-05 * days, 9.54791938424326609e-04 * solar),
      new Planet(8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
        -2.76742510726862411e-03 * days, 4.99852801234917238e-03 * days, 2.30417297573763929e-05 * days, 2.85885980666130812e-04 * solar),
      new Planet(1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
        2.96460137564761618e-03 * days, 2.37847173959480950e-03 * days, -2.96589568540237556e-05 * days, 4.36624404335156298e-05 * solar),
      new Planet(1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
        2.68067772490389322e-03 * days, 1.62824170038242295e-03 * days, -9.51592254519715870e-05 * days, 5.15138902046611451e-05 * solar)};
    double px = 0, py = 0, pz = 0;
    for (Planet b : bodies) { px = px + b.vx * b.mass; py = py + b.vy * b.mass; pz = pz + b.vz * b.mass; }
    bodies[0].vx = 0.0 - px / solar; bodies[0].vy = 0.0 - py / solar; bodies[0].vz = 0.0 - pz / solar;
  }
  void advance(double dt) {
    for (int i = 0; i < bodies.length; i++) for (int j = i + 1; j < bodies.length; j++) bodies[i].interactWith(bodies[j], dt);
    for (Planet b : bodies) b.move(dt);
  }
  double energy() {
    double e = 0;
    for (int i = 0; i < bodies.length; i++) {
      Planet b = bodies[i];
      e = e + 0.5 * b.mass * (b.vx * b.vx + b.vy * b.vy + b.vz * b.vz);
      for (int j = i + 1; j < bodies.length; j++) {
        Planet o = bodies[j];
        double dx = b.x - o.x, dy = b.y - o.y, dz = b.z - o.z;
        e = e - b.mass * o.mass / Math.sqrt(dx * dx + dy * dy + dz * dz);
      }
    }
    return e;
  }
  long nanoEnergy() { double v = energy() * 1.0e9; return v < 0 ? -Math.round(-v) : Math.round(v); }
  public static void main(String[] args) {
    long[] expected = {1000, -169087605, 2000, -169071607, 10000, -169016441, 20000, -169089263, 100000, -169079859, 200000, -169083713, 1000000, -169086185};
    long steps = Bench.arg(args, 100000);
    NBody sim = new NBody();
    long before = sim.nanoEnergy();
    for (long s = 0; s < steps; s++) sim.advance(0.01);
    long after = sim.nanoEnergy();
    if (before != -169075164) Bench.fail("nbody: wrong initial energy " + before);
    for (int i = 0; i < expected.length; i += 2) if (expected[i] == steps && expected[i + 1] != after) Bench.fail("nbody: wrong final energy " + after);
    System.out.println("nbody(" + steps + "): " + before + " " + after + " nJ");
  }
}
