package stc.parse;

import org.junit.jupiter.api.Test;
import st.format.model.Literal;
import stc.ast.Node;
import stc.ast.Pos;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static stc.parse.ParseTesting.*;

class SomReaderTest {

    @Test void ballClassWithClassSide() throws IOException {
        String text = ChunkReaderTest.resource("som/Ball.som");
        assertEquals(Dialect.SOM, Dialect.detect("som/Ball.som", text));
        assertEquals(Dialect.SOM, Dialect.detect("Ball.txt", text), "detected from content too");
        Node.Unit u = unit("Ball.som", text, Dialect.SOM);
        Node.ClassDecl ball = (Node.ClassDecl) u.items().get(0);
        assertEquals("(class Ball super=Object FIXED (ivars x y xVel yVel))", AstPrinter.print(ball));
        assertEquals(new Pos(5, 1, 103), ball.pos());
        List<Node.MethodDef> methods = u.items().subList(1, u.items().size()).stream().map(Node.MethodDef.class::cast).toList();
        assertEquals(List.of("initialize:", "bounce", "new:"), methods.stream().map(m -> m.method().selector()).toList());
        assertEquals(List.of(false, false, true), methods.stream().map(Node.MethodDef::meta).toList());
        Node.Method bounce = methods.get(1).method();
        assertEquals(List.of("xLimit", "yLimit", "bounced"), bounce.temps().stream().map(Node.Decl::name).toList());
        assertEquals(9, bounce.body().size());
        assertTrue(bounce.source().startsWith("bounce = ("));
        assertTrue(bounce.source().endsWith("^ bounced\n  )"));
        assertEquals("new: random = ( ^ self new initialize: random )", methods.get(2).method().source());
    }

    @Test void bounceWithPrimitivesEscapesAndClassFields() throws IOException {
        Node.Unit u = unit("Bounce.som", ChunkReaderTest.resource("som/Bounce.som"), Dialect.SOM);
        Node.ClassDecl c = (Node.ClassDecl) u.items().get(0);
        assertEquals("(class Bounce super=Benchmark FIXED (civars instances))", AstPrinter.print(c));
        List<Node.Method> methods = u.items().subList(1, u.items().size()).stream()
                .map(n -> ((Node.MethodDef) n).method()).toList();
        assertEquals(List.of("benchmark", "verifyResult:", "+", "<=", "at:put:", "hashcode", "describe", "new", "instances"),
                methods.stream().map(Node.Method::selector).toList());
        assertTrue(methods.get(4).primitive());
        assertTrue(methods.get(4).body().isEmpty());
        assertEquals("at: index put: value = primitive", methods.get(4).source());
        assertFalse(methods.get(3).primitive());
        Node.Assign first = (Node.Assign) methods.get(6).body().get(0);
        Node.Send comma = (Node.Send) first.value();
        assertEquals(new Literal.Str("Bounce\tballs:\n"), ((Node.Lit) comma.receiver()).value());
        assertEquals(new Literal.Str("it's \\ done"), ((Node.Lit) comma.args().get(0)).value());
        assertTrue(((Node.MethodDef) u.items().get(8)).meta());
    }

    @Test void rootClassAndImpliedObject() {
        assertEquals("(unit som\n  (class Object super=null FIXED)\n  (methodDef Object [null] (method class primitive)))",
                AstPrinter.print(unit("Object.som", "Object = nil ( class = primitive )", Dialect.SOM)));
        assertEquals("(unit som\n  (class Empty super=Object FIXED))", AstPrinter.print(unit("E.som", "Empty = ()", Dialect.SOM)));
    }

    @Test void errorsAreReportedPerMethod() {
        assertEquals("""
                t.som:2:15: error: expected an expression, found ')'
                t.som:3:5: error: expected '=' after the method pattern, found 'c'
                t.som:6:1: error: unexpected 'Extra' after the end of class A""",
                unitErrors("t.som", "A = (\n  a = ( ^ 1 + )\n  b c ( ^2 )\n  d = ( ^ 3 )\n)\nExtra", Dialect.SOM));
        assertEquals("t.som:1:19: error: missing ']' to close the block opened at 1:15",
                unitErrors("t.som", "A = ( a = ( ^ [ 1 )", Dialect.SOM).lines().findFirst().orElse(""));
        assertEquals("t.som:1:3: error: expected '=' after the class name, found '('",
                unitErrors("t.som", "A ( )", Dialect.SOM));
        assertEquals("t.som:1:13: error: unknown escape sequence '\\q'",
                unitErrors("t.som", "A = ( a = ('\\q') )", Dialect.SOM));
    }

    @Test void binaryBarMethodFirst() {
        assertEquals("(unit som\n  (class B super=Object FIXED)\n  (methodDef B [null] (method | (params x)\n    (^ (var x)))))",
                AstPrinter.print(unit("B.som", "B = ( | x = ( ^x ) )", Dialect.SOM)));
    }
}
