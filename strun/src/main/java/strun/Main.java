package strun;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import st.cli.Tool;
import st.format.io.FormatException;
import st.format.io.ModuleReader;
import st.format.model.Module;
import stc.ast.Node;
import stc.ast.SourceFile;
import stc.cli.SomClassPath;
import stc.compile.Compiler;
import stc.diag.Diagnostics;
import stc.parse.Dialect;
import stc.parse.FrontEnds;
import stjit.image.ImageBuilder;
import stjit.nativize.NativizeException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "strun", mixinStandardHelpOptions = true, versionProvider = Tool.Version.class, sortOptions = false,
        description = {"Runs a Smalltalk program in this process, nativizing each method the first time a lookup finds it.",
                "",
                "FILEs are sources (compiled in-process), modules (.stm) or libraries (.stl). The kernel is loaded first. "
                        + "Arguments after -- go to the program (OS arguments).",
                "",
                "SOM: strun [--classpath P] Main.som [ARGS...] runs Main new run: args, args being 'Main' and ARGS, "
                        + "as SOM VMs do: everything after the first .som file goes to the program. Classes are found as "
                        + "Name.som along P and then in Main.som's directory; the SOM layer (build/kernel/som.stm) is loaded "
                        + "after the kernel."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"N:the program's exit status", "1:an unhandled error, a source error or a bad file",
                "2:a usage error"})
public final class Main implements Callable<Integer> {
    public static void main(String[] args) {
        // Everything after -- belongs to the program, and so does everything after a SOM main file
        // (strun Harness.som Bounce 1 1); picocli would treat them as more FILEs.
        int split = programStart(args);
        Main main = new Main();
        if (split >= 0) {
            int from = args[split].equals("--") ? split + 1 : split + 1;
            main.programArgs = List.of(args).subList(from, args.length);
            args = java.util.Arrays.copyOf(args, args[split].equals("--") ? split : split + 1);
        }
        System.exit(Tool.run("strun", main, args));
    }

    /** Options of strun that take a separate value; their value is never a FILE. */
    private static final java.util.Set<String> VALUED_OPTIONS = java.util.Set.of("--kernel", "--classpath", "-cp", "--gc-torture", "--som-layer");

