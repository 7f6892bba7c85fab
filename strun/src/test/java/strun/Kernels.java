package strun;

import st.format.io.ModuleWriter;
import st.format.model.Module;
import stc.ast.Node;
import stc.ast.SourceFile;
import stc.compile.Compiler;
import stc.diag.Diagnostics;
import stc.parse.Dialect;
import stc.parse.FrontEnds;
import stjit.lib.LibraryBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test support: compiles the kernel and programs in-process, and runs strun as a child process. */
final class Kernels {
    private Kernels() {}

    /** The repository root: the tests run in strun/. */
    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("kernel/Runtime"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("cannot find kernel/Runtime above " + Path.of("").toAbsolutePath());
        return p;
    }

    /** kernel/Core is the class library; without it nothing can print. */
    static boolean hasClassLibrary() { return Files.isDirectory(root().resolve("kernel/Core")); }

    private static Module kernel;
    private static Path kernelModule, kernelLibrary;

    static synchronized Module kernel() throws IOException {
        if (kernel == null) {
            List<SourceFile> files = new ArrayList<>();
            for (String dir : List.of("kernel/Runtime", "kernel/Linux", "kernel/Core"))
                for (Path p : FrontEnds.packageFiles(root().resolve(dir))) files.add(read(p));
            kernel = compile(files, "kernel", null);
        }
        return kernel;
    }

    static synchronized Path kernelModule() throws IOException {
        if (kernelModule == null) {
            kernelModule = Files.createTempFile("kernel", ".stm");
            Files.write(kernelModule, ModuleWriter.write(kernel()));
        }
        return kernelModule;
    }

    static synchronized Path kernelLibrary() throws IOException {
        if (kernelLibrary == null) {
            kernelLibrary = Files.createTempFile("kernel", ".stl");
            Files.write(kernelLibrary, ModuleWriter.write(LibraryBuilder.build(List.of(), kernel(), Module.Target.LINUX_X64)));
        }
        return kernelLibrary;
    }

    private static Module kernelLibraryModule;

    /**
     * Links a program (Smalltalk source) with the kernel into a static ELF executable, as stjit
     * and stlink would, and answers the executable's path (a temp file the caller deletes).
     */
    static synchronized Path executable(SourceFile source, String name) throws IOException {
        if (kernelLibraryModule == null) kernelLibraryModule = LibraryBuilder.build(List.of(), kernel(), Module.Target.LINUX_X64);
        Module module = compile(List.of(source), name, kernel());
        Module library = LibraryBuilder.build(List.of(kernel()), module, Module.Target.LINUX_X64);
        List<stlink.link.LibraryInput> inputs = List.of(new stlink.link.LibraryInput("kernel.stl", kernelLibraryModule),
                new stlink.link.LibraryInput(name + ".stl", library));
        var image = new stlink.link.RuntimeImageProvider().build(inputs, Module.Target.LINUX_X64, null);
        byte[] elf = stlink.elf.ElfWriter.write(stlink.link.Linker.link(inputs, image, Module.Target.LINUX_X64,
                stlink.link.Linker.DEFAULT_ENTRY).program());
        Path exe = Files.createTempFile(name, "");
        Files.write(exe, elf);
        if (!exe.toFile().setExecutable(true)) throw new IOException("cannot make " + exe + " executable");
        return exe;
    }

    /** The java command that runs strun in a child JVM, before its own arguments. */
    static List<String> strunCommand() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "strun.Main");
    }

    private static Module somLayer;
    private static Path somLayerModule, somLayerLibrary;

    /** The SOM compatibility layer (kernel/SOM), compiled against the kernel. */
    static synchronized Module somLayer() throws IOException {
        if (somLayer == null) {
            List<SourceFile> files = new ArrayList<>();
            for (Path p : FrontEnds.packageFiles(root().resolve("kernel/SOM"))) files.add(read(p));
            somLayer = compile(files, "som", kernel());
        }
        return somLayer;
    }

    static synchronized Path somLayerModule() throws IOException {
        if (somLayerModule == null) {
            somLayerModule = Files.createTempFile("som", ".stm");
            Files.write(somLayerModule, ModuleWriter.write(somLayer()));
        }
        return somLayerModule;
    }

    static synchronized Path somLayerLibrary() throws IOException {
        if (somLayerLibrary == null) {
            somLayerLibrary = Files.createTempFile("som", ".stl");
            Files.write(somLayerLibrary, ModuleWriter.write(LibraryBuilder.build(List.of(kernel()), somLayer(), Module.Target.LINUX_X64)));
        }
        return somLayerLibrary;
    }

    /** Compiles SOM sources (the first is the main class) against the kernel and the SOM layer. */
    static Module compileSom(List<SourceFile> files, String name, Compiler.ClassFinder classPath) throws IOException {
        Diagnostics diags = new Diagnostics().noWarnings(true);
        List<Node.Unit> units = new ArrayList<>();
        for (SourceFile f : files) units.add(FrontEnds.parse(f, Dialect.SOM, diags));
        List<Compiler.ReferenceModule> refs = List.of(new Compiler.ReferenceModule("kernel", kernel()),
                new Compiler.ReferenceModule("som", somLayer()));
        Compiler.Result result = Compiler.compile(units, new Compiler.Options(name, refs, classPath), diags);
        if (diags.hasErrors()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            diags.print(new PrintStream(out, true, StandardCharsets.UTF_8));
            throw new IllegalStateException("compile errors:\n" + out.toString(StandardCharsets.UTF_8));
        }
        return result.module();
    }

    static SourceFile read(Path p) throws IOException {
        return new SourceFile(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
    }

    static Module compile(List<SourceFile> files, String name, Module kernelModule) {
        Diagnostics diags = new Diagnostics();
        List<Node.Unit> units = new ArrayList<>();
        for (SourceFile f : files) units.add(FrontEnds.parse(f, Dialect.detect(f.path(), f.text()), diags));
        List<Compiler.ReferenceModule> refs = kernelModule == null ? List.of()
                : List.of(new Compiler.ReferenceModule("kernel", kernelModule));
        Compiler.Result result = Compiler.compile(units, new Compiler.Options(name, refs, null), diags);
        if (diags.hasErrors()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            diags.print(new PrintStream(out, true, StandardCharsets.UTF_8));
            throw new IllegalStateException("compile errors:\n" + out.toString(StandardCharsets.UTF_8));
        }
        return result.module();
    }

    record Run(int status, String out, String err) {}

    /** Runs strun in a child JVM (its output goes straight to file descriptors 1 and 2). */
    static Run strun(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(strunCommand());
        cmd.addAll(args);
        Path out = Files.createTempFile("strun", ".out"), err = Files.createTempFile("strun", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("strun timed out: " + args);
        }
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }
}
