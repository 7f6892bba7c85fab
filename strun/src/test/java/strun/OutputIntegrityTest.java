package strun;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import st.cli.AtomicOutput;
import st.cli.Tool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every tool writes its output to a temp file and renames it into place: when writing fails
 * midway (a full disk, injected through {@link AtomicOutput#FAIL_AFTER_BYTES}), when the
 * directory is read-only, or when the input is bad, the tool says so, exits with status 1, leaves
 * no partial or temp file, and an existing output file keeps its bytes.
 */
class OutputIntegrityTest {
    @TempDir Path dir;
    private static final byte[] PRECIOUS = "precious bytes a user wrote\n".getBytes(StandardCharsets.US_ASCII);

    Path source, module, library;

    @BeforeEach void buildInputs() throws Exception {
        Assumptions.assumeTrue(Kernels.hasClassLibrary(), "kernel/Core (the class library) is not in this tree");
        source = dir.resolve("hello.st");
        Files.writeString(source, "Transcript show: 'hello'; cr!\n");
        module = dir.resolve("hello.stm");
        library = dir.resolve("hello.stl");
        assertEquals(0, tool("stc", new stc.Main(), "--kernel", Kernels.kernelModule().toString(), "-o", module.toString(),
                source.toString()).code);
        assertEquals(0, tool("stjit", new stjit.Main(), "--kernel", Kernels.kernelModule().toString(), "-o", library.toString(),
                module.toString()).code);
    }

    @AfterEach void noHook() { System.clearProperty(AtomicOutput.FAIL_AFTER_BYTES); }

    record Run(int code, String err) {}

    static Run tool(String name, Object main, String... args) {
        PrintStream oldErr = System.err;
        var err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(Tool.run(name, main, args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
        }
    }

    /** The three tools that write files, each asked to overwrite {@code out}. */
    List<Run> everyTool(Path out) throws IOException {
        String kernelModule = Kernels.kernelModule().toString(), kernelLibrary = Kernels.kernelLibrary().toString();
        return List.of(
                tool("stc", new stc.Main(), "--kernel", kernelModule, "-o", out.toString(), source.toString()),
                tool("stjit", new stjit.Main(), "--kernel", kernelModule, "-o", out.toString(), module.toString()),
                tool("stlink", new stlink.Main(), "--kernel", kernelLibrary, "-o", out.toString(), library.toString()),
                tool("stlink", new stlink.Main(), "--kernel", kernelLibrary, "--map", out.toString(), "-o",
                        dir.resolve("exe").toString(), library.toString()));
    }

    @Test void aWriteFailingMidwayLeavesTheOldFileAndNoTempFile() throws Exception {
        for (int failAfter : new int[] {0, 1, 100}) {
            Path out = dir.resolve("out");
            Files.write(out, PRECIOUS);
            System.setProperty(AtomicOutput.FAIL_AFTER_BYTES, Integer.toString(failAfter));
            for (Run r : everyTool(out)) {
                assertEquals(1, r.code, r.err);
                assertTrue(r.err.contains("No space left on device"), r.err);
                assertArrayEquals(PRECIOUS, Files.readAllBytes(out), "the existing output was changed");
                assertNoTempFiles();
            }
            assertFalse(Files.exists(dir.resolve("exe")), "a failed link left an executable");
        }
    }

    @Test void anUnwritablePlaceIsACleanError() throws Exception {
        // /proc refuses new files even to root; a missing directory refuses them to anyone
        for (Path out : List.of(Path.of("/proc/st-output-test"), dir.resolve("no/such/dir/out"))) {
            for (Run r : everyTool(out)) {
                assertEquals(1, r.code, r.err);
                assertFalse(r.err.contains("internal error") || r.err.contains("Exception"), r.err);
                assertTrue(r.err.contains(out.getParent().toString()), r.err);
            }
        }
    }

    @Test void aReadOnlyDirectoryIsACleanError() throws Exception {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root writes into read-only directories");
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Path out = ro.resolve("out");
        Files.write(out, PRECIOUS);
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            for (Run r : everyTool(out)) {
                assertEquals(1, r.code, r.err);
                assertFalse(r.err.contains("internal error") || r.err.contains("Exception"), r.err);
                assertArrayEquals(PRECIOUS, Files.readAllBytes(out));
            }
            try (Stream<Path> s = Files.list(ro)) {
                assertEquals(List.of(out), s.toList());
            }
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test void badInputWritesNothing() throws Exception {
        Path out = dir.resolve("out");
        Files.write(out, PRECIOUS);
        Path badSource = dir.resolve("bad.st");
        Files.writeString(badSource, "Transcript show: 'unterminated; cr!\n");
        Path corrupt = dir.resolve("corrupt.stl");
        byte[] lib = Files.readAllBytes(library);
        Files.write(corrupt, java.util.Arrays.copyOf(lib, lib.length / 2));
        String kernelModule = Kernels.kernelModule().toString(), kernelLibrary = Kernels.kernelLibrary().toString();
        for (Run r : List.of(
                tool("stc", new stc.Main(), "--kernel", kernelModule, "-o", out.toString(), badSource.toString()),
                tool("stjit", new stjit.Main(), "--kernel", kernelModule, "-o", out.toString(), corrupt.toString()),
                tool("stlink", new stlink.Main(), "--kernel", kernelLibrary, "-o", out.toString(), corrupt.toString()))) {
            assertEquals(1, r.code, r.err);
            assertArrayEquals(PRECIOUS, Files.readAllBytes(out));
            assertNoTempFiles();
        }
    }

    private void assertNoTempFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> temps = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
            assertEquals(List.of(), temps, "temp files left behind");
        }
    }
}
