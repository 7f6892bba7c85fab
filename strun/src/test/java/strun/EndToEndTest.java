package strun;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import st.format.io.ModuleWriter;
import st.format.model.Module;
import stjit.lib.LibraryBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The end-to-end corpus, tests/e2e: each NAME.st runs under strun and must print NAME.out,
 * exit with NAME.exit (default 0), and print on stderr the lines of NAME.err in that order (when
 * present). Each program runs three ways: compiled from source with the JIT at lookup, as an
 * stjit library on the kernel library (no JIT), and with the GC torture mode. The linked ELF is
 * the third way of the issue; stlink's tests run the same corpus as executables.
 */
class EndToEndTest {
    private static final java.util.Set<String> TORTURE_TOO_LARGE = java.util.Set.of("gc-tenure", "gc-oom", "gc-oom-unhandled");

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException {
        Assumptions.assumeTrue(Kernels.hasClassLibrary(), "kernel/Core (the class library) is not in this tree");
        Path dir = Kernels.root().resolve("tests/e2e");
        List<Path> programs;
        try (Stream<Path> s = Files.list(dir)) {
            programs = s.filter(p -> p.toString().endsWith(".st")).sorted().toList();
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path program : programs) {
            String name = program.getFileName().toString().replace(".st", "");
            tests.add(DynamicTest.dynamicTest(name + " (JIT)", () -> check(program,
                    Kernels.strun(List.of("--kernel", Kernels.kernelModule().toString(), program.toString())))));
            tests.add(DynamicTest.dynamicTest(name + " (stjit library)", () -> check(program,
                    Kernels.strun(List.of("--kernel", Kernels.kernelLibrary().toString(), library(program).toString())))));
            // Programs that need heaps of hundreds of MB, or that recurse to the stack limit again and
            // again, are left out of torture mode, where every collection verifies the whole heap and
            // walks the whole stack (scripts/gc-torture runs everything).
            if (!name.startsWith("stackoverflow") && !TORTURE_TOO_LARGE.contains(name))
                tests.add(DynamicTest.dynamicTest(name + " (GC torture)", () -> check(program,
                        Kernels.strun(List.of("--gc-torture", "500", "--kernel", Kernels.kernelModule().toString(),
                                program.toString())))));
        }
        return tests.stream();
    }

    /** The class library's own test programs (tests/kernel), run with the JIT. */
    @TestFactory
    Stream<DynamicTest> classLibraryPrograms() throws IOException {
        Assumptions.assumeTrue(Kernels.hasClassLibrary(), "kernel/Core (the class library) is not in this tree");
        Path dir = Kernels.root().resolve("tests/kernel");
        Assumptions.assumeTrue(Files.isDirectory(dir), "no tests/kernel");
        List<Path> programs;
        try (Stream<Path> s = Files.list(dir)) {
            programs = s.filter(p -> p.toString().endsWith(".st")).sorted().toList();
        }
        // Each also runs in GC torture mode (a collection, and a heap verification, every 2000
        // allocations); scripts/gc-torture runs everything at any period.
        return programs.stream().flatMap(program -> Stream.of(
                DynamicTest.dynamicTest(program.getFileName().toString(), () -> checkKernelProgram(program, List.of())),
                DynamicTest.dynamicTest(program.getFileName() + " (GC torture)",
                        () -> checkKernelProgram(program, List.of("--gc-torture", "2000")))));
    }

    /**
     * The class library's SUnit suite (tests/kernel/suite): the *Test.st files and the runner
     * main.st as one program, run with the JIT. Its last line must report no failures.
     */
    @TestFactory
    Stream<DynamicTest> classLibrarySuite() throws IOException {
        Assumptions.assumeTrue(Kernels.hasClassLibrary(), "kernel/Core (the class library) is not in this tree");
        Path dir = Kernels.root().resolve("tests/kernel/suite");
        Assumptions.assumeTrue(Files.isDirectory(dir), "no tests/kernel/suite");
        return Stream.of(DynamicTest.dynamicTest("tests/kernel/suite (SUnit, JIT)", () -> {
            List<String> args = new ArrayList<>(List.of("--kernel", Kernels.kernelModule().toString()));
            for (Path file : suiteFiles(dir)) args.add(file.toString());
            checkSuite(Kernels.strun(args));
        }));
    }

