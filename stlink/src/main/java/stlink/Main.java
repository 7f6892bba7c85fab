package stlink;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import st.cli.AtomicOutput;
import st.cli.Tool;
import st.format.io.LinkedLibraries;
import st.format.model.Module;
import st.format.model.NativeCode;
import stlink.elf.ElfWriter;
import stlink.image.AddressMap;
import stlink.image.Program;
import stlink.image.Relocator;
import stlink.link.DataImage;
import stlink.link.DeadCode;
import stlink.link.ImageProvider;
import stlink.link.LibraryInput;
import stlink.link.LinkException;
import stlink.link.Linker;
import stlink.pe.PeWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

@Command(name = "stlink", mixinStandardHelpOptions = true, versionProvider = Tool.Version.class,
         sortOptions = false,
         description = {"Links Smalltalk libraries into a standalone executable: a static ELF64 for Linux "
                 + "(no libc) or a PE32+ console program for Windows (kernel32 only).",
                 "The kernel library is linked first unless --no-kernel is given."},
         exitCodeListHeading = "%nExit status:%n",
         exitCodeList = {"0:the executable was written", "1:a library is unreadable or the link failed",
                 "2:the command line is wrong"})
public final class Main implements Callable<Integer> {
    public enum Target {
        LINUX_X64("linux-x64"), WINDOWS_X64("windows-x64");

        final String label;

        Target(String label) { this.label = label; }

        @Override public String toString() { return label; }

        Module.Target model() { return this == LINUX_X64 ? Module.Target.LINUX_X64 : Module.Target.WINDOWS_X64; }
    }

    @Option(names = "-o", paramLabel = "OUT", description = "the executable to write (default: a.out, or a.exe for windows-x64)")
    String output;

    @Option(names = "--target", paramLabel = "TARGET", converter = TargetConverter.class,
            description = "linux-x64 (default) or windows-x64")
    Target target = Target.LINUX_X64;

    @Option(names = "--entry", paramLabel = "CLASS>>SELECTOR",
            description = "the program's entry method, run by the kernel's start-up code "
                    + "(default: the top-level statements of the libraries, in link order)")
    String entryMethod;

    @Option(names = "--entry-symbol", paramLabel = "SYMBOL",
            description = "the machine-code symbol where the process starts (default: ${DEFAULT-VALUE}, the kernel's entry stub)")
    String entrySymbol = Linker.DEFAULT_ENTRY;

    @Option(names = "--heap-max", paramLabel = "SIZE",
            description = "the executable's default heap limit: live old-space bytes, or with a k, m or g suffix "
                    + "(ST_HEAP_MAX overrides it at run time; default 1g)")
    String heapMax;

    @Option(names = "--no-kernel", description = "do not link the toolchain's kernel library")
    boolean noKernel;

    @Option(names = "--kernel", paramLabel = "LIBRARY",
            description = "the kernel library to link (default: the toolchain's own, under build/kernel/)")
    Path kernel;

    @Option(names = "--map", paramLabel = "FILE", description = "also write a link map: sections, libraries, every symbol's address and size")
    String map;

    @Option(names = "--gc-methods",
            description = "leave out methods and blocks the entry cannot reach (by selector; conservative about perform:)")
    boolean gcMethods;

    @Option(names = "--keep", paramLabel = "NAME",
            description = "with --gc-methods, keep this too: Class>>selector, Class class>>selector, #selector, or a class name")
    List<String> keep = new ArrayList<>();

    @Option(names = "--size-report", description = "print where the executable's bytes go: by section, input and class")
    boolean sizeReport;

    @Option(names = {"-s", "--strip"},
            description = "leave out what only tools read: the symbol table, DWARF and the embedded libraries stdump shows")
    boolean strip;

    @Parameters(paramLabel = "LIBRARY", arity = "1..*", description = "libraries written by stjit, linked in this order")
    List<Path> libraries;

    public static void main(String[] args) {
        System.exit(Tool.run("stlink", new Main(), args));
    }

