package stc.parse;

import org.junit.jupiter.api.Test;
import stc.ast.Node;
import stc.ast.Node.*;
import stc.ast.Pos;
import stc.ast.SourceFile;
import stc.diag.Diagnostics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every node of every sample points at the text it came from: a send at its selector, a return at
 * its caret, a block at its bracket, a variable at its name; and line/column agree with the offset.
 */
class PositionInvariantTest {

    private int checked;

    @Test void positionsPointAtTheirText() throws Exception {
        List<Path> files = new ArrayList<>();
        Path root = Path.of(PositionInvariantTest.class.getResource("/dialects").toURI());
        try (var walk = Files.walk(root)) {
            walk.filter(f -> f.toString().endsWith(".st") || f.toString().endsWith(".som")).sorted().forEach(files::add);
        }
        assertTrue(files.size() >= 10);
        for (Path f : files) {
            String text = Files.readString(f);
            SourceFile file = new SourceFile(f.getFileName().toString(), text);
            Node.Unit u = FrontEnds.parse(file, Dialect.detect(f.toString(), text), new Diagnostics());
            for (Node item : u.items()) visit(file, item);
        }
        assertTrue(checked > 500, "checked " + checked);
    }

    private void at(SourceFile file, Pos pos, String expected, Node n) {
        assertTrue(pos.offset() >= 0 && pos.offset() < file.text().length(), () -> "offset of " + n);
        if (checked % 17 == 0) assertEquals(file.posAt(pos.offset()), pos, () -> "line/col of " + n); // posAt is linear
        assertTrue(file.text().startsWith(expected, pos.offset()),
                () -> file.path() + ":" + pos.line() + ":" + pos.col() + " should start with '" + expected + "' for " + n);
        checked++;
    }

    /** A selector as the source spells it: the SOM front end compiles some under names of their own. */
    private static String written(SourceFile file, String selector) {
        return file.path().endsWith(".som") ? SomArguments.sourceSelector(selector) : selector;
    }

    private void visit(SourceFile file, Node n) {
        switch (n) {
            case Send s -> {
                String selector = written(file, s.selector());
                at(file, s.pos(), selector.contains(":") ? selector.substring(0, selector.indexOf(':') + 1) : selector, n);
                visit(file, s.receiver());
                s.args().forEach(a -> visit(file, a));
            }
            case Cascade c -> {
                visit(file, c.receiver());
                for (Message m : c.messages()) {
                    String selector = written(file, m.selector());
                    at(file, m.pos(), selector.contains(":") ? selector.substring(0, selector.indexOf(':') + 1) : selector, m);
                    m.args().forEach(a -> visit(file, a));
                }
            }
            case Return r -> { at(file, r.pos(), "^", n); visit(file, r.value()); }
            case Var v -> {
                at(file, v.pos(), "", n);
                int e = v.pos().offset();
                while (e < file.text().length() && (Character.isLetterOrDigit(file.text().charAt(e)) || "_.".indexOf(file.text().charAt(e)) >= 0)) e++;
                String written = file.text().substring(v.pos().offset(), e);
                assertTrue(written.equals(v.name()) || written.endsWith("." + v.name()) || written.startsWith(v.name() + "."),
                        () -> file.path() + ":" + v.pos().line() + ":" + v.pos().col() + " variable " + v.name() + " written as " + written);
            }
            case Assign a -> { at(file, a.pos(), a.target().name(), n); visit(file, a.value()); }
            case Block b -> {
                at(file, b.pos(), "[", n);
                at(file, b.end(), "]", n);
                b.params().forEach(p -> at(file, p.pos(), p.name(), p));
                b.temps().forEach(p -> at(file, p.pos(), p.name(), p));
                b.body().forEach(s -> visit(file, s));
            }
            case Brace b -> { at(file, b.pos(), "{", n); b.elements().forEach(e -> visit(file, e)); }
            case Lit l -> at(file, l.pos(), "", n);
            case Method m -> {
                if (!m.source().contains("!")) at(file, m.pos(), m.source(), n);
                m.params().forEach(p -> at(file, p.pos(), p.name(), p));
                m.temps().forEach(p -> at(file, p.pos(), p.name(), p));
                m.pragmas().forEach(p -> at(file, p.pos(), "<", p));
                m.body().forEach(s -> visit(file, s));
            }
            case MethodDef d -> { at(file, d.pos(), "", n); visit(file, d.method()); }
            case ClassDecl c -> {
                at(file, c.pos(), "", n);
                c.instVars().forEach(v -> at(file, v.pos(), v.name(), v));
                c.classVars().forEach(v -> at(file, v.pos(), v.name(), v));
                c.classInstVars().forEach(v -> at(file, v.pos(), v.name(), v));
                c.classVarInits().forEach(i -> visit(file, i));
            }
            case DoIt d -> {
                at(file, d.pos(), "", n);
                d.temps().forEach(v -> at(file, v.pos(), v.name(), v));
                d.body().forEach(s -> visit(file, s));
            }
            default -> fail("unexpected node " + n);
        }
    }
}
