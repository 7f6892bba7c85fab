package stc.parse;

import stc.ast.Node;
import stc.ast.SourceFile;
import stc.diag.Diagnostics;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shared helpers: parse text and render the result or the diagnostics as plain strings. */
final class ParseTesting {
    private ParseTesting() {}

    static Node.Method method(String text) {
        Diagnostics d = new Diagnostics();
        Node.Method m = FrontEnds.parseMethod(new SourceFile("t.st", text), d);
        assertEquals("", errors(d), "unexpected diagnostics");
        return m;
    }

    static String doIt(String text) {
        Diagnostics d = new Diagnostics();
        Node.DoIt m = FrontEnds.parseDoIt(new SourceFile("t.st", text), d);
        assertEquals("", errors(d), "unexpected diagnostics");
        return AstPrinter.print(m);
    }

    /** The single statement of a doit, printed. */
    static String expr(String text) {
        Diagnostics d = new Diagnostics();
        Node.DoIt m = FrontEnds.parseDoIt(new SourceFile("t.st", text), d);
        assertEquals("", errors(d), "unexpected diagnostics");
        assertEquals(1, m.body().size(), "statements");
        return AstPrinter.print(m.body().get(0));
    }

    static String literal(String text) {
        Node.Stmt s = FrontEnds.parseDoIt(new SourceFile("t.st", text), new Diagnostics()).body().get(0);
        return AstPrinter.literal(((Node.Lit) s).value());
    }

    static String doItErrors(String text) {
        Diagnostics d = new Diagnostics();
        FrontEnds.parseDoIt(new SourceFile("t.st", text), d);
        return errors(d);
    }

    static String methodErrors(String text) {
        Diagnostics d = new Diagnostics();
        FrontEnds.parseMethod(new SourceFile("t.st", text), d);
        return errors(d);
    }

    static Node.Unit unit(String path, String text, Dialect dialect) {
        Diagnostics d = new Diagnostics();
        Node.Unit u = FrontEnds.parse(new SourceFile(path, text), dialect, d);
        assertEquals("", errors(d), "unexpected diagnostics");
        return u;
    }

    static String unitErrors(String path, String text, Dialect dialect) {
        Diagnostics d = new Diagnostics();
        FrontEnds.parse(new SourceFile(path, text), dialect, d);
        return errors(d);
    }

    /** Diagnostic headers, one per line. */
    static String errors(Diagnostics d) {
        return d.all().stream().map(Diagnostics.Diagnostic::header).collect(Collectors.joining("\n"));
    }

    static <T> T only(List<?> items, Class<T> type) {
        assertEquals(1, items.size());
        return type.cast(items.get(0));
    }
}
