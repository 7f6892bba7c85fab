package stc.parse;

import org.junit.jupiter.api.Test;
import stc.ast.Node;
import stc.ast.SourceFile;
import stc.diag.Diagnostics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Damaged input of every kind gets diagnostics, never an exception, and parsing is deterministic. */
class RobustnessTest {

    private static List<String> samples() throws Exception {
        List<String> out = new ArrayList<>();
        for (String r : List.of("chunk/Bank.st", "gnu/Inventory.st", "som/Ball.som", "som/Bounce.som")) out.add(ChunkReaderTest.resource(r));
        for (Path f : FrontEnds.packageFiles(Path.of(RobustnessTest.class.getResource("/dialects/tonel/Shapes").toURI())))
            out.add(Files.readString(f));
        return out;
    }

    private static final String NOISE = "[]()!{}'\"$#:^|.;<>-_ \n0123rse\\\u0000\uFEFF\u00E9";

    @Test void mutatedSourcesNeverThrow() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        for (String sample : samples()) {
            for (int round = 0; round < 40; round++) {
                StringBuilder sb = new StringBuilder(sample);
                int edits = 1 + random.nextInt(6);
                for (int e = 0; e < edits && !sb.isEmpty(); e++) {
                    int at = random.nextInt(sb.length());
                    switch (random.nextInt(3)) {
                        case 0 -> sb.deleteCharAt(at);
                        case 1 -> sb.insert(at, NOISE.charAt(random.nextInt(NOISE.length())));
                        default -> sb.setLength(at); // truncation
                    }
                }
                String text = sb.toString();
                for (Dialect d : Dialect.values()) parseQuietly(text, d);
                FrontEnds.parseMethod(new SourceFile("m", text), new Diagnostics().maxErrors(1000));
                FrontEnds.parseDoIt(new SourceFile("m", text), new Diagnostics().maxErrors(1000));
                Dialect.detect("x.st", text);
            }
        }
    }

    @Test void randomNoiseNeverThrows() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 1000; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) sb.append(NOISE.charAt(random.nextInt(NOISE.length())));
            String text = sb.toString();
            for (Dialect d : Dialect.values()) parseQuietly(text, d);
            FrontEnds.parseMethod(new SourceFile("m", text), new Diagnostics().maxErrors(1000));
        }
    }

    private static void parseQuietly(String text, Dialect d) {
        try {
            Node.Unit u = FrontEnds.parse(new SourceFile("f", text), d, new Diagnostics().maxErrors(1000));
            assertNotNull(u);
        } catch (Diagnostics.TooManyErrors expected) {
            // the one exception the front ends may throw
        } catch (RuntimeException e) {
            fail("dialect " + d + " threw on:\n" + text, e);
        }
    }

    @Test void errorLimitStopsWithTooManyErrors() {
        String text = "x := ).\n".repeat(30);
        Diagnostics d = new Diagnostics().maxErrors(5);
        assertThrows(Diagnostics.TooManyErrors.class, () -> FrontEnds.parse(new SourceFile("t", text), Dialect.GNU, d));
        assertEquals(5, d.errorCount());
    }

    @Test void sameInputGivesEqualTrees() throws Exception {
        for (String sample : samples()) {
            Dialect d = Dialect.detect(sample.contains("Class {") || sample.contains("Extension {") ? "x.class.st" : "x", sample);
            Node.Unit a = FrontEnds.parse(new SourceFile("f", sample), d, new Diagnostics());
            Node.Unit b = FrontEnds.parse(new SourceFile("f", sample), d, new Diagnostics());
            assertEquals(a, b);
            assertEquals(AstPrinter.print(a), AstPrinter.print(b));
        }
    }
}