    /**
     * Where the program's own arguments start: the index of {@code --}, or of the first FILE that is
     * a SOM source (its arguments follow it); -1 when there are none.
     */
    static int programStart(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) return i;
            if (VALUED_OPTIONS.contains(a)) { i++; continue; }
            if (!a.startsWith("-") && a.endsWith(".som")) return i;
        }
        return -1;
    }

    List<String> programArgs = List.of();

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Sources, modules or libraries; then -- and the program's arguments.")
    List<String> files = new ArrayList<>();

    @Option(names = "--kernel", paramLabel = "FILE",
            description = "The kernel module or library (default: $ST_HOME/build/kernel/kernel.stm).")
    String kernel;

    @Option(names = {"--classpath", "-cp"}, paramLabel = "P", description = "Directories, separated by ':', searched for SOM classes.")
    String classpath;

    @Option(names = "--som-layer", paramLabel = "FILE",
            description = "The SOM compatibility layer run with SOM programs (default: $ST_HOME/build/kernel/som.stm).")
    String somLayer;

    @Option(names = {"-W", "--warnings"}, description = "Print the compiler's warnings about source files (errors are always printed).")
    boolean warnings;

    @Option(names = "--stats", description = "Print methods nativized, code bytes, collections and their time on exit.")
    boolean stats;

    @Option(names = "--trace-jit", description = "Print each method as it is nativized.")
    boolean traceJit;

    @Option(names = "--perf-map", description = "Write /tmp/perf-PID.map naming the JIT code Class>>selector.")
    boolean perfMap;

    @Option(names = "--heap-max", paramLabel = "SIZE",
            description = "Limit of live old-space data (bytes, or with a k, m or g suffix); beyond it OutOfMemory is signalled. Default: ST_HEAP_MAX, else 1g.")
    String heapMax;

    @Option(names = "--gc-torture", paramLabel = "N", description = "Collect garbage on every Nth allocation.")
    int gcTorture;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Stop the program after SECONDS (decimals allowed) with a backtrace and exit status 124.")
    double timeoutSeconds;

    /** Exit statuses of an interrupted program (as timeout(1) and a shell's Ctrl-C). */
    static final int TIMED_OUT = 124, INTERRUPTED = 130;

    @Override public Integer call() throws IOException {
        if (timeoutSeconds < 0 || Double.isNaN(timeoutSeconds))
            throw new Tool.Failure(Tool.USAGE, "--timeout wants a number of seconds >= 0");
        if (files.isEmpty()) throw new Tool.Failure(Tool.USAGE, "no program given");
        List<Module> modules = new ArrayList<>();
        Module kernelModule = readModule(kernelPath());
        modules.add(kernelModule);
        List<SourceFile> sources = new ArrayList<>();
        List<Module> programModules = new ArrayList<>();
        boolean som = false;
        for (String f : expandPackages(files)) {
            Path p = Path.of(f);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(p);
            } catch (IOException e) {
                throw new Tool.Failure(f + ": cannot read: " + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
            }
            if (ModuleReader.hasMagic(bytes)) {
                Module m = readModule(p, bytes);
                som |= (m.flags() & Compiler.MODULE_FLAG_SOM) != 0;
                programModules.add(m);
            } else {
                SourceFile source = new SourceFile(f, new String(bytes, StandardCharsets.UTF_8));
                som |= Dialect.detect(source.path(), source.text()) == Dialect.SOM;
                sources.add(source);
            }
        }
        Module layer = som ? readModule(somLayerPath()) : null;
        if (layer != null) modules.add(layer);
        modules.addAll(programModules);
        if (!sources.isEmpty()) modules.add(compile(sources, kernelModule, layer));
        long heapMaxBytes = 0;
        if (heapMax != null) {
            try {
                heapMaxBytes = Host.parseSize(heapMax);
            } catch (IllegalArgumentException e) {
                throw new Tool.Failure("--heap-max: " + e.getMessage());
            }
        }
        Host.Options options = new Host.Options(32L << 20, 16L << 20, 256L << 20, Math.max(0, gcTorture), traceJit,
                perfMap, System.err, heapMaxBytes);
        Host.Outcome outcome;
        try (Host host = new Host(modules, programArgs, options); Interrupts interrupts = new Interrupts(host, timeoutSeconds)) {
            outcome = host.run();
        } catch (ImageBuilder.ImageException | NativizeException e) {
            throw new Tool.Failure(e.getMessage());
        }
        if (stats) {
            System.err.printf("strun: %d methods nativized, %d bytes of code, %.1f ms nativizing, %d collections (%.1f ms)%n",
                    outcome.methodsNativized(), outcome.codeBytes(), outcome.nativizeNanos() / 1e6, outcome.gcCount(),
                    outcome.gcMicros() / 1e3);
            Host.GcStatistics gc = outcome.gc();
            System.err.printf("strun: %d scavenges (%.1f ms, max %.2f ms), %d full collections (%.1f ms, max %.2f ms), "
                            + "%.1f MB tenured, %.1f MB copied to survivors, old space %.1f MB used of %.1f MB mapped, heap max %.0f MB%n",
                    gc.scavenges(), gc.scavengeMicros() / 1e3, gc.scavengeMaxMicros() / 1e3, gc.fullCollections(),
                    gc.fullMicros() / 1e3, gc.fullMaxMicros() / 1e3, gc.bytesTenured() / 1048576.0,
                    gc.bytesSurvived() / 1048576.0, gc.oldBytesUsed() / 1048576.0, gc.oldBytesMapped() / 1048576.0,
                    gc.heapMax() / 1048576.0);
        }
        return outcome.exitStatus();
    }

    /** The files, with each directory (a Tonel package, as stc takes it) replaced by its source files. */
    private static List<String> expandPackages(List<String> files) throws IOException {
        List<String> expanded = new ArrayList<>();
        for (String f : files) {
            Path p = Path.of(f);
            if (!Files.isDirectory(p)) {
                expanded.add(f);
                continue;
            }
            List<Path> sources = FrontEnds.packageFiles(p);
            if (sources.isEmpty()) throw new Tool.Failure(f + ": no .st files in this directory");
            for (Path source : sources) expanded.add(source.toString());
        }
        return expanded;
    }

    private String kernelPath() {
        if (kernel != null) return kernel;
        String home = System.getProperty("st.home", System.getenv("ST_HOME"));
        if (home != null) {
            Path p = Path.of(home, "build", "kernel", "kernel.stm");
            if (Files.isRegularFile(p)) return p.toString();
        }
        throw new Tool.Failure("cannot find the kernel module: run scripts/build-kernel, or give --kernel FILE");
    }

    /** The SOM layer: the module, or the library when the kernel given is a library. */
    private String somLayerPath() {
        if (somLayer != null) return somLayer;
        String kernelFile = kernelPath();
        Path dir = Path.of(kernelFile).toAbsolutePath().getParent();
        Path p = dir.resolve(kernelFile.endsWith(".stl") ? "som.stl" : "som.stm");
        if (Files.isRegularFile(p)) return p.toString();
        throw new Tool.Failure("cannot find the SOM layer " + p + ": run scripts/build-kernel, or give --som-layer FILE");
    }

    private static Module readModule(String path) throws IOException {
        return readModule(Path.of(path), Files.readAllBytes(Path.of(path)));
    }

    private static Module readModule(Path path, byte[] bytes) {
        try {
            return ModuleReader.read(bytes).module();
        } catch (FormatException e) {
            throw new Tool.Failure(path + ": " + e.getMessage());
        }
    }

    private Module compile(List<SourceFile> sources, Module kernelModule, Module layer) {
        Diagnostics diags = new Diagnostics().noWarnings(!warnings);
        List<Node.Unit> units = new ArrayList<>();
        for (SourceFile s : sources) units.add(FrontEnds.parse(s, Dialect.detect(s.path(), s.text()), diags));
        String name = Path.of(sources.getFirst().path()).getFileName().toString().replaceFirst("\\.[^.]*$", "");
        List<Compiler.ReferenceModule> refs = new ArrayList<>();
        refs.add(new Compiler.ReferenceModule("kernel", kernelModule));
        if (layer != null) refs.add(new Compiler.ReferenceModule("som", layer));
        SomClassPath classPath = null;
        if (layer != null) {
            Path main = Path.of(sources.getFirst().path()).toAbsolutePath().getParent();
            classPath = SomClassPath.parse(classpath).then(main == null ? "." : main.toString());
            // SOM programs load classes by name at run time (system load: #Bounce); strun sees the
            // program's arguments, so classes they name along the class path are compiled in too.
            for (String arg : programArgs) {
                Path p = classPath.fileOf(arg);
                if (p != null && sources.stream().noneMatch(s -> Path.of(s.path()).toAbsolutePath().equals(p.toAbsolutePath())))
                    units.add(classPath.find(arg, diags));
            }
        }
        Compiler.Result result = Compiler.compile(units, new Compiler.Options(name, refs, classPath), diags);
        diags.print(System.err);
        if (diags.hasErrors()) throw new Tool.Failure("");
        return result.module();
    }
}
