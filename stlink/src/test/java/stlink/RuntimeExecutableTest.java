package stlink;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import st.format.model.Module;
import stc.ast.Node;
import stc.ast.SourceFile;
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
 * The third way of the end-to-end corpus (tests/e2e): each program compiled, nativized by stjit,
 * linked with the kernel library and the runtime's heap image into a static ELF, and run. Its
 * output and exit status must be those strun gives (NAME.out, NAME.exit, NAME.err).
 */
class RuntimeExecutableTest {

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("kernel/Runtime"))) p = p.getParent();
        return p;
    }

    @TestFactory
    Stream<DynamicTest> corpusAsExecutables() throws IOException {
        Path root = root();
        Assumptions.assumeTrue(root != null && Files.isDirectory(root.resolve("kernel/Core")), "no kernel/Core in this tree");
        Module kernel = compile(sources(root.resolve("kernel/Runtime"), root.resolve("kernel/Linux"), root.resolve("kernel/Core")), "kernel", null);
        Module kernelLibrary = LibraryBuilder.build(List.of(), kernel, Module.Target.LINUX_X64);
        List<Path> programs;
        try (Stream<Path> s = Files.list(root.resolve("tests/e2e"))) {
            programs = s.filter(p -> p.toString().endsWith(".st")).sorted().toList();
        }
        return programs.stream().map(program -> DynamicTest.dynamicTest(program.getFileName().toString(), () -> {
            String name = program.getFileName().toString().replace(".st", "");
            Module module = compile(List.of(read(program)), name, kernel);
            Module library = LibraryBuilder.build(List.of(kernel), module, Module.Target.LINUX_X64);
            List<LibraryInput> inputs = List.of(new LibraryInput("kernel.stl", kernelLibrary), new LibraryInput(name + ".stl", library));
            var image = new RuntimeImageProvider().build(inputs, Module.Target.LINUX_X64, null);
            byte[] elf = linkElf(inputs, image);
            Path exe = Files.createTempFile(name, "");
            Files.write(exe, elf);
            assertTrue(exe.toFile().setExecutable(true));
            Path out = Files.createTempFile(name, ".out"), err = Files.createTempFile(name, ".err");
            Process p = new ProcessBuilder(exe.toString()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "timed out");
            String base = program.toString().replaceFirst("\\.st$", "");
            Path exit = Path.of(base + ".exit"), expectedErr = Path.of(base + ".err");
            String stderr = Files.readString(err);
            assertEquals(Files.readString(Path.of(base + ".out")), Files.readString(out), "stdout; stderr:\n" + stderr);
            assertEquals(Files.exists(exit) ? Integer.parseInt(Files.readString(exit).trim()) : 0, p.exitValue(), stderr);
            if (Files.exists(expectedErr)) {
                int at = 0;
                for (String line : Files.readAllLines(expectedErr)) {
                    int found = stderr.indexOf(line + "\n", at);
                    assertTrue(found >= 0, "stderr lacks '" + line + "':\n" + stderr);
                    at = found + line.length();
                }
            }
            Files.delete(exe);
            Files.delete(out);
            Files.delete(err);
        }));
    }

    /**
     * The class library's SUnit suite (tests/kernel/suite) as one executable: the *Test.st files
     * and the runner main.st compiled into one module, linked with the kernel. Its last line must
     * report no failures and it must exit with status 0.
     */
    @TestFactory
    Stream<DynamicTest> classLibrarySuiteAsExecutable() throws IOException {
        Path root = root();
        Assumptions.assumeTrue(root != null && Files.isDirectory(root.resolve("kernel/Core")), "no kernel/Core in this tree");
        Path dir = root.resolve("tests/kernel/suite");
        Assumptions.assumeTrue(Files.isDirectory(dir), "no tests/kernel/suite");
        return Stream.of(DynamicTest.dynamicTest("tests/kernel/suite (SUnit, ELF)", () -> {
            Module kernel = compile(sources(root.resolve("kernel/Runtime"), root.resolve("kernel/Linux"), root.resolve("kernel/Core")), "kernel", null);
            Module kernelLibrary = LibraryBuilder.build(List.of(), kernel, Module.Target.LINUX_X64);
            List<SourceFile> files = new ArrayList<>();
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(p -> p.getFileName().toString().endsWith("Test.st")).sorted().toList()) files.add(read(p));
            }
            files.add(read(dir.resolve("main.st")));
            Module module = compile(files, "suite", kernel);
            Module library = LibraryBuilder.build(List.of(kernel), module, Module.Target.LINUX_X64);
            List<LibraryInput> inputs = List.of(new LibraryInput("kernel.stl", kernelLibrary), new LibraryInput("suite.stl", library));
            byte[] elf = linkElf(inputs, new RuntimeImageProvider().build(inputs, Module.Target.LINUX_X64, null));
            Path exe = Files.createTempFile("suite", "");
            Files.write(exe, elf);
            assertTrue(exe.toFile().setExecutable(true));
            Path out = Files.createTempFile("suite", ".out"), err = Files.createTempFile("suite", ".err");
            Process p = new ProcessBuilder(exe.toString()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "timed out");
            String stdout = Files.readString(out), stderr = Files.readString(err);
            String[] lines = stdout.strip().split("\n");
            assertTrue(lines[lines.length - 1].matches("\\d+ passed, 0 failed"),
                    "the suite reported failures:\n" + stdout + "\nstderr:\n" + stderr);
            assertEquals(0, p.exitValue(), "exit status; output:\n" + stdout + "\nstderr:\n" + stderr);
            Files.delete(exe);
            Files.delete(out);
            Files.delete(err);
        }));
    }

    private static byte[] linkElf(List<LibraryInput> inputs, stlink.link.DataImage image) throws IOException {
        return ElfWriter.write(Linker.link(inputs, image, Module.Target.LINUX_X64, Linker.DEFAULT_ENTRY).program());
    }

    private static List<SourceFile> sources(Path... dirs) throws IOException {
        List<SourceFile> out = new ArrayList<>();
        for (Path d : dirs) for (Path p : FrontEnds.packageFiles(d)) out.add(read(p));
        return out;
    }

    private static SourceFile read(Path p) throws IOException {
        return new SourceFile(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
    }

    private static Module compile(List<SourceFile> files, String name, Module kernel) {
        Diagnostics diags = new Diagnostics();
        List<Node.Unit> units = new ArrayList<>();
        for (SourceFile f : files) units.add(FrontEnds.parse(f, Dialect.detect(f.path(), f.text()), diags));
        List<Compiler.ReferenceModule> refs = kernel == null ? List.of() : List.of(new Compiler.ReferenceModule("kernel", kernel));
        Compiler.Result r = Compiler.compile(units, new Compiler.Options(name, refs, null), diags);
        if (diags.hasErrors()) throw new IllegalStateException("compile errors in " + name);
        return r.module();
    }
}