    /** The suite's sources in the order they form one program: the *Test.st files, then main.st. */
    static List<Path> suiteFiles(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = new ArrayList<>(s.filter(p -> p.getFileName().toString().endsWith("Test.st")).sorted().toList());
        }
        files.add(dir.resolve("main.st"));
        return files;
    }

    private static void checkSuite(Kernels.Run run) {
        String[] lines = run.out().strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.matches("\\d+ passed, 0 failed"), "the suite reported failures:\n" + run.out() + "\nstderr:\n" + run.err());
        assertEquals(0, run.status(), "exit status; output:\n" + run.out() + "\nstderr:\n" + run.err());
    }

    private static void checkKernelProgram(Path program, List<String> options) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of("--kernel", Kernels.kernelModule().toString(), program.toString()));
        Kernels.Run run = Kernels.strun(args);
        String base = program.toString().replaceFirst("\\.st$", "");
        Path exit = Path.of(base + ".exit");
        assertEquals(Files.readString(Path.of(base + ".out")), run.out(), "stdout; stderr was:\n" + run.err());
        assertEquals(Files.exists(exit) ? Integer.parseInt(Files.readString(exit).trim()) : 0, run.status());
    }

    /**
     * The SOM corpus, tests/som: each NAME.som is a main class run the SOM way with the arguments
     * of NAME.args and the class path tests/som/lib, and must print NAME.out. Two ways here: from
     * source with the JIT (the SOM command line: arguments after the .som file), and as an stjit
     * library on the kernel and SOM layer libraries; stlink's SomExecutableTest links them.
     */
    @TestFactory
    Stream<DynamicTest> somPrograms() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(Kernels.root().resolve("kernel/SOM")), "no kernel/SOM in this tree");
        Path dir = Kernels.root().resolve("tests/som");
        List<Path> programs;
        try (Stream<Path> s = Files.list(dir)) {
            programs = s.filter(p -> p.toString().endsWith(".som")).sorted().toList();
        }
        String lib = dir.resolve("lib").toString();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path program : programs) {
            String name = program.getFileName().toString().replace(".som", "");
            String base = program.toString().replaceFirst("\\.som$", "");
            Path argsFile = Path.of(base + ".args");
            List<String> args = Files.exists(argsFile) ? List.of(Files.readString(argsFile).trim().split("\\s+")) : List.of();
            tests.add(DynamicTest.dynamicTest(name + " (SOM, JIT)", () -> {
                List<String> cmd = new ArrayList<>(List.of("--kernel", Kernels.kernelModule().toString(), "--som-layer",
                        Kernels.somLayerModule().toString(), "--classpath", lib, program.toString()));
                cmd.addAll(args);
                checkSom(base, Kernels.strun(cmd));
            }));
            tests.add(DynamicTest.dynamicTest(name + " (SOM, stjit library)", () -> {
                stc.cli.SomClassPath classPath = stc.cli.SomClassPath.parse(lib).then(dir.toString());
                List<stc.ast.SourceFile> files = new ArrayList<>(List.of(Kernels.read(program)));
                for (String a : args) if (classPath.fileOf(a) != null) files.add(Kernels.read(classPath.fileOf(a)));
                Module module = Kernels.compileSom(files, name, classPath);
                Path out = Files.createTempFile(name, ".stl");
                Files.write(out, ModuleWriter.write(LibraryBuilder.build(List.of(Kernels.kernel(), Kernels.somLayer()), module,
                        Module.Target.LINUX_X64)));
                List<String> cmd = new ArrayList<>(List.of("--kernel", Kernels.kernelLibrary().toString(), "--som-layer",
                        Kernels.somLayerLibrary().toString(), out.toString(), "--"));
                cmd.addAll(args);
                checkSom(base, Kernels.strun(cmd));
            }));
        }
        return tests.stream();
    }

    private static void checkSom(String base, Kernels.Run run) throws IOException {
        Path exit = Path.of(base + ".exit");
        assertEquals(Files.readString(Path.of(base + ".out")), run.out(), "stdout; stderr was:\n" + run.err());
        assertEquals(Files.exists(exit) ? Integer.parseInt(Files.readString(exit).trim()) : 0, run.status(), run.err());
        assertEquals("", run.err(), "stderr");
    }

    private static Path library(Path program) throws IOException {
        Module kernel = Kernels.kernel();
        String name = program.getFileName().toString().replace(".st", "");
        Module module = Kernels.compile(List.of(Kernels.read(program)), name, kernel);
        Path out = Files.createTempFile(name, ".stl");
        Files.write(out, ModuleWriter.write(LibraryBuilder.build(List.of(kernel), module, Module.Target.LINUX_X64)));
        return out;
    }

    static void check(Path program, Kernels.Run run) throws IOException {
        String base = program.toString().replaceFirst("\\.st$", "");
        Path exit = Path.of(base + ".exit"), err = Path.of(base + ".err");
        int expectedStatus = Files.exists(exit) ? Integer.parseInt(Files.readString(exit).trim()) : 0;
        assertEquals(Files.readString(Path.of(base + ".out")), run.out(), "stdout; stderr was:\n" + run.err());
        assertEquals(expectedStatus, run.status(), "exit status; stderr was:\n" + run.err());
        if (Files.exists(err)) {
            int at = 0;
            for (String line : Files.readAllLines(err)) {
                int found = run.err().indexOf(line + "\n", at);
                assertTrue(found >= 0, "stderr lacks '" + line + "' (in order); it was:\n" + run.err());
                at = found + line.length();
            }
        } else {
            assertEquals("", run.err(), "stderr");
        }
    }
}
