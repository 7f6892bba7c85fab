import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The driver behind scripts/bench (a single-file Java program, run by the source launcher, so it
 * needs nothing but the JDK). It builds every benchmark of bench/benchmarks.conf as a linked ELF,
 * as a module for strun, in Java and in C (gcc -O2 and -O0), runs them alternately several times
 * each, checks that every implementation printed the same result, and prints the medians with
 * their ratios. With --check it runs the ELF benchmarks at their small sizes under callgrind and
 * compares the instruction counts with the committed baseline.
 */
public final class BenchSuite {
  record Benchmark(String name, String javaClass, long defaultArg, long quickArg, long checkArg) {}

  /** One way to run a benchmark: the column it fills and the command for a given argument. */
  enum Impl {
    ELF("ELF"), STRUN("strun"), JAVA("Java"), C_O2("C -O2"), C_O0("C -O0");
    final String title;
    Impl(String title) { this.title = title; }
  }

  static final Pattern COLLECTED = Pattern.compile("Collected : (\\d+)");
  static final String STARTUP = "startup";

  final Path home, src, out;
  final List<Benchmark> benchmarks = new ArrayList<>();
  final boolean verbose;

  BenchSuite(Path home, boolean verbose) throws IOException {
    this.home = home;
    this.src = home.resolve("bench");
    this.out = home.resolve("build/bench");
    this.verbose = verbose;
    for (String line : Files.readAllLines(src.resolve("benchmarks.conf"))) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) continue;
      String[] f = t.split("\\s+");
      if (f.length != 5) throw new IllegalArgumentException("benchmarks.conf: bad line: " + line);
      benchmarks.add(new Benchmark(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])));
    }
  }

  public static void main(String[] args) throws Exception {
    boolean quick = false, check = false, update = false, verbose = false;
    Path json = null;
    int runs = -1;
    double threshold = 3.0;
    List<String> only = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--check" -> check = true;
        case "--update-baseline" -> update = true;
        case "--verbose", "-v" -> verbose = true;
        case "--json" -> json = Path.of(value(args, ++i, "--json"));
        case "--runs" -> runs = Integer.parseInt(value(args, ++i, "--runs"));
        case "--threshold" -> threshold = Double.parseDouble(value(args, ++i, "--threshold"));
        case "--only" -> only = Arrays.asList(value(args, ++i, "--only").split(","));
        case "-h", "--help" -> { usage(); return; }
        default -> { System.err.println("scripts/bench: unknown option " + args[i]); usage(); System.exit(2); }
      }
    }
    Path home = Path.of(System.getProperty("st.home", ".")).toAbsolutePath().normalize();
    BenchSuite suite = new BenchSuite(home, verbose);
    if (only != null) {
      List<String> names = only;
      for (String n : names)
        if (suite.benchmarks.stream().noneMatch(b -> b.name.equals(n))) { System.err.println("scripts/bench: no benchmark " + n); System.exit(2); }
      suite.benchmarks.removeIf(b -> !names.contains(b.name));
    }
    if (check || update) System.exit(suite.callgrind(update, threshold));
    System.exit(suite.timed(quick, runs > 0 ? runs : quick ? 3 : 5, json));
  }

  static String value(String[] args, int i, String option) {
    if (i >= args.length) { System.err.println("scripts/bench: " + option + " needs a value"); System.exit(2); }
    return args[i];
  }

  static void usage() {
    System.out.println("""
        Usage: scripts/bench [--quick] [--runs N] [--only a,b] [--json FILE]
               scripts/bench --check [--threshold PCT] [--only a,b]
               scripts/bench --update-baseline [--only a,b]
        Builds the benchmarks of bench/benchmarks.conf and runs each as a linked ELF, under strun,
        in Java and in C (gcc -O2, -O0), alternately, N times each (5, or 3 with --quick at the
        quick sizes); prints the medians in ms and the ratios with their geometric means.
        --json FILE also writes the data as JSON.
        --check runs the ELF benchmarks at their check sizes under valgrind --tool=callgrind and
        fails when a count exceeds bench/callgrind-baseline.txt by more than PCT percent (3);
        --update-baseline rewrites the baseline from this tree.""");
  }

  // ---------------------------------------------------------------- building

  void buildAll(boolean needJavaAndC) throws Exception {
    Files.createDirectories(out);
    for (Benchmark b : benchmarks) buildSmalltalk(b.name, src.resolve("st/" + b.name + ".st"));
    if (!needJavaAndC) return;
    for (Benchmark b : benchmarks) {
      Path c = src.resolve("c/" + b.name + ".c");
      for (String opt : List.of("-O2", "-O0")) {
        Path exe = out.resolve(b.name + ".c" + opt.substring(1).toLowerCase(Locale.ROOT));
        if (stale(exe, c, src.resolve("c/bench.h"), src.resolve("c/table.h")))
          mustRun(List.of("gcc", opt, "-o", exe.toString(), c.toString(), "-lm"), "gcc " + opt + " " + b.name);
      }
    }
    Path classes = out.resolve("java");
    List<Path> sources;
    try (var s = Files.list(src.resolve("java"))) { sources = s.filter(p -> p.toString().endsWith(".java")).sorted().toList(); }
    Path stamp = classes.resolve(".stamp");
    if (stale(stamp, sources.toArray(Path[]::new))) {
      List<String> cmd = new ArrayList<>(List.of(javaTool("javac"), "-d", classes.toString()));
      sources.forEach(p -> cmd.add(p.toString()));
      mustRun(cmd, "javac");
      Files.writeString(stamp, "");
    }
  }

  /** NAME.st to NAME.stm (for strun) and, through stjit and stlink, to the executable NAME. */
  void buildSmalltalk(String name, Path source) throws Exception {
    Path stm = out.resolve(name + ".stm"), stl = out.resolve(name + ".stl"), elf = out.resolve(name);
    Path kernel = home.resolve("build/kernel/kernel.stl"), tools = home.resolve("build/lib/.stamp");
    // run a launcher once first: it rebuilds the toolchain and kernel when they are stale
    if (!toolchainChecked) { mustRun(List.of(tool("stc"), "--version"), "stc --version"); toolchainChecked = true; }
    if (stale(stm, source, tools)) mustRun(List.of(tool("stc"), "-o", stm.toString(), source.toString()), "stc " + name);
    if (stale(stl, stm, tools)) mustRun(List.of(tool("stjit"), "-o", stl.toString(), stm.toString()), "stjit " + name);
    if (stale(elf, stl, kernel, tools)) mustRun(List.of(tool("stlink"), "-o", elf.toString(), stl.toString()), "stlink " + name);
  }

  boolean toolchainChecked;

  String tool(String name) { return home.resolve("scripts/" + name).toString(); }

  static String javaTool(String name) { return Path.of(System.getProperty("java.home"), "bin", name).toString(); }

  static boolean stale(Path target, Path... inputs) throws IOException {
    if (!Files.exists(target)) return true;
    FileTime t = Files.getLastModifiedTime(target);
    for (Path in : inputs) if (Files.exists(in) && Files.getLastModifiedTime(in).compareTo(t) > 0) return true;
    return false;
  }

  void mustRun(List<String> cmd, String what) throws Exception {
    if (verbose) System.err.println("+ " + String.join(" ", cmd));
    Result r = run(cmd, 600);
    if (r.status != 0) {
      System.err.print(r.stdout);
      System.err.print(r.stderr);
      throw new IllegalStateException("scripts/bench: " + what + " failed (status " + r.status + ")");
    }
  }

  record Result(int status, String stdout, String stderr, long nanos) {}

  static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s\\s*$");

  /**
   * Runs the command and answers its CPU time (user + system, of the process and its children,
   * from bash's times) in ms as the nanos of the result divided by 1e6. CPU time, not wall time:
   * the machine is shared, and a waiting process should not look slow.
   */
  static Result runForCpu(List<String> cmd, long timeoutSeconds) throws Exception {
    List<String> wrapped = new ArrayList<>(List.of("bash", "-c", "\"$@\"; s=$?; times >&2; exit $s", "bench"));
    wrapped.addAll(cmd);
    Result r = run(wrapped, timeoutSeconds);
    String[] lines = r.stderr.strip().split("\n");
    Matcher m = TIMES.matcher(lines[lines.length - 1]);
    if (!m.find()) return new Result(r.status == 0 ? -2 : r.status, r.stdout, r.stderr, 0);
    double seconds = Long.parseLong(m.group(1)) * 60 + Double.parseDouble(m.group(2))
        + Long.parseLong(m.group(3)) * 60 + Double.parseDouble(m.group(4));
    String err = String.join("\n", Arrays.copyOf(lines, Math.max(0, lines.length - 2)));
    return new Result(r.status, r.stdout, err, (long) (seconds * 1e9));
  }

  static Result run(List<String> cmd, long timeoutSeconds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Path o = Files.createTempFile("bench", ".out"), e = Files.createTempFile("bench", ".err");
    pb.redirectOutput(o.toFile()).redirectError(e.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    long start = System.nanoTime();
    Process p = pb.start();
    boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    long nanos = System.nanoTime() - start;
    if (!done) { p.descendants().forEach(ProcessHandle::destroyForcibly); p.destroyForcibly(); p.waitFor(); }
    Result r = new Result(done ? p.exitValue() : -1, Files.readString(o, StandardCharsets.ISO_8859_1),
        Files.readString(e, StandardCharsets.ISO_8859_1) + (done ? "" : "\n(timed out after " + timeoutSeconds + " s)"), nanos);
    Files.delete(o);
    Files.delete(e);
    return r;
  }

  // ---------------------------------------------------------------- timed runs

  List<String> command(Impl impl, Benchmark b, long arg) {
    String a = Long.toString(arg);
    return switch (impl) {
      case ELF -> List.of(out.resolve(b.name).toString(), a);
      case STRUN -> List.of(tool("strun"), out.resolve(b.name + ".stm").toString(), "--", a);
      case JAVA -> List.of(javaTool("java"), "-cp", out.resolve("java").toString(), b.javaClass, a);
      case C_O2 -> List.of(out.resolve(b.name + ".co2").toString(), a);
      case C_O0 -> List.of(out.resolve(b.name + ".co0").toString(), a);
    };
  }

  /** The program's answer: its standard output without the lines starting with "#" (rates). */
  static String answer(String stdout) {
    StringBuilder s = new StringBuilder();
    for (String line : stdout.split("\n", -1)) if (!line.startsWith("#") && !line.isEmpty()) s.append(line).append('\n');
    return s.toString();
  }

  int timed(boolean quick, int runs, Path json) throws Exception {
    buildAll(true);
    Map<String, Map<Impl, List<Double>>> times = new LinkedHashMap<>();
    Map<String, String> notes = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    for (Benchmark b : benchmarks) {
      Map<Impl, List<Double>> m = new LinkedHashMap<>();
      for (Impl i : Impl.values()) m.put(i, new ArrayList<>());
      times.put(b.name, m);
    }
    long start = System.nanoTime();
    List<Double> jvmStart = new ArrayList<>();
    for (int round = 1; round <= runs; round++) {
      System.err.printf("round %d of %d%n", round, runs);
      Result js = runForCpu(List.of(javaTool("java"), "-cp", out.resolve("java").toString(), "Startup"), 60);
      if (js.status == 0) jvmStart.add(js.nanos / 1e6);
      for (Benchmark b : benchmarks) {
        long arg = quick ? b.quickArg : b.defaultArg;
        String expected = null;
        for (Impl impl : Impl.values()) {
          Result r = runForCpu(command(impl, b, arg), 300);
          String got = answer(r.stdout);
          String problem = null;
          if (r.status != 0) problem = "exit status " + r.status + ": " + firstLines(r.stderr);
          else if (got.isEmpty()) problem = "printed no result";
          else if (expected != null && !expected.equals(got)) problem = "printed " + got.strip() + ", expected " + expected.strip();
          if (problem != null) {
            failures.add(b.name + " (" + impl.title + "): " + problem);
            continue;
          }
          if (expected == null) expected = got;
          times.get(b.name).get(impl).add(r.nanos / 1e6);
          for (String line : r.stdout.split("\n")) if (line.startsWith("# ") && round == runs) notes.put(b.name + " " + impl.title, line.substring(2));
        }
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    double jvm = median(jvmStart);
    if (Double.isFinite(jvm))
      for (Map<Impl, List<Double>> m : times.values()) m.get(Impl.JAVA).replaceAll(ms -> Math.max(0.01, ms - jvm));
    notes.put("Java start-up (subtracted)", fmt(jvm) + " ms CPU");
    report(times, notes, quick, runs, elapsed, json);
    if (!failures.isEmpty()) {
      System.err.println("FAILED:");
      failures.stream().distinct().forEach(f -> System.err.println("  " + f));
      return 1;
    }
    return 0;
  }

  static String firstLines(String s) {
    String[] lines = s.strip().split("\n");
    return String.join(" | ", Arrays.copyOf(lines, Math.min(3, lines.length)));
  }

  static double median(List<Double> xs) {
    if (xs.isEmpty()) return Double.NaN;
    double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  record Ratio(String title, Impl num, Impl den) {}

  static final List<Ratio> RATIOS = List.of(
      new Ratio("ELF/Java", Impl.ELF, Impl.JAVA), new Ratio("ELF/C-O2", Impl.ELF, Impl.C_O2),
      new Ratio("ELF/C-O0", Impl.ELF, Impl.C_O0), new Ratio("strun/ELF", Impl.STRUN, Impl.ELF),
      new Ratio("strun/Java", Impl.STRUN, Impl.JAVA));

  void report(Map<String, Map<Impl, List<Double>>> times, Map<String, String> notes, boolean quick, int runs,
      double elapsed, Path json) throws IOException {
    StringBuilder t = new StringBuilder();
    t.append(String.format("%-11s %10s", "benchmark", "arg"));
    for (Impl i : Impl.values()) t.append(String.format(" %9s", i.title));
    for (Ratio r : RATIOS) t.append(String.format(" %10s", r.title));
    t.append('\n');
    Map<Ratio, List<Double>> all = new LinkedHashMap<>();
    RATIOS.forEach(r -> all.put(r, new ArrayList<>()));
    StringBuilder j = new StringBuilder();
    j.append("{\n  \"quick\": ").append(quick).append(",\n  \"runs\": ").append(runs)
        .append(",\n  \"unit\": \"CPU ms (user + system)\",\n  \"javaTime\": \"less the CPU time of an empty Java program\",\n  \"benchmarks\": [");
    boolean firstB = true;
    for (Benchmark b : benchmarks) {
      Map<Impl, List<Double>> m = times.get(b.name);
      long arg = quick ? b.quickArg : b.defaultArg;
      t.append(String.format("%-11s %10d", b.name, arg));
      for (Impl i : Impl.values()) t.append(String.format(" %9s", fmt(median(m.get(i)))));
      j.append(firstB ? "\n" : ",\n").append("    {\"name\": \"").append(b.name).append("\", \"arg\": ").append(arg).append(", \"median\": {");
      firstB = false;
      boolean first = true;
      for (Impl i : Impl.values()) {
        j.append(first ? "" : ", ").append('"').append(i.title).append("\": ").append(num(median(m.get(i))));
        first = false;
      }
      j.append("}, \"runs\": {");
      first = true;
      for (Impl i : Impl.values()) {
        j.append(first ? "" : ", ").append('"').append(i.title).append("\": [");
        j.append(String.join(", ", m.get(i).stream().map(BenchSuite::num).toList())).append(']');
        first = false;
      }
      j.append("}, \"ratio\": {");
      first = true;
      for (Ratio r : RATIOS) {
        double v = median(m.get(r.num)) / median(m.get(r.den));
        t.append(String.format(" %10s", Double.isFinite(v) ? String.format("%.2f", v) : "-"));
        if (Double.isFinite(v)) all.get(r).add(v);
        j.append(first ? "" : ", ").append('"').append(r.title).append("\": ").append(num(v));
        first = false;
      }
      j.append("}}");
      t.append('\n');
    }
    t.append(String.format("%-11s %10s", "geomean", ""));
    for (Impl ignored : Impl.values()) t.append(String.format(" %9s", ""));
    j.append("\n  ],\n  \"geomean\": {");
    boolean first = true;
    for (Ratio r : RATIOS) {
      double g = geomean(all.get(r));
      t.append(String.format(" %10s", Double.isFinite(g) ? String.format("%.2f", g) : "-"));
      j.append(first ? "" : ", ").append('"').append(r.title).append("\": ").append(num(g));
      first = false;
    }
    j.append("},\n  \"notes\": {");
    first = true;
    for (var e : notes.entrySet()) {
      j.append(first ? "" : ", ").append('"').append(e.getKey()).append("\": \"").append(e.getValue()).append('"');
      first = false;
    }
    j.append("},\n  \"seconds\": ").append(num(elapsed)).append("\n}\n");
    t.append('\n');
    System.out.printf("medians of %d runs, CPU ms (user + system; %s sizes; Java less its JVM start-up)%n", runs, quick ? "quick" : "default");
    System.out.print(t);
    notes.forEach((k, v) -> System.out.println("  " + k + ": " + v));
    System.out.printf("%.0f s%n", elapsed);
    if (json != null) Files.writeString(json, j.toString());
  }

  static double geomean(List<Double> xs) {
    if (xs.isEmpty()) return Double.NaN;
    return Math.exp(xs.stream().mapToDouble(Math::log).sum() / xs.size());
  }

  static String fmt(double ms) {
    if (!Double.isFinite(ms)) return "-";
    return ms >= 100 ? String.format("%.0f", ms) : ms >= 10 ? String.format("%.1f", ms) : String.format("%.2f", ms);
  }

  static String num(double v) { return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "null"; }

  // ---------------------------------------------------------------- callgrind guard

  /**
   * The counts are each benchmark's instructions minus those of bench/callgrind/startup.st (the
   * same program with an empty body), so that a change to the kernel's start-up or to the
   * linker's layout moves the startup count, not every benchmark's.
   */
  int callgrind(boolean update, double threshold) throws Exception {
    if (run(List.of("valgrind", "--version"), 60).status != 0) {
      System.err.println("scripts/bench: valgrind is not installed (Debian: apt-get install valgrind)");
      return 2;
    }
    buildAll(false);
    buildSmalltalk(STARTUP, src.resolve("callgrind/" + STARTUP + ".st"));
    long startup = instructions(out.resolve(STARTUP), 1);
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Benchmark b : benchmarks) counts.put(b.name, instructions(out.resolve(b.name), b.checkArg) - startup);
    Path baselineFile = src.resolve("callgrind-baseline.txt");
    if (update) {
      Map<String, Long> merged = Files.exists(baselineFile) ? readBaseline(baselineFile) : new LinkedHashMap<>();
      merged.putAll(counts);
      StringBuilder s = new StringBuilder();
      s.append("# Instructions (valgrind --tool=callgrind) of each ELF benchmark at its check size, minus\n")
          .append("# those of bench/callgrind/startup.st. scripts/bench --check fails when one grows by more\n")
          .append("# than its threshold; scripts/bench --update-baseline rewrites this file (commit it with the\n")
          .append("# change that explains the new counts).\n");
      s.append(String.format("%-11s %14d%n", STARTUP, startup));
      for (Benchmark b : benchmarks) s.append(String.format("%-11s %14d%n", b.name, merged.get(b.name)));
      for (var e : merged.entrySet())
        if (!e.getKey().equals(STARTUP) && benchmarks.stream().noneMatch(b -> b.name.equals(e.getKey())))
          s.append(String.format("%-11s %14d%n", e.getKey(), e.getValue()));
      Files.writeString(baselineFile, s.toString());
      System.out.println("wrote " + home.relativize(baselineFile));
      counts.forEach((k, v) -> System.out.printf("  %-11s %14d%n", k, v));
      return 0;
    }
    if (!Files.exists(baselineFile)) {
      System.err.println("scripts/bench: no baseline (" + baselineFile + "): run scripts/bench --update-baseline");
      return 2;
    }
    Map<String, Long> baseline = readBaseline(baselineFile);
    int regressions = 0;
    System.out.printf("callgrind instructions, net of start-up (threshold %.1f%%)%n", threshold);
    System.out.printf("%-11s %14s %14s %8s%n", "benchmark", "baseline", "now", "change");
    Long base0 = baseline.get(STARTUP);
    System.out.printf("%-11s %14s %14d %8s   (informational)%n", STARTUP, base0 == null ? "-" : base0.toString(), startup,
        base0 == null ? "" : String.format("%+.1f%%", 100.0 * (startup - base0) / base0));
    for (var e : counts.entrySet()) {
      Long base = baseline.get(e.getKey());
      if (base == null) {
        System.out.printf("%-11s %14s %14d %8s   no baseline: run scripts/bench --update-baseline%n", e.getKey(), "-", e.getValue(), "");
        continue;
      }
      double change = 100.0 * (e.getValue() - base) / base;
      boolean bad = change > threshold;
      if (bad) regressions++;
      System.out.printf("%-11s %14d %14d %+7.1f%%%s%n", e.getKey(), base, e.getValue(), change, bad ? "   REGRESSION" : "");
    }
    if (regressions > 0) {
      System.err.printf("scripts/bench --check: %d benchmark(s) got more than %.1f%% slower; if that is intended, run "
          + "scripts/bench --update-baseline and commit bench/callgrind-baseline.txt%n", regressions, threshold);
      return 1;
    }
    System.out.println("no regression");
    return 0;
  }

  static Map<String, Long> readBaseline(Path file) throws IOException {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) continue;
      String[] f = t.split("\\s+");
      m.put(f[0], Long.parseLong(f[1]));
    }
    return m;
  }

  long instructions(Path exe, long arg) throws Exception {
    Path outFile = Files.createTempFile("callgrind", ".out");
    try {
      // a fixed, empty environment: the count must not depend on who runs it
      List<String> cmd = List.of("env", "-i", "valgrind", "--tool=callgrind", "--callgrind-out-file=" + outFile,
          exe.toString(), Long.toString(arg));
      Result r = run(cmd, 600);
      if (r.status != 0) throw new IllegalStateException("callgrind " + exe.getFileName() + " failed: " + firstLines(r.stderr + r.stdout));
      Matcher m = COLLECTED.matcher(r.stderr);
      if (!m.find()) throw new IllegalStateException("callgrind " + exe.getFileName() + ": no instruction count in its output");
      if (verbose) System.err.printf("%s %d: %s instructions%n", exe.getFileName(), arg, m.group(1));
      return Long.parseLong(m.group(1));
    } finally {
      Files.deleteIfExists(outFile);
    }
  }
}
