public class Richards {
  static final class Packet {
    Packet link; int id; final boolean work; int count; final int[] data = new int[4];
    Packet(Packet link, int id, boolean work) { this.link = link; this.id = id; this.work = work; }
    Packet appendTo(Packet queue) {
      link = null;
      if (queue == null) return this;
      Packet last = queue;
      while (last.link != null) last = last.link;
      last.link = this;
      return queue;
    }
  }
  abstract static class Task {
    Task link; final int id, priority; Packet queue; int state; final Scheduler scheduler;
    Task(int id, int priority, Packet queue, Scheduler s) { this.id = id; this.priority = priority; this.queue = queue; this.scheduler = s; state = queue == null ? 2 : 3; }
    boolean isHeldOrWaiting() { return (state & 4) != 0 || state == 2; }
    Packet takePacket() { Packet p = queue; queue = p.link; state = queue == null ? 0 : 1; return p; }
    boolean receive(Packet p) { if (queue == null) { queue = p; state |= 1; return true; } queue = p.appendTo(queue); return false; }
    abstract Task run(Packet p);
  }
  static final class IdleTask extends Task {
    long seed = 1, steps = 10000;
    IdleTask(Scheduler s) { super(1, 0, null, s); state = 0; }
    Task run(Packet p) {
      if (--steps == 0) return scheduler.holdCurrent();
      if ((seed & 1) == 0) { seed >>= 1; return scheduler.release(5); }
      seed = (seed >> 1) ^ 0xD008; return scheduler.release(6);
    }
  }
  static final class WorkTask extends Task {
    int destination = 3, letter;
    WorkTask(Packet q, Scheduler s) { super(2, 1000, q, s); }
    Task run(Packet p) {
      if (p == null) return scheduler.waitCurrent();
      destination = destination == 3 ? 4 : 3;
      p.id = destination; p.count = 0;
      for (int i = 0; i < 4; i++) { if (++letter > 26) letter = 1; p.data[i] = letter; }
      return scheduler.queue(p);
    }
  }
  static final class HandlerTask extends Task {
    Packet work, devices;
    HandlerTask(int id, int priority, Packet q, Scheduler s) { super(id, priority, q, s); }
    Task run(Packet p) {
      if (p != null) { if (p.work) work = p.appendTo(work); else devices = p.appendTo(devices); }
      if (work != null) {
        Packet w = work; int count = w.count;
        if (count > 3) { work = work.link; return scheduler.queue(w); }
        if (devices != null) { Packet d = devices; devices = devices.link; d.count = w.data[count]; w.count = count + 1; return scheduler.queue(d); }
      }
      return scheduler.waitCurrent();
    }
  }
  static final class DeviceTask extends Task {
    Packet pending;
    DeviceTask(int id, int priority, Scheduler s) { super(id, priority, null, s); }
    Task run(Packet p) {
      if (p == null) { if (pending == null) return scheduler.waitCurrent(); Packet q = pending; pending = null; return scheduler.queue(q); }
      pending = p; return scheduler.holdCurrent();
    }
  }
  static final class Scheduler {
    final Task[] tasks = new Task[7]; Task list, current; int currentId; long queueCount, holdCount;
    void add(Task t) { tasks[t.id] = t; t.link = list; list = t; }
    Task holdCurrent() { holdCount++; current.state |= 4; return current.link; }
    Task waitCurrent() { current.state |= 2; return current; }
    Task release(int id) { Task t = tasks[id]; t.state &= 3; return t.priority > current.priority ? t : current; }
    Task queue(Packet p) {
      Task t = tasks[p.id];
      queueCount++;
      p.link = null; p.id = currentId;
      return t.receive(p) && t.priority > current.priority ? t : current;
    }
    void setUp() {
      add(new IdleTask(this));
      add(new WorkTask(new Packet(new Packet(null, 0, true), 0, true), this));
      add(new HandlerTask(3, 2000, new Packet(new Packet(new Packet(null, 5, false), 5, false), 5, false), this));
      add(new HandlerTask(4, 3000, new Packet(new Packet(new Packet(null, 6, false), 6, false), 6, false), this));
      add(new DeviceTask(5, 4000, this));
      add(new DeviceTask(6, 5000, this));
    }
    void schedule() {
      current = list;
      while (current != null) {
        if (current.isHeldOrWaiting()) { current = current.link; continue; }
        Packet p = current.state == 3 ? current.takePacket() : null;
        currentId = current.id;
        current = current.run(p);
      }
    }
  }
  public static void main(String[] args) {
    long rounds = Bench.arg(args, 50);
    for (long r = 0; r < rounds; r++) {
      Scheduler s = new Scheduler(); s.setUp(); s.schedule();
      if (s.queueCount != 23246 || s.holdCount != 9297) Bench.fail("richards: wrong counts " + s.queueCount + " " + s.holdCount);
    }
    System.out.println("richards: " + rounds + " x 23246 packets, 9297 holds");
  }
}
