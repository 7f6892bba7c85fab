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
                        + "Arguments after -- go to the program (OS arguments)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"N:the program's exit status", "1:an unhandled error, a source error or a bad file",
                "2:a usage error"})
public final class Main implements Callable<Integer> {
    public static void main(String[] args) {
        // Everything after -- belongs to the program; picocli would treat it as more FILEs.
        int dashes = java.util.Arrays.asList(args).indexOf("--");
        Main main = new Main();
        if (dashes >= 0) {
            main.programArgs = List.of(args).subList(dashes + 1, args.length);
            args = java.util.Arrays.copyOf(args, dashes);
        }
        System.exit(Tool.run("strun", main, args));
    }

    List<String> programArgs = List.of();

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Sources, modules or libraries; then -- and the program's arguments.")
    List<String> files = new ArrayList<>();

    @Option(names = "--kernel", paramLabel = "FILE",
            description = "The kernel module or library (default: $ST_HOME/build/kernel/kernel.stm).")
    String kernel;

    @Option(names = "--classpath", paramLabel = "P", description = "Directories, separated by ':', searched for SOM classes.")
    String classpath;

    @Option(names = "--stats", description = "Print methods nativized, code bytes, collections and their time on exit.")
    boolean stats;

    @Option(names = "--trace-jit", description = "Print each method as it is nativized.")
    boolean traceJit;

    @Option(names = "--perf-map", description = "Write /tmp/perf-PID.map naming the JIT code Class>>selector.")
    boolean perfMap;

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
        for (String f : files) {
            Path p = Path.of(f);
            byte[] bytes = Files.readAllBytes(p);
            if (ModuleReader.hasMagic(bytes)) modules.add(readModule(p, bytes));
            else sources.add(new SourceFile(f, new String(bytes, StandardCharsets.UTF_8)));
        }
        if (!sources.isEmpty()) modules.add(compile(sources, kernelModule));
        Host.Options options = new Host.Options(32L << 20, 16L << 20, 256L << 20, Math.max(0, gcTorture), traceJit,
                perfMap, System.err);
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
        }
        return outcome.exitStatus();
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

    private Module compile(List<SourceFile> sources, Module kernelModule) {
        Diagnostics diags = new Diagnostics();
        List<Node.Unit> units = new ArrayList<>();
        for (SourceFile s : sources) units.add(FrontEnds.parse(s, Dialect.detect(s.path(), s.text()), diags));
        String name = Path.of(sources.getFirst().path()).getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Compiler.Result result = Compiler.compile(units,
                new Compiler.Options(name, List.of(new Compiler.ReferenceModule("kernel", kernelModule)), null), diags);
        diags.print(System.err);
        if (diags.hasErrors()) throw new Tool.Failure("");
        return result.module();
    }
}
