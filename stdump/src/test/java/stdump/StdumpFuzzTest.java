package stdump;

import com.code_intelligence.jazzer.junit.FuzzTest;
import st.cli.Tool;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the whole of {@code stdump} on arbitrary bytes: modules, libraries, images, ELF and PE
 * executables and anything else, through every view. The only acceptable outcomes are exit status
 * 0, or a one-line {@code stdump: ...} message with status 1 (2 for {@code diff}); status 3 (an
 * internal error, i.e. an uncaught exception), a slow input or an outsized allocation is a finding.
 * stdump only reads what it is given: nothing from the file is ever run.
 *
 * <p>The first byte of an input chooses the views: bit 0 {@code --json}, bit 1 {@code --classes
 * --methods}, bit 2 {@code --bytecodes}, bit 3 {@code --literals --symbols}, bit 4 {@code --native},
 * bit 5 {@code --hex} (of the header, or of METH when bit 1 is set too), bit 6 {@code -m} a
 * selector, bit 7 {@code diff} against a valid module instead. The rest is the file, read from
 * stdin, with its checksums made right first ({@code ModuleWriter.reseal}): mutations then reach
 * the section decoders behind them (the format reader's own fuzz target covers bad checksums). Seeds and regression inputs live in
 * {@code src/test/resources/stdump/StdumpFuzzTestInputs/dumpAnything/}.
 */
class StdumpFuzzTest {
    private static final Path REFERENCE = referenceModule();

    @FuzzTest(maxDuration = "5s")
    void dumpAnything(byte[] data) {
        if (data.length == 0) return;
        FuzzBudget.enforce(data.length, () -> dump(data));
    }

    private static void dump(byte[] data) {
        int options = Byte.toUnsignedInt(data[0]);
        List<String> args = new ArrayList<>();
        boolean diff = (options & 0x80) != 0;
        if (diff) {
            args.addAll(List.of("diff", "-", REFERENCE.toString()));
            if ((options & 1) != 0) args.add("--json");
        } else {
            if ((options & 1) != 0) args.add("--json");
            if ((options & 2) != 0) args.addAll(List.of("--classes", "--methods"));
            if ((options & 4) != 0) args.add("--bytecodes");
            if ((options & 8) != 0) args.addAll(List.of("--literals", "--symbols"));
            if ((options & 16) != 0) args.add("--native");
            if ((options & 32) != 0) args.addAll(List.of("--hex", (options & 2) != 0 ? "METH" : "header"));
            if ((options & 64) != 0) args.addAll(List.of("-m", "sum:"));
            args.add("-");
        }
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out, oldErr = System.err;
        var err = new ByteArrayOutputStream();
        int code;
        try {
            System.setIn(new ByteArrayInputStream(st.format.io.ModuleWriter.reseal(java.util.Arrays.copyOfRange(data, 1, data.length))));
            System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Tool.run("stdump", new Main(), args.toArray(String[]::new));
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        // Jazzer's own INFO lines (instrumentation) share stderr with the tool
        String message = err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("INFO: "))
                .collect(java.util.stream.Collectors.joining("\n"));
        int failure = diff ? 2 : 1;
        assertTrue(code == 0 || code == failure || diff && code == 1, () -> "stdump " + args + " exited with " + code + ": " + message);
        if (code == failure && !diff || code == 2)
            assertTrue(message.startsWith("stdump: ") && !message.contains("internal error"),
                    () -> "not a clean error: " + message);
    }

    /** The other side of {@code diff}: the seed module, from the corpus. */
    private static Path referenceModule() {
        try (InputStream in = StdumpFuzzTest.class.getResourceAsStream("StdumpFuzzTestInputs/dumpAnything/tiny-module")) {
            if (in == null) throw new IllegalStateException("the seed module tiny-module is missing");
            byte[] seed = in.readAllBytes();
            Path file = Files.createTempFile("stdump-fuzz", ".stm");
            file.toFile().deleteOnExit();
            Files.write(file, java.util.Arrays.copyOfRange(seed, 1, seed.length));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
