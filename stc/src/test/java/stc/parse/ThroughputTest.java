package stc.parse;

import org.junit.jupiter.api.Test;
import stc.ast.Node;
import stc.ast.SourceFile;
import stc.diag.Diagnostics;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A coarse guard against accidental quadratic behaviour. The target is well over 100k lines/s; the
 * bound asserted here is far lower so a loaded build machine does not make the test flaky.
 */
class ThroughputTest {

    private static String generated(int classes) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < classes; c++) {
            sb.append("Object subclass: C").append(c).append(" [\n  | a b c |\n");
            for (int m = 0; m < 10; m++) {
                sb.append("  foo").append(m).append(": x bar: y [\n")
                        .append("\t\"a comment\"\n\t| t u |\n\tt := x + y * 3.\n")
                        .append("\tu := #(1 2 $a 'str' #sym) collect: [:e | e printString].\n")
                        .append("\ta := b ifTrue: [t] ifFalse: [u size].\n")
                        .append("\tTranscript show: 'hello'; cr; show: t printString.\n")
                        .append("\t^ self baz: t with: 16r1F + 1.5e3\n  ]\n");
            }
            sb.append("]\n");
        }
        return sb.toString();
    }

    @Test void parsesWellAboveTheFloor() {
        String text = generated(150);
        long lines = text.chars().filter(ch -> ch == '\n').count();
        double best = 0;
        for (int round = 0; round < 4; round++) {
            Diagnostics d = new Diagnostics();
            long t0 = System.nanoTime();
            Node.Unit u = FrontEnds.parse(new SourceFile("gen.st", text), Dialect.GNU, d);
            long t1 = System.nanoTime();
            assertFalse(d.hasErrors());
            assertEquals(150 * 11, u.items().size());
            best = Math.max(best, lines / ((t1 - t0) / 1e9));
        }
        assertTrue(best > 20_000, "parse throughput " + (long) best + " lines/s");
    }
}
