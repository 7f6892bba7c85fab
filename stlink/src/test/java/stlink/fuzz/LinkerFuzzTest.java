package stlink.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import st.cli.Tool;
import stlink.Main;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the whole of {@code stlink} (command line, library reader, dead-code pass, linker,
 * relocator, ELF and PE writers, link map) on a corrupt library. The only acceptable outcomes are
 * exit status 0 with an executable written, or status 1 with a one-line {@code stlink: error:}
 * message and no output file at all; status 3 (an internal error, i.e. an uncaught exception), a
 * slow input or an outsized allocation is a finding.
 *
 * <p>The first byte of an input chooses the options: bit 0 the target (windows-x64), bit 1
 * {@code --map}, bit 2 {@code --gc-methods}, bit 3 {@code --size-report}, bits 4-5 the entry
 * symbol ({@code _start}, {@code Seed>>greet}, a missing one, the default); the rest is the
 * library, its checksums made right first ({@code ModuleWriter.reseal}) so that mutations reach
 * the decoders and the linker behind them. The kernel is not linked (it would cost a second per input): the seed library
 * {@link FuzzSeeds#selfContainedLibrary()} links on its own. Seeds and regression inputs live in
 * {@code src/test/resources/stlink/fuzz/LinkerFuzzTestInputs/linkCorruptLibrary/}.
 */
class LinkerFuzzTest {
    private static final Path DIR = tempDir();
    private static final String[] ENTRIES = {"_start", "Seed>>greet", "Missing>>entry", null};

    @FuzzTest(maxDuration = "5s")
    void linkCorruptLibrary(byte[] data) {
        if (data.length == 0) return;
        FuzzBudget.enforce(data.length, () -> link(data));
    }

    private static void link(byte[] data) {
        int options = Byte.toUnsignedInt(data[0]);
        Path library = DIR.resolve("input.stl"), out = DIR.resolve("out"), map = DIR.resolve("out.map");
        try {
            Files.write(library, st.format.io.ModuleWriter.reseal(java.util.Arrays.copyOfRange(data, 1, data.length)));
            Files.deleteIfExists(out);
            Files.deleteIfExists(map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> args = new ArrayList<>(List.of("--no-kernel", "-o", out.toString()));
        if ((options & 1) != 0) args.addAll(List.of("--target", "windows-x64"));
        if ((options & 2) != 0) args.addAll(List.of("--map", map.toString()));
        if ((options & 4) != 0) args.add("--gc-methods");
        if ((options & 8) != 0) args.add("--size-report");
        String entry = ENTRIES[(options >> 4) & 3];
        if (entry != null) args.addAll(List.of("--entry-symbol", entry));
        args.add(library.toString());

        PrintStream oldOut = System.out, oldErr = System.err;
        var err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Tool.run("stlink", new Main(), args.toArray(String[]::new));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        // Jazzer's own INFO lines (instrumentation) share stderr with the tool
        String message = err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("INFO: "))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertTrue(code == 0 || code == 1, () -> "stlink exited with " + code + ": " + message);
        if (code == 0) {
            assertTrue(Files.isRegularFile(out), "stlink succeeded but wrote no executable");
        } else {
            assertTrue(message.startsWith("stlink: error: "), () -> "not a clean error: " + message);
            assertFalse(Files.exists(out), "a failed link left an executable behind");
            assertFalse(Files.exists(map), "a failed link left a link map behind");
        }
        try (var left = Files.list(DIR)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".tmp")).toList(), "temp files left behind");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("stlink-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
