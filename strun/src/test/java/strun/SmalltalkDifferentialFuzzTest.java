package strun;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import st.format.io.ModuleWriter;
import st.format.model.Module;
import stc.ast.SourceFile;
import stjit.lib.LibraryBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Smalltalk-level differential fuzz: random well-formed programs ({@link ProgramGenerator})
 * run three ways, JIT under strun, as an stjit library under strun, and as a linked ELF
 * executable, and each must print exactly what the generator computed in Java. The normal test
 * run tries a few fixed seeds; {@code scripts/fuzz smalltalk --minutes N} keeps generating new
 * ones for N minutes (system property {@code fuzz.minutes}). A failing program is kept under
 * {@code strun/target/differential/} with what each way printed.
 */
class SmalltalkDifferentialFuzzTest {
    static final long[] FIXED_SEEDS = {1, 2, 3};
    static final int STATEMENTS = 25;

    @Test void randomProgramsAgreeEverywhere() throws Exception {
        Assumptions.assumeTrue(Kernels.hasClassLibrary(), "kernel/Core (the class library) is not in this tree");
        double minutes = Double.parseDouble(System.getProperty("fuzz.minutes", "0"));
        List<String> failures = new ArrayList<>();
        int programs = 0;
        if (minutes <= 0) {
            for (long seed : FIXED_SEEDS) {
                programs++;
                check(seed, failures);
            }
        } else {
            long deadline = System.nanoTime() + (long) (minutes * 60e9);
            long seed = System.currentTimeMillis();
            while (System.nanoTime() < deadline) {
                programs++;
                check(seed++, failures);
            }
        }
        System.out.println("differential fuzz: " + programs + " programs of " + STATEMENTS + " statements, run 3 ways each; "
                + failures.size() + " disagreed");
        assertEquals(List.of(), failures, "programs whose outputs disagree (kept under strun/target/differential/)");
    }

    private static void check(long seed, List<String> failures) throws Exception {
        ProgramGenerator g = new ProgramGenerator(seed, STATEMENTS);
        String source = g.program(), expected = g.expectedOutput();
        Path dir = Path.of("target", "differential");
        Files.createDirectories(dir);
        Path program = dir.resolve("seed-" + seed + ".st");
        Files.writeString(program, source);
        String jit = strun(List.of("--kernel", Kernels.kernelModule().toString(), program.toString()));
        String library = strun(List.of("--kernel", Kernels.kernelLibrary().toString(), library(program, seed).toString()));
        String executable = executable(program, seed);
        boolean ok = jit.equals(expected) && library.equals(expected) && executable.equals(expected);
        if (ok) {
            Files.delete(program);
            return;
        }
        Files.writeString(dir.resolve("seed-" + seed + ".expected"), expected);
        Files.writeString(dir.resolve("seed-" + seed + ".jit"), jit);
        Files.writeString(dir.resolve("seed-" + seed + ".library"), library);
        Files.writeString(dir.resolve("seed-" + seed + ".elf"), executable);
        failures.add("seed " + seed + ": " + firstDifference(expected, jit, library, executable));
    }

    private static String firstDifference(String expected, String jit, String library, String executable) {
        String[] e = expected.split("\n", -1);
        String[][] ways = {jit.split("\n", -1), library.split("\n", -1), executable.split("\n", -1)};
        String[] names = {"JIT", "library", "ELF"};
        for (int line = 0; line < e.length; line++)
            for (int w = 0; w < 3; w++)
                if (line >= ways[w].length || !ways[w][line].equals(e[line]))
                    return "statement " + (line + 1) + ": expected " + e[line] + ", " + names[w] + " printed "
                            + (line < ways[w].length ? ways[w][line] : "nothing");
        return "extra output";
    }

    /** stdout, followed by the exit status and stderr when something went wrong. */
    private static String strun(List<String> args) throws IOException, InterruptedException {
        Kernels.Run r = Kernels.strun(args);
        return r.status() == 0 && r.err().isEmpty() ? r.out() : r.out() + "[status " + r.status() + "]\n" + r.err();
    }

    private static Path library(Path program, long seed) throws IOException {
        Module kernel = Kernels.kernel();
        Module module = Kernels.compile(List.of(Kernels.read(program)), "fuzz" + seed, kernel);
        Path out = Files.createTempFile("fuzz" + seed, ".stl");
        out.toFile().deleteOnExit();
        Files.write(out, ModuleWriter.write(LibraryBuilder.build(List.of(kernel), module, Module.Target.LINUX_X64)));
        return out;
    }

    private static String executable(Path program, long seed) throws IOException, InterruptedException {
        SourceFile source = Kernels.read(program);
        Path exe = Kernels.executable(source, "fuzz" + seed);
        Path out = Files.createTempFile("fuzz", ".out"), err = Files.createTempFile("fuzz", ".err");
        try {
            Process p = new ProcessBuilder(exe.toString()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Files.readString(out) + "[timed out]\n";
            }
            String stdout = Files.readString(out), stderr = Files.readString(err);
            return p.exitValue() == 0 && stderr.isEmpty() ? stdout : stdout + "[status " + p.exitValue() + "]\n" + stderr;
        } finally {
            Files.delete(exe);
            Files.delete(out);
            Files.delete(err);
        }
    }
}