    static final class TargetConverter implements picocli.CommandLine.ITypeConverter<Target> {
        @Override public Target convert(String value) {
            for (Target t : Target.values()) if (t.label.equals(value)) return t;
            throw new picocli.CommandLine.TypeConversionException(
                    "unknown target '" + value + "' (expected linux-x64 or windows-x64)");
        }
    }

    /** The kernel library for a target, inside the toolchain's home directory. */
    static Path defaultKernel(String home, Target target) {
        String file = target == Target.LINUX_X64 ? "kernel.stl" : "kernel-windows.stl";
        return Path.of(home, "build", "kernel", file);
    }

    @Override public Integer call() throws IOException {
        List<LibraryInput> inputs = new ArrayList<>();
        if (!noKernel) inputs.add(LibraryFiles.read(findKernel()));
        List<LibraryInput> programLibraries = new ArrayList<>();
        for (Path p : libraries) programLibraries.add(LibraryFiles.read(p));
        // A library compiled from SOM sources runs with the SOM layer, linked right after the kernel.
        if (!noKernel && programLibraries.stream().anyMatch(l -> (l.module().flags() & Module.FLAG_SOM) != 0))
            inputs.add(LibraryFiles.read(findSomLayer()));
        inputs.addAll(programLibraries);

        DeadCode.Result pruned = null;
        if (gcMethods) {
            pruned = DeadCode.prune(inputs, entrySymbol, entryMethod, keep);
            inputs = pruned.libraries();
        } else if (!keep.isEmpty()) {
            throw new Tool.Failure(Tool.USAGE, "--keep only makes sense with --gc-methods");
        }

        Program program;
        List<Linker.Placement> placements;
        try {
            DataImage image = buildImage(inputs);
            Linker.Result result = Linker.link(inputs, image, target.model(), entrySymbol);
            program = result.program();
            placements = result.placements();
        } catch (LinkException e) {
            throw new Tool.Failure("error: " + String.join("\nstlink: error: ", e.errors()));
        }

        byte[] executable;
        AddressMap addresses;
        try {
            if (target == Target.LINUX_X64) {
                addresses = ElfWriter.layout(program);
                executable = strip ? ElfWriter.writeStripped(program)
                        : ElfWriter.write(program, List.of(EmbeddedLibraries.elfSection(
                                EmbeddedLibraries.contents(inputs, placements, addresses))));
            } else {
                addresses = PeWriter.layout(program);
                executable = PeWriter.write(program, strip ? null
                        : LinkedLibraries.write(EmbeddedLibraries.contents(inputs, placements, addresses)), !strip);
            }
        } catch (Relocator.RelocationException e) {
            throw new Tool.Failure("error: " + e.getMessage());
        }
        String out = output != null ? output : target == Target.LINUX_X64 ? "a.out" : "a.exe";
        AtomicOutput.write(out, executable);
        if (!out.equals("-")) makeExecutable(Path.of(out));
        if (map != null) {
            AtomicOutput.write(map, LinkMap.render(program, addresses, placements, target.label)
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (sizeReport) {
            var report = out.equals("-") ? System.err : System.out; // never mixed into an executable on stdout
            report.print(SizeReport.render(program, placements, executable.length, target.label));
            if (pruned != null) {
                report.printf("%nremoved by --gc-methods: %d functions, %d bytes of code%n", pruned.removed().size(),
                        pruned.bytesRemoved());
            }
            report.flush();
        }
        return Tool.OK;
    }

    /** The SOM layer library beside the kernel library (som.stl, som-windows.stl). */
    private Path findSomLayer() {
        Path k = findKernel().toAbsolutePath();
        String file = target == Target.LINUX_X64 ? "som.stl" : "som-windows.stl";
        Path p = k.getParent().resolve(file);
        if (!Files.isRegularFile(p))
            throw new Tool.Failure("error: a SOM program needs the SOM layer library " + p + " (run scripts/build-kernel)");
        return p;
    }

    private Path findKernel() {
        if (kernel != null) return kernel;
        String home = System.getProperty("st.home");
        if (home == null) {
            throw new Tool.Failure("error: cannot find the kernel library: the st.home property is not set "
                    + "(run stlink through its launcher, name one with --kernel, or link with --no-kernel)");
        }
        Path path = defaultKernel(home, target);
        if (!Files.isRegularFile(path)) {
            throw new Tool.Failure("error: the kernel library " + path + " does not exist (build the kernel first, "
                    + "name one with --kernel, or link with --no-kernel)");
        }
        return path;
    }

    // SEAM (runtime image builder): the runtime's image builder, registered as an ImageProvider
    // service (stlink.link.RuntimeImageProvider), lays out the initial heap. It needs the kernel:
    // with --no-kernel, or without a provider, the link contains code only.
    private DataImage buildImage(List<LibraryInput> inputs) {
        List<ImageProvider> providers = new ArrayList<>();
        if (!noKernel) ServiceLoader.load(ImageProvider.class).forEach(providers::add);
        if (entryMethod != null) checkEntryMethod(inputs);
        if (providers.isEmpty()) {
            if (entryMethod != null) {
                throw new Tool.Failure("error: --entry " + entryMethod + " needs the kernel's runtime to run it"
                        + (noKernel ? ", and --no-kernel leaves it out" : ""));
            }
            return null;
        }
        providers.sort(Comparator.comparing(p -> p.getClass().getName()));
        DataImage image = providers.getFirst().build(inputs, target.model(), entryMethod);
        if (heapMax != null) image = withHeapLimit(image, parseSize(heapMax));
        return image;
    }

    /** A byte count: digits with an optional k, m or g suffix (powers of 1024). */
    static long parseSize(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        long unit = t.endsWith("k") ? 1L << 10 : t.endsWith("m") ? 1L << 20 : t.endsWith("g") ? 1L << 30 : 1;
        if (unit != 1) t = t.substring(0, t.length() - 1);
        if (t.isEmpty() || t.length() > 12 || !t.chars().allMatch(Character::isDigit))
            throw new Tool.Failure("error: --heap-max: not a size: " + text);
        long n = Long.parseLong(t);
        if (n <= 0 || n > (1L << 46) / unit) throw new Tool.Failure("error: --heap-max: size out of range: " + text);
        return n * unit;
    }

    /**
     * The image with the limit as the value of the class variable Memory.LinkedHeapLimit
     * (kernel/Runtime), in place of nil and the relocation that would have put nil there.
     */
    private static DataImage withHeapLimit(DataImage image, long bytes) {
        String name = "classvar:Memory.LinkedHeapLimit";
        DataImage.Symbol binding = image.symbols().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new Tool.Failure("error: --heap-max: the kernel has no " + name));
        long offset = binding.offset() + stjit.image.Layout.slotOffset(stjit.image.Layout.ASSOC_VALUE);
        long oop = stjit.image.ObjectModel.smallInt(bytes);
        byte[] patched = image.bytes().clone();
        for (int i = 0; i < 8; i++) patched[(int) offset + i] = (byte) (oop >>> (8 * i));
        List<DataImage.Relocation> relocations = image.relocations().stream().filter(r -> r.offset() != offset).toList();
        return new DataImage(image.name(), patched, image.zeroFill(), image.symbols(), relocations);
    }

    private void checkEntryMethod(List<LibraryInput> inputs) {
        for (LibraryInput lib : inputs) {
            NativeCode code = lib.module().nativeCode();
            if (code == null) continue;
            for (NativeCode.Symbol s : code.symbols()) {
                if (s.kind() == NativeCode.SymbolKind.METHOD && s.name().equals(entryMethod)) return;
            }
        }
        throw new Tool.Failure("error: entry method '" + entryMethod + "' is not defined by any library");
    }

    /** AtomicOutput writes a private temp file; an executable gets the usual rwxr-xr-x instead. */
    private static void makeExecutable(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view != null) view.setPermissions(PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
