package stjit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import st.cli.AtomicOutput;
import st.cli.Tool;
import st.format.io.FormatException;
import st.format.io.ModuleReader;
import st.format.io.ModuleWriter;
import st.format.model.Module;
import stjit.image.ImageBuilder;
import stjit.lib.LibraryBuilder;
import stjit.nativize.NativizeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "stjit", mixinStandardHelpOptions = true, versionProvider = Tool.Version.class, sortOptions = false,
        description = {"Nativizes bytecode modules ahead of time into a library (.stl): the module plus x86-64 code,",
                "a symbol per method and block (Class>>selector, [] in Class>>selector) and relocations.",
                "",
                "The kernel module is read for the classes a module extends; the kernel itself is nativized with --no-kernel."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the library was written", "1:a bad module, or a method that cannot be nativized",
                "2:a usage error"},
        footerHeading = "%nExamples:%n",
        footer = {"  stjit -o hello.stl hello.stm", "  stjit --no-kernel -o kernel.stl kernel.stm"})
public final class Main implements Callable<Integer> {
    public static void main(String[] args) {
        System.exit(Tool.run("stjit", new Main(), args));
    }

    @Parameters(paramLabel = "MODULE", arity = "1..*", description = "Modules (.stm) to nativize, in link order.")
    List<String> inputs = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "The library to write (default: the last module's base name + .stl).")
    String output;

    @Option(names = "--target", paramLabel = "T", defaultValue = "linux-x64",
            description = "linux-x64 or windows-x64 (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--kernel", paramLabel = "FILE", description = "The kernel module (default: $ST_HOME/build/kernel/kernel.stm, or kernel-windows.stm for windows-x64).")
    String kernel;

    @Option(names = "--som-layer", paramLabel = "FILE",
            description = "The SOM layer module, for modules compiled from SOM (default: som.stm beside the kernel).")
    String somLayer;

    @Option(names = "--no-kernel", description = "Read no kernel module: for nativizing the kernel itself.")
    boolean noKernel;

    @Override public Integer call() throws IOException {
        Module.Target t = switch (target) {
            case "linux-x64" -> Module.Target.LINUX_X64;
            case "windows-x64" -> Module.Target.WINDOWS_X64;
            default -> throw new Tool.Failure(Tool.USAGE, "unknown target '" + target + "' (linux-x64, windows-x64)");
        };
        List<Module> context = new ArrayList<>();
        if (!noKernel) context.add(read(kernelPath(t)));
        List<Module> modules = new ArrayList<>();
        for (String in : inputs) modules.add(read(in));
        // A module compiled from SOM sources is nativized against the SOM layer too (som.stm beside the kernel).
        if (!noKernel && modules.stream().anyMatch(m -> (m.flags() & Module.FLAG_SOM) != 0)) {
            Path layer = (somLayer != null ? Path.of(somLayer) : Path.of(kernelPath(t)).toAbsolutePath().getParent().resolve("som.stm"));
            if (!Files.isRegularFile(layer))
                throw new Tool.Failure("cannot find the SOM layer " + layer + ": run scripts/build-kernel, or give --som-layer FILE");
            context.add(read(layer.toString()));
        }
        // Several modules: each is nativized against the kernel and the ones before it, and the
        // last one is written (with --no-kernel and one module, that module is the kernel).
        Module library;
        try {
            Module last = modules.getLast();
            List<Module> before = new ArrayList<>(context);
            before.addAll(modules.subList(0, modules.size() - 1));
            library = LibraryBuilder.build(before, last, t);
        } catch (ImageBuilder.ImageException | NativizeException e) {
            throw new Tool.Failure(e.getMessage());
        }
        String out = output != null ? output : inputs.getLast().replaceFirst("\\.[^./]*$", "") + ".stl";
        AtomicOutput.write(out, ModuleWriter.write(library));
        return Tool.OK;
    }

    private String kernelPath(Module.Target t) {
        if (kernel != null) return kernel;
        String home = System.getProperty("st.home", System.getenv("ST_HOME"));
        if (home != null) {
            Path p = Path.of(home, "build", "kernel", t == Module.Target.WINDOWS_X64 ? "kernel-windows.stm" : "kernel.stm");
            if (Files.isRegularFile(p)) return p.toString();
        }
        throw new Tool.Failure("cannot find the kernel module: run scripts/build-kernel, or give --kernel FILE or --no-kernel");
    }

    private static Module read(String path) throws IOException {
        try {
            return ModuleReader.read(Path.of(path)).module();
        } catch (FormatException e) {
            throw new Tool.Failure(path + ": " + e.getMessage());
        }
    }
}
