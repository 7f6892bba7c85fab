package toolchain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The checkout's toolchain as the launchers in {@code scripts/} run it. The tests come after every
 * tool in the build, so {@code build/lib} holds the jars just built; the launchers are run with
 * {@code ST_NO_BUILD=1} so that they never start a nested Maven build. The kernel is built once
 * here (scripts/build-kernel) when it is missing or stale.
 */
final class Toolchain {
    static final List<String> TOOLS = List.of("stc", "stjit", "stlink", "strun", "stdump");
    private static Path root;

    private Toolchain() {}

    /** The checkout, its tools built and its kernel up to date. */
    static synchronized Path root() {
        if (root != null) return root;
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("scripts/lib/launch.sh"))) p = p.getParent();
        if (p == null) fail("no checkout above " + Path.of("").toAbsolutePath());
        for (String tool : TOOLS) {
            try (Stream<Path> jars = Files.list(p.resolve("build/lib"))) {
                if (jars.noneMatch(j -> j.getFileName().toString().startsWith(tool + "-")))
                    fail("build/lib has no " + tool + " jar: run the tests through scripts/test (mvn install)");
            } catch (IOException e) {
                fail("no build/lib in " + p + ": run the tests through scripts/test (mvn install)");
            }
        }
        // The jars were just rebuilt: train the launchers' AOT caches for them, or every tool
        // call of these tests would start without one.
        Result caches = run(p, Map.of(), "bash", "-c", ". scripts/lib/launch.sh && st_find_java && { st_caches_stale && st_train_caches; true; }");
        assertTrue(caches.ok(), "training the AOT caches failed:\n" + caches.all());
        Result kernel = run(p, Map.of(), p.resolve("scripts/build-kernel").toString());
        assertTrue(kernel.ok(), "scripts/build-kernel failed:\n" + kernel.all());
        root = p;
        return p;
    }

    static Path scripts() { return root().resolve("scripts"); }

    /** The environment the tests give tools: the checkout's launchers first on PATH, no rebuilds. */
    static Map<String, String> env() {
        return Map.of("PATH", scripts() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "ST_NO_BUILD", "1");
    }

    record Result(int exit, String out, String err) {
        boolean ok() { return exit == 0; }

        String all() { return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err; }
    }

    /** Runs a command in {@code dir} with {@code env} added to the inherited environment. */
    static Result run(Path dir, Map<String, String> env, String... command) {
        return run(dir, env, List.of(), command);
    }

    /** As {@link #run(Path, Map, String...)}, also removing the variables named in {@code unset}. */
    static Result run(Path dir, Map<String, String> env, List<String> unset, String... command) {
        return run(300, dir, env, unset, command);
    }

    /** As {@link #run(Path, Map, List, String...)}, failing after {@code timeoutSeconds}. */
    static Result run(int timeoutSeconds, Path dir, Map<String, String> env, List<String> unset, String... command) {
        try {
            Path out = Files.createTempFile("tool", ".out"), err = Files.createTempFile("tool", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("ST_NO_BUILD", "1");
            unset.forEach(pb.environment()::remove);
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("timed out: " + String.join(" ", command));
            }
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A bash script, with the test environment. */
    static Result sh(Path dir, String script) {
        return run(dir, env(), "bash", "-c", script);
    }

    static boolean have(String program) {
        return run(Path.of("/"), Map.of(), "bash", "-c", "command -v " + program).ok();
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.getFileName().toString().equals("build") && !dir.equals(from)) return FileVisitResult.SKIP_SUBTREE;
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Gives every file under {@code dir} one time, just after the kernel's (which the build depends
     * on from outside the tree) and in the past, so that make finds everything up to date and
     * whatever it remakes next is newer.
     */
    static void age(Path dir) throws IOException {
        long kernel = 0;
        for (String f : List.of("build/kernel/kernel.stm", "build/kernel/kernel.stl"))
            kernel = Math.max(kernel, Files.getLastModifiedTime(root().resolve(f)).toMillis());
        long time = Math.max(kernel + 1000, System.currentTimeMillis() - 3_600_000);
        while (System.currentTimeMillis() < time + 2000) sleep(200);
        FileTime t = FileTime.fromMillis(time);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.toList()) Files.setLastModifiedTime(f, t);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The files under {@code dir} (relative names) modified since {@code since}. */
    static List<String> modifiedSince(Path dir, FileTime since) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList())
                if (Files.getLastModifiedTime(f).compareTo(since) >= 0) out.add(dir.relativize(f).toString());
        }
        return out;
    }

    static void touch(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
