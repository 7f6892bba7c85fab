package strun;

import st.cli.Tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One build of the kernel, the examples and the end-to-end test programs, as a user would type it
 * from the root of a checkout: relative paths, the working directory being the checkout. The
 * tools run in this process (their Main classes), one after the other; the outputs land in
 * {@code repro/}. ReproducibleBuildTest runs this twice, from two copies of the tree.
 */
public final class ReproBuild {
    private ReproBuild() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of("repro");
        Files.createDirectories(out.resolve("kernel"));
        run("stc", new stc.Main(), "--no-kernel", "-o", "repro/kernel/kernel.stm", "kernel/Runtime", "kernel/Core");
        run("stjit", new stjit.Main(), "--no-kernel", "-o", "repro/kernel/kernel.stl", "repro/kernel/kernel.stm");
        run("stjit", new stjit.Main(), "--no-kernel", "--target", "windows-x64", "-o", "repro/kernel/kernel-windows.stl",
                "repro/kernel/kernel.stm");
        List<String> programs = new ArrayList<>();
        for (String dir : List.of("examples", "tests/e2e")) {
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                s.map(Path::toString).filter(p -> p.endsWith(".st")).sorted().forEach(programs::add);
            }
        }
        for (String program : programs) {
            String name = out.resolve(program.replace('/', '-').replaceFirst("\\.st$", "")).toString();
            run("stc", new stc.Main(), "--kernel", "repro/kernel/kernel.stm", "-MD", "-o", name + ".stm", program);
            run("stjit", new stjit.Main(), "--kernel", "repro/kernel/kernel.stm", "-o", name + ".stl", name + ".stm");
            run("stlink", new stlink.Main(), "--kernel", "repro/kernel/kernel.stl", "--map", name + ".map", "-o", name, name + ".stl");
            if (program.startsWith("examples/")) {
                run("stjit", new stjit.Main(), "--kernel", "repro/kernel/kernel.stm", "--target", "windows-x64",
                        "-o", name + "-windows.stl", name + ".stm");
                run("stlink", new stlink.Main(), "--target", "windows-x64", "--kernel", "repro/kernel/kernel-windows.stl",
                        "-o", name + ".exe", name + "-windows.stl");
            }
        }
    }

    private static void run(String tool, Object main, String... args) {
        int code = Tool.run(tool, main, args);
        if (code != 0) {
            System.err.println("repro: " + tool + " " + String.join(" ", args) + " failed with status " + code);
            System.exit(1);
        }
    }
}
