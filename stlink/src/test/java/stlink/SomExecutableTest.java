package stlink;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import st.format.model.Module;
import stc.ast.Node;
import stc.ast.SourceFile;
import stc.cli.SomClassPath;
import stc.compile.Compiler;
import stc.diag.Diagnostics;
import stc.parse.Dialect;
import stc.parse.FrontEnds;
import stjit.lib.LibraryBuilder;
import stlink.elf.ElfWriter;
import stlink.link.LibraryInput;
import stlink.link.Linker;
import stlink.link.RuntimeImageProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SOM corpus (tests/som) as linked executables: each NAME.som, with the classes its arguments
 * (NAME.args) name along tests/som/lib, compiled against the kernel and the SOM layer (kernel/SOM),
 * nativized, linked after kernel.stl and som.stl, and run with NAME.args on its command line. It
 * must print NAME.out, as under strun (strun's EndToEndTest runs the same corpus).
 */
class SomExecutableTest {

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("kernel/Runtime"))) p = p.getParent();
        return p;
    }

    @TestFactory
    Stream<DynamicTest> somProgramsAsExecutables() throws IOException {
        Path root = root();
        Assumptions.assumeTrue(root != null && Files.isDirectory(root.resolve("kernel/SOM")), "no kernel/SOM in this tree");
        Module kernel = compile(sources(root.resolve("kernel/Runtime"), root.resolve("kernel/Core")), "kernel", List.of(), null);
        Module layer = compile(sources(root.resolve("kernel/SOM")), "som", List.of(kernel), null);
        Module kernelLibrary = LibraryBuilder.build(List.of(), kernel, Module.Target.LINUX_X64);
        Module layerLibrary = LibraryBuilder.build(List.of(kernel), layer, Module.Target.LINUX_X64);
        Path dir = root.resolve("tests/som");
        List<Path> programs;
        try (Stream<Path> s = Files.list(dir)) {
            programs = s.filter(p -> p.toString().endsWith(".som")).sorted().toList();
        }
        SomClassPath classPath = SomClassPath.parse(dir.resolve("lib").toString()).then(dir.toString());
        return programs.stream().map(program -> DynamicTest.dynamicTest(program.getFileName().toString(), () -> {
            String name = program.getFileName().toString().replace(".som", "");
            String base = program.toString().replaceFirst("\\.som$", "");
            Path argsFile = Path.of(base + ".args");
            List<String> args = Files.exists(argsFile) ? List.of(Files.readString(argsFile).trim().split("\\s+")) : List.of();
            List<SourceFile> files = new ArrayList<>(List.of(read(program)));
            for (String a : args) {
                Path cls = classPath.fileOf(a);
                if (cls != null) files.add(read(cls));
            }
            Module module = compile(files, name, List.of(kernel, layer), classPath);
            assertTrue((module.flags() & Module.FLAG_SOM) != 0, "a SOM module is flagged");
            Module library = LibraryBuilder.build(List.of(kernel, layer), module, Module.Target.LINUX_X64);
            List<LibraryInput> inputs = List.of(new LibraryInput("kernel.stl", kernelLibrary),
                    new LibraryInput("som.stl", layerLibrary), new LibraryInput(name + ".stl", library));
            var image = new RuntimeImageProvider().build(inputs, Module.Target.LINUX_X64, null);
            byte[] elf = ElfWriter.write(Linker.link(inputs, image, Module.Target.LINUX_X64, Linker.DEFAULT_ENTRY).program());
            Path exe = Files.createTempFile(name, "");
            Files.write(exe, elf);
            assertTrue(exe.toFile().setExecutable(true));
            Path out = Files.createTempFile(name, ".out"), err = Files.createTempFile(name, ".err");
            List<String> cmd = new ArrayList<>(List.of(exe.toString()));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "timed out");
            Path exit = Path.of(base + ".exit");
            String stderr = Files.readString(err);
            assertEquals(Files.readString(Path.of(base + ".out")), Files.readString(out), "stdout; stderr:\n" + stderr);
            assertEquals(Files.exists(exit) ? Integer.parseInt(Files.readString(exit).trim()) : 0, p.exitValue(), stderr);
            Files.delete(exe);
            Files.delete(out);
            Files.delete(err);
        }));
    }

    private static List<SourceFile> sources(Path... dirs) throws IOException {
        List<SourceFile> out = new ArrayList<>();
        for (Path d : dirs) for (Path p : FrontEnds.packageFiles(d)) out.add(read(p));
        return out;
    }

    private static SourceFile read(Path p) throws IOException {
        return new SourceFile(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
    }

    private static Module compile(List<SourceFile> files, String name, List<Module> references, Compiler.ClassFinder finder) {
        Diagnostics diags = new Diagnostics().noWarnings(true);
        List<Node.Unit> units = new ArrayList<>();
        for (SourceFile f : files) units.add(FrontEnds.parse(f, Dialect.detect(f.path(), f.text()), diags));
        List<Compiler.ReferenceModule> refs = new ArrayList<>();
        for (Module m : references) refs.add(new Compiler.ReferenceModule(m.name(), m));
        Compiler.Result r = Compiler.compile(units, new Compiler.Options(name, refs, finder), diags);
        if (diags.hasErrors()) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            diags.print(new java.io.PrintStream(b, true, StandardCharsets.UTF_8));
            throw new IllegalStateException("compile errors in " + name + ":\n" + b.toString(StandardCharsets.UTF_8));
        }
        return r.module();
    }
}
