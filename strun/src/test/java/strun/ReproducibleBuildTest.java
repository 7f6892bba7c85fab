package strun;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reproducible builds: the kernel (module and libraries for both targets), the examples (modules,
 * libraries, ELF and PE executables, link maps, make rules) and the end-to-end test programs,
 * built twice ({@link ReproBuild}) from two checkouts at different paths, with different file
 * times, clocks' time zones, locales and SOURCE_DATE_EPOCH, in two JVMs (so identity hashes
 * differ too), are byte-identical: no timestamp, absolute path or hash order leaks into any output.
 */
class ReproducibleBuildTest {
    @TempDir Path temp;

    @Test void twoBuildsFromTwoCheckoutsAreByteIdentical() throws Exception {
        Assumptions.assumeTrue(Kernels.hasClassLibrary(), "kernel/Core (the class library) is not in this tree");
        Path one = temp.resolve("checkout"), two = temp.resolve("elsewhere/a much longer checkout path");
        copyTree(one, null);
        copyTree(two, Instant.parse("2001-09-09T01:46:40Z"));
        build(one, Map.of("TZ", "UTC", "SOURCE_DATE_EPOCH", "0", "LC_ALL", "C"), List.of("-Duser.timezone=UTC"));
        build(two, Map.of("TZ", "Asia/Kathmandu", "SOURCE_DATE_EPOCH", "1000000000", "LC_ALL", "tr_TR.UTF-8"),
                List.of("-Duser.timezone=Asia/Kathmandu", "-Duser.language=tr", "-Duser.country=TR"));
        Map<String, byte[]> a = outputs(one), b = outputs(two);
        assertEquals(a.keySet(), b.keySet(), "the two builds wrote different files");
        assertTrue(a.keySet().stream().anyMatch(n -> n.endsWith(".exe")) && a.size() > 40, "built too little: " + a.keySet());
        List<String> differ = new ArrayList<>();
        for (String name : a.keySet()) if (!Arrays.equals(a.get(name), b.get(name))) differ.add(name);
        if (!differ.isEmpty()) fail("not reproducible: " + differ + " differ between " + one + " and " + two);
    }

    /** The sources a build reads, copied; with {@code time}, every file gets that modification time. */
    private static void copyTree(Path to, Instant time) throws IOException {
        Path root = Kernels.root();
        for (String dir : List.of("kernel", "examples", "tests/e2e")) {
            try (Stream<Path> files = Files.walk(root.resolve(dir))) {
                for (Path f : files.sorted().toList()) {
                    Path target = to.resolve(root.relativize(f).toString());
                    if (Files.isDirectory(f)) Files.createDirectories(target);
                    else Files.copy(f, target);
                    if (time != null) Files.setLastModifiedTime(target, FileTime.from(time));
                }
            }
        }
    }

    private static void build(Path checkout, Map<String, String> env, List<String> jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ReproBuild.class.getName()));
        Path log = Files.createTempFile("repro", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(checkout.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().remove("ST_HOME");
        Process p = pb.start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the build in " + checkout + " timed out");
        }
        String output = Files.readString(log);
        Files.delete(log);
        assertEquals(0, p.exitValue(), "the build in " + checkout + " failed:\n" + output);
    }

    private static Map<String, byte[]> outputs(Path checkout) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        Path out = checkout.resolve("repro");
        try (Stream<Path> s = Files.walk(out)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) files.put(out.relativize(f).toString(), Files.readAllBytes(f));
        }
        return files;
    }
}
