package stc.parse;

import org.junit.jupiter.api.Test;
import stc.ast.Node;
import stc.ast.Pos;

import static org.junit.jupiter.api.Assertions.*;
import static stc.parse.ParseTesting.*;

class MethodParserTest {

    @Test void unaryBinaryAndKeywordPatterns() {
        assertEquals("(method size\n  (^ (var tally)))", AstPrinter.print(method("size ^tally")));
        assertEquals("(method = (params other)\n  (^ (send (var x) = (send (var other) x))))",
                AstPrinter.print(method("= other ^x = other x")));
        Node.Method m = method("at: i put: v\n\t| old |\n\told := i.\n\t^v");
        assertEquals("at:put:", m.selector());
        assertEquals(2, m.params().size());
        assertEquals("old", m.temps().get(0).name());
        assertEquals(new Pos(1, 1, 0), m.pos());
        assertEquals("at: i put: v\n\t| old |\n\told := i.\n\t^v", m.source());
    }

    @Test void pragmasAnywhereInTheHeader() {
        Node.Method m = method("+ x <primitive: 1> | t | <category: 'arith'> ^super + x");
        assertEquals("(method + (params x) (temps t) <primitive: 1> <category: 'arith'>\n  (^ (send (var super) + (var x))))",
                AstPrinter.print(m));
        Node.Method named = method("f <primitive: 'primFoo' module: 'Bar'> ^nil");
        assertEquals("<primitive:module: 'primFoo' 'Bar'>", AstPrinter.print(named.pragmas().get(0)));
        Node.Method withError = method("f <primitive: 60 error: ec> ^ec");
        assertEquals("ec", withError.temps().get(0).name());
        assertEquals("<primitive:error: 60 #ec>", AstPrinter.print(withError.pragmas().get(0)));
        assertEquals("<foo>", AstPrinter.print(method("f <foo> ^1").pragmas().get(0)));
        assertEquals("<bar:baz:q:t: #(1 2) -3 #sym true>",
                AstPrinter.print(method("f <bar: #(1 2) baz: -3 q: #sym t: true> ^1").pragmas().get(0)));
    }

    @Test void returnPositionAndMethodEnd() {
        Node.Method m = method("foo\n  ^ 1");
        Node.Return r = (Node.Return) m.body().get(0);
        assertEquals(new Pos(2, 3, 6), r.pos());
        assertEquals(new Pos(2, 5, 8), r.value().pos());
    }

    @Test void blockEndIsTheClosingBracket() {
        Node.Method m = method("foo ^[:x | x]");
        Node.Block b = (Node.Block) ((Node.Return) m.body().get(0)).value();
        assertEquals(new Pos(1, 6, 5), b.pos());
        assertEquals(new Pos(1, 13, 12), b.end());
    }
}
