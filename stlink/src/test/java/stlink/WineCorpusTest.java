package stlink;

import org.junit.jupiter.api.AfterAll;
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
import stlink.link.DataImage;
import stlink.link.LibraryInput;
import stlink.link.Linker;
import stlink.link.RuntimeImageProvider;
import stlink.pe.PeWriter;
import stlink.testing.Wine;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Wine is the test platform of the PE target: every program of the end-to-end corpus
 * (tests/e2e), every kernel test program (tests/kernel) and the OS-interface programs
 * (src/test/resources/os: arguments, standard input, environment, output) is linked twice, as an
 * ELF with the linux-x64 kernel and as a PE with the windows-x64 kernel, and both run: the PE's
 * standard output, standard error and exit status must be the ELF's, byte for byte, and the ELF's
 * output must be the expected one (NAME.out, NAME.exit). The PEs run in parallel with each other
 * and with the building of the next ones, on one persistent wineserver, since Wine starts slowly.
 */
class WineCorpusTest {
    private static final Map<String, String> ENVIRONMENT = Map.of(
            "ST_TEST_PLAIN", "plain value", "ST_TEST_UNICODE", "h\u00e9llo w\u00f6rld \u20ac \uD83D\uDE00",
            "ST_TEST_EMPTY", "", "ST_TEST_LONG", "x".repeat(1000));
    /** Arguments that exercise the quoting Wine applies and the Microsoft C runtime rules undo. */
    private static final List<String> ARGUMENTS = List.of("plain", "two words", "tab\there", "quote\"inside",
            "back\\slash", "trailing\\", "\\\\server\\share\\", "\"quoted\"", "", "a\\\"b", "\u00fcn\u00efc\u00f6d\u00e9 \u20ac",
            "--option=value");

    private record Program(String name, Path source, List<String> arguments, byte[] stdin, boolean mergeStderr,
                           Path expectedOut, Path expectedExit) {}

