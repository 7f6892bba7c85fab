package strun;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * W^X: no memory is writable and executable at once. For a linked executable, neither in its
 * program headers ({@code readelf -l}) nor in the mappings of the running process
 * ({@code /proc/PID/maps}); for strun, in none of the mappings it makes for Smalltalk (heap,
 * stack, code zone), read from /proc/PID/maps while a program runs. (The JVM's own code cache is
 * HotSpot's business; on Linux x86-64 HotSpot maps it read-write-execute, which this test reports
 * but cannot change: docs/RUNTIME.md, section 14.)
 */
class WriteXorExecuteTest {
    record Mapping(long start, long end, String perms, String what) {
        boolean writableAndExecutable() { return perms.charAt(1) == 'w' && perms.charAt(2) == 'x'; }
    }

    @BeforeAll static void linuxWithTheClassLibrary() {
        Assumptions.assumeTrue(Kernels.hasClassLibrary(), "kernel/Core (the class library) is not in this tree");
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "needs /proc");
    }

    @Test void strunNeverMapsSmalltalkMemoryWritableAndExecutable() throws Exception {
        List<String> cmd = new ArrayList<>(Kernels.strunCommand());
        cmd.addAll(List.of("--kernel", Kernels.kernelModule().toString(), InterruptTest.program("spin").toString()));
        Path out = Files.createTempFile("wx", ".out"), err = Files.createTempFile("wx", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("ST_DEBUG", "1"); // strun then names its heap, stack and code zone
        Process p = pb.start();
        try {
            waitFor(out, "spinning\n", p);
            Matcher m = Pattern.compile("strun: heap (\\p{XDigit}+)-(\\p{XDigit}+), stack (\\p{XDigit}+)-(\\p{XDigit}+), "
                    + "code (\\p{XDigit}+)-(\\p{XDigit}+)").matcher(Files.readString(err));
            assertTrue(m.find(), "strun did not name its mappings");
            long[] r = new long[6];
            for (int i = 0; i < 6; i++) r[i] = Long.parseLong(m.group(i + 1), 16);
            long code = r[4], codeEnd = r[5];
            List<Mapping> maps = maps(p.pid());
            List<Mapping> ours = maps.stream().filter(x -> overlaps(x, r[0], r[1]) || overlaps(x, r[2], r[3])
                    || overlaps(x, code, codeEnd)).toList();
            assertFalse(ours.isEmpty(), "found none of strun's mappings");
            for (Mapping x : ours) assertFalse(x.writableAndExecutable(), () -> "writable and executable: " + x);
            assertTrue(ours.stream().anyMatch(x -> overlaps(x, code, codeEnd) && x.perms.startsWith("r-x")),
                    "no read-execute code in the code zone: " + ours);
            // Everything strun maps itself is checked above; what else is W+X belongs to the JVM.
            List<Mapping> others = maps.stream().filter(Mapping::writableAndExecutable).toList();
            if (!others.isEmpty()) System.out.println("W+X mappings of the JVM itself (HotSpot's code cache): " + others);
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            Files.delete(out);
            Files.delete(err);
        }
    }

    @Test void executablesHaveNoWritableExecutableSegmentOrMapping() throws Exception {
        Path exe = Kernels.executable(Kernels.read(InterruptTest.program("spin")), "spin");
        Path out = Files.createTempFile("wx", ".out");
        Process p = new ProcessBuilder(exe.toString()).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            waitFor(out, "spinning\n", p);
            List<Mapping> maps = maps(p.pid());
            for (Mapping x : maps) assertFalse(x.writableAndExecutable(), () -> "writable and executable: " + x);
            assertTrue(maps.stream().anyMatch(x -> x.perms.startsWith("r-x")), "no code mapping at all: " + maps);
            if (hasReadelf()) {
                Process r = new ProcessBuilder("readelf", "-lW", exe.toString()).redirectErrorStream(true).start();
                String headers = new String(r.getInputStream().readAllBytes());
                assertEquals(0, r.waitFor(), headers);
                int segments = 0;
                for (String line : headers.lines().toList()) {
                    Matcher m = Pattern.compile("^\\s*(LOAD|GNU_STACK)\\s.*\\s(R?\\s?W?\\s?E?)\\s+0x[0-9a-f]+$").matcher(line);
                    if (!m.find()) continue;
                    segments++;
                    String flags = m.group(2);
                    assertFalse(flags.contains("W") && flags.contains("E"), "segment writable and executable: " + line);
                    if (m.group(1).equals("GNU_STACK")) assertFalse(flags.contains("E"), "executable stack: " + line);
                }
                assertTrue(segments >= 3, "readelf showed no segments:\n" + headers);
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            Files.delete(out);
            Files.delete(exe);
        }
    }

    static boolean hasReadelf() {
        try {
            return new ProcessBuilder("readelf", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static boolean overlaps(Mapping x, long start, long end) { return x.start < end && start < x.end; }

    static List<Mapping> maps(long pid) throws IOException {
        List<Mapping> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/maps"))) {
            String[] f = line.trim().split("\\s+", 6);
            String[] range = f[0].split("-");
            out.add(new Mapping(Long.parseUnsignedLong(range[0], 16), Long.parseUnsignedLong(range[1], 16), f[1],
                    f.length > 5 ? f[5] : ""));
        }
        return out;
    }

    static void waitFor(Path out, String ready, Process p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(out).equals(ready)) {
            assertTrue(p.isAlive(), "ended before it was looked at");
            assertTrue(System.nanoTime() < deadline, "never got ready");
            Thread.sleep(20);
        }
    }
}
