package stc.compile;

import org.junit.jupiter.api.Test;
import stc.ast.Node;
import stc.ast.SourceFile;
import stc.diag.Diagnostics;
import stc.parse.Dialect;
import stc.parse.FrontEnds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damaged source never makes the compiler throw: the front ends recover from errors and hand over
 * partial trees, and the compiler must turn whatever it gets into diagnostics or code.
 */
class RobustnessTest {
    @Test void damagedSourcesCompileWithoutExceptions() throws Exception {
        List<String> texts = new ArrayList<>();
        try (var s = Files.list(Path.of("src/test/resources/golden"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".st")).sorted().toList()) texts.add(Files.readString(p));
        }
        Random random = new Random(42);
        String[] junk = {"[", "]", "(", ")", "^", ":=", ".", "|", ":x", "!", "#(", "'", "\"", "{", "}", ";", "self", "x", "[:a |"};
        int compiled = 0;
        for (int round = 0; round < 200; round++) {
            String text = texts.get(round % texts.size());
            StringBuilder b = new StringBuilder(text);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(b.length());
                switch (random.nextInt(3)) {
                    case 0 -> b.insert(at, junk[random.nextInt(junk.length)]);
                    case 1 -> b.delete(at, Math.min(b.length(), at + 1 + random.nextInt(20)));
                    default -> b.setLength(Math.max(1, at));
                }
            }
            SourceFile f = new SourceFile("damaged" + round + ".st", b.toString());
            Diagnostics diags = new Diagnostics();
            try {
                Node.Unit unit = FrontEnds.parse(f, Dialect.detect(f.path(), f.text()), diags);
                Compiler.compile(List.of(unit), Compiler.Options.named("d"), diags);
                compiled++;
            } catch (Diagnostics.TooManyErrors enough) {
                compiled++;
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("round " + round + ": " + e + "\n--- source ---\n" + b, e);
            }
        }
        assertTrue(compiled == 200);
    }

    /** Deep nesting the parser accepts must not overflow the compiler's stack (it reports an error at worst). */
    @Test void deeplyNestedExpressionsAreCompiledOrReported() {
        for (int depth : new int[] {500, 2000}) {
            String deep = "[".repeat(depth) + "1" + "]".repeat(depth) + " value + ((((((((((1))))))))))";
            String src = CompilerTesting.chunkClass("T", "", "foo\n    ^" + deep);
            Diagnostics diags = new Diagnostics();
            Node.Unit unit;
            try {
                unit = FrontEnds.parse(new SourceFile("t.st", src), Dialect.CHUNK, diags);
            } catch (StackOverflowError parserLimit) {
                continue; // the front end's own limit, tested there
            }
            Compiler.compile(List.of(unit), Compiler.Options.named("t"), diags);
        }
    }
}