    private record Run(byte[] stdout, byte[] stderr, int exit) {}

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("kernel/Runtime"))) p = p.getParent();
        return p;
    }

    @AfterAll static void stopWine() throws Exception { Wine.shutdown(); }

    @TestFactory
    Stream<DynamicTest> everyProgramRunsTheSameAsPeUnderWine() throws Exception {
        Path root = root();
        Assumptions.assumeTrue(root != null && Files.isDirectory(root.resolve("kernel/Windows")), "no kernel/Windows");
        Assumptions.assumeTrue(Wine.available(), "needs wine");
        List<Program> programs = programs(root);
        kernels(root);
        Path dir = Files.createTempDirectory("wine-corpus");
        Wine.startServer();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        Map<Program, Future<Run[]>> runs = new LinkedHashMap<>();
        try {
            for (Program program : programs) {
                Path elf = dir.resolve(program.name());
                Path exe = dir.resolve(program.name() + ".exe");
                Files.write(elf, link(program, linuxKernel, linuxKernelLibrary, Module.Target.LINUX_X64));
                Files.write(exe, link(program, windowsKernel, windowsKernelLibrary, Module.Target.WINDOWS_X64));
                elf.toFile().setExecutable(true);
                Path work = Files.createDirectories(dir.resolve(program.name() + ".cwd"));
                runs.put(program, pool.submit(() -> new Run[] {
                        run(List.of(elf.toString()), program, work, Map.of()),
                        run(List.of(Wine.command(), exe.toString()), program, work, Wine.environment())}));
            }
        } finally {
            pool.shutdown();
        }
        List<DynamicTest> tests = new ArrayList<>();
        Path someExe = dir.resolve(programs.getFirst().name() + ".exe");
        tests.add(DynamicTest.dynamicTest("objdump reads the PE", () -> {
            Assumptions.assumeTrue(stlink.testing.Processes.onPath("x86_64-w64-mingw32-objdump"), "needs mingw objdump");
            var r = stlink.testing.Processes.run(List.of("x86_64-w64-mingw32-objdump", "-x", "-d", someExe.toString()));
            assertEquals(0, r.exitCode(), r.stderr());
            assertEquals("", r.stderr(), "objdump warnings");
            for (String expected : List.of("DYNAMIC_BASE", "HIGH_ENTROPY_VA", "NX_COMPAT", "DLL Name: kernel32.dll",
                    "<OS class>>write:address:count:>:", "<__imp_WriteFile>", "<Runtime class>>start>:", "<_start>:"))
                org.junit.jupiter.api.Assertions.assertTrue(r.stdout().contains(expected), "objdump shows " + expected);
        }));
        for (var e : runs.entrySet()) {
            Program program = e.getKey();
            tests.add(DynamicTest.dynamicTest(program.name(), () -> {
                Run[] both = e.getValue().get(5, TimeUnit.MINUTES);
                Run elf = both[0], pe = both[1];
                String elfErr = new String(elf.stderr(), StandardCharsets.UTF_8);
                if (program.expectedOut() != null)
                    assertEquals(Files.readString(program.expectedOut()), new String(elf.stdout(), StandardCharsets.UTF_8),
                            "ELF stdout; stderr:\n" + elfErr);
                if (program.expectedExit() != null)
                    assertEquals(Integer.parseInt(Files.readString(program.expectedExit()).trim()), elf.exit(), elfErr);
                assertEquals(new String(elf.stdout(), StandardCharsets.UTF_8), new String(pe.stdout(), StandardCharsets.UTF_8),
                        "PE stdout; PE stderr:\n" + new String(pe.stderr(), StandardCharsets.UTF_8));
                assertArrayEquals(elf.stdout(), pe.stdout(), "PE stdout bytes");
                assertEquals(elfErr, new String(pe.stderr(), StandardCharsets.UTF_8), "PE stderr");
                assertEquals(elf.exit(), pe.exit(), "PE exit status");
            }));
        }
        return tests.stream();
    }

    private static Module linuxKernel, windowsKernel, linuxKernelLibrary, windowsKernelLibrary;

    private static synchronized void kernels(Path root) throws IOException {
        if (linuxKernel != null) return;
        linuxKernel = compile(sources(root, "kernel/Runtime", "kernel/Linux", "kernel/Core"), "kernel", null);
        windowsKernel = compile(sources(root, "kernel/Runtime", "kernel/Windows", "kernel/Core"), "kernel", null);
        linuxKernelLibrary = LibraryBuilder.build(List.of(), linuxKernel, Module.Target.LINUX_X64);
        windowsKernelLibrary = LibraryBuilder.build(List.of(), windowsKernel, Module.Target.WINDOWS_X64);
    }

    /**
     * SIGINT, which Wine turns into a console Ctrl-C event, stops a PE as it stops the ELF: status
     * 130, and the same report and backtrace on standard error.
     */
    @org.junit.jupiter.api.Test
    void sigintStopsThePeAsItStopsTheElf() throws Exception {
        Path root = root();
        Assumptions.assumeTrue(root != null && Files.isDirectory(root.resolve("kernel/Windows")), "no kernel/Windows");
        Assumptions.assumeTrue(Wine.available(), "needs wine");
        Path spin = root.resolve("tests/limits/spin.st");
        Assumptions.assumeTrue(Files.exists(spin), "no tests/limits/spin.st");
        kernels(root);
        Wine.startServer();
        Program program = new Program("spin", spin, List.of(), new byte[0], false, null, null);
        Path dir = Files.createTempDirectory("wine-interrupt");
        Path elf = dir.resolve("spin"), exe = dir.resolve("spin.exe");
        Files.write(elf, link(program, linuxKernel, linuxKernelLibrary, Module.Target.LINUX_X64));
        Files.write(exe, link(program, windowsKernel, windowsKernelLibrary, Module.Target.WINDOWS_X64));
        elf.toFile().setExecutable(true);
        Run fromElf = interrupt(List.of(elf.toString()), Map.of(), dir, "spinning\n");
        Run fromPe = interrupt(List.of(Wine.command(), exe.toString()), Wine.environment(), dir, "spinning\n");
        assertEquals(130, fromElf.exit(), new String(fromElf.stderr(), StandardCharsets.UTF_8));
        org.junit.jupiter.api.Assertions.assertTrue(new String(fromElf.stderr(), StandardCharsets.UTF_8)
                .startsWith("interrupted\nSpin class>>forever\n"), new String(fromElf.stderr(), StandardCharsets.UTF_8));
        assertEquals(new String(fromElf.stderr(), StandardCharsets.UTF_8), new String(fromPe.stderr(), StandardCharsets.UTF_8));
        assertEquals(fromElf.exit(), fromPe.exit());
        assertArrayEquals(fromElf.stdout(), fromPe.stdout());
    }

    /** Starts the command, waits until it has printed {@code ready}, sends it SIGINT (by pid), waits for the end. */
    private static Run interrupt(List<String> cmd, Map<String, String> env, Path dir, String ready) throws Exception {
        Path out = Files.createTempFile(dir, "interrupt", ".out"), err = Files.createTempFile(dir, "interrupt", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(out).equals(ready)) {
                org.junit.jupiter.api.Assertions.assertTrue(p.isAlive(), () -> "ended before it was interrupted");
                org.junit.jupiter.api.Assertions.assertTrue(System.nanoTime() < deadline, "never got ready");
                Thread.sleep(20);
            }
            Thread.sleep(300);
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            org.junit.jupiter.api.Assertions.assertTrue(p.waitFor(30, TimeUnit.SECONDS), "SIGINT did not stop it");
            return new Run(Files.readAllBytes(out), Files.readAllBytes(err), p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    private static List<Program> programs(Path root) throws IOException {
        List<Program> out = new ArrayList<>();
        for (String corpus : List.of("tests/e2e", "tests/kernel")) {
            try (Stream<Path> s = Files.list(root.resolve(corpus))) {
                for (Path p : s.filter(f -> f.toString().endsWith(".st")).sorted().toList()) {
                    String base = p.toString().replaceFirst("\\.st$", "");
                    Path exit = Path.of(base + ".exit");
                    String name = corpus.substring(corpus.indexOf('/') + 1) + "-" + p.getFileName().toString().replace(".st", "");
                    out.add(new Program(name, p, List.of(), new byte[0], false, Path.of(base + ".out"),
                            Files.exists(exit) ? exit : null));
                }
            }
        }
        Path os = root.resolve("stlink/src/test/resources/os");
        byte[] input = "first line\nsecond, with a CR\r\n\nlast line without a line feed".getBytes(StandardCharsets.UTF_8);
        out.add(new Program("os-arguments", os.resolve("arguments.st"), ARGUMENTS, new byte[0], false, null, null));
        out.add(new Program("os-no-arguments", os.resolve("arguments.st"), List.of(), new byte[0], false, null, null));
        out.add(new Program("os-stdin", os.resolve("stdin.st"), List.of(), input, false, null, null));
        out.add(new Program("os-stdin-empty", os.resolve("stdin.st"), List.of(), new byte[0], false, null, null));
        out.add(new Program("os-environment", os.resolve("environment.st"), List.of(), new byte[0], false, null, null));
        out.add(new Program("os-output", os.resolve("output.st"), List.of(), new byte[0], true, null, null));
        return out;
    }

    private static Run run(List<String> command, Program program, Path work, Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(command);
        full.addAll(program.arguments());
        ProcessBuilder pb = new ProcessBuilder(full).directory(work.toFile());
        pb.environment().putAll(env);
        pb.environment().putAll(ENVIRONMENT);
        pb.environment().remove("ST_TEST_UNSET");
        Path in = Files.write(work.resolve("stdin-" + command.size()), program.stdin());
        Path out = work.resolve("stdout-" + command.size()), err = work.resolve("stderr-" + command.size());
        pb.redirectInput(in.toFile()).redirectOutput(out.toFile());
        if (program.mergeStderr()) pb.redirectErrorStream(true);
        else pb.redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + full);
        }
        return new Run(Files.readAllBytes(out), program.mergeStderr() ? new byte[0] : Files.readAllBytes(err), p.exitValue());
    }

    private static byte[] link(Program program, Module kernel, Module kernelLibrary, Module.Target target) throws IOException {
        Module module = compile(List.of(read(program.source())), program.name(), kernel);
        Module library = LibraryBuilder.build(List.of(kernel), module, target);
        List<LibraryInput> inputs = List.of(new LibraryInput("kernel.stl", kernelLibrary),
                new LibraryInput(program.name() + ".stl", library));
        DataImage image = new RuntimeImageProvider().build(inputs, target, null);
        var linked = Linker.link(inputs, image, target, Linker.DEFAULT_ENTRY).program();
        return target == Module.Target.WINDOWS_X64 ? PeWriter.write(linked) : ElfWriter.write(linked);
    }

    private static List<SourceFile> sources(Path root, String... dirs) throws IOException {
        List<SourceFile> out = new ArrayList<>();
        for (String d : dirs) for (Path p : FrontEnds.packageFiles(root.resolve(d))) out.add(read(p));
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
        if (diags.hasErrors()) throw new IllegalStateException("compile errors in " + name + ": " + diags.all().getFirst().render());
        return r.module();
    }
}
