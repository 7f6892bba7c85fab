package stc.parse;

import org.junit.jupiter.api.Test;
import stc.ast.Node;
import stc.ast.Pos;

import static org.junit.jupiter.api.Assertions.*;
import static stc.parse.ParseTesting.*;

class ExpressionParserTest {

    @Test void precedenceIsUnaryThenBinaryThenKeyword() {
        assertEquals("(send (var a) at:put: (send (var b) + (send (var c) size)) (send (lit 3) negated))",
                expr("a at: b + c size put: 3 negated"));
        assertEquals("(send (send (lit 1) + (lit 2)) * (lit 3))", expr("1 + 2 * 3"));
        assertEquals("(send (lit 1) + (send (lit 2) * (lit 3)))", expr("1 + (2 * 3)"));
    }

    @Test void binarySelectorsOfAnyLength() {
        assertEquals("(send (var a) -> (var b))", expr("a->b"));
        assertEquals("(send (var a) ~= (var b))", expr("a ~= b"));
        assertEquals("(send (var a) ==> (var b))", expr("a ==> b"));
        assertEquals("(send (var a) , (var b))", expr("a , b"));
        assertEquals("(send (var a) | (var b))", expr("a | b"));
        assertEquals("(send (var a) & (var b))", expr("a&b"));
    }

    @Test void negativeNumbersAndMinus() {
        assertEquals("(send (lit 3) - (lit -2))", expr("3 - -2"));
        assertEquals("(send (lit 3) - (lit -2))", expr("3--2"));
        assertEquals("(send (lit 3) - (lit 2))", expr("3-2"));
        assertEquals("(send (var x) - (lit 1))", expr("x -1"));
        assertEquals("(send (lit -5) abs)", expr("-5 abs"));
        assertEquals("(lit -255)", expr("-16rFF"));
    }

    @Test void assignmentChainsAndOldUnderscore() {
        assertEquals("(:= a (:= b (lit 3)))", expr("a := b := 3"));
        assertEquals("(:= a (send (var b) foo))", expr("a _ b foo"));
        assertEquals("(var a_b)", expr("a_b"));
    }

    @Test void cascadeReceiverIsTheReceiverOfTheFirstMessage() {
        assertEquals("(cascade (var Transcript) (show: (lit 'a')) (cr) (show: (send (lit 1) + (lit 2))))",
                expr("Transcript show: 'a'; cr; show: 1 + 2"));
        assertEquals("(cascade (send (var OrderedCollection) new) (add: (lit 1)) (yourself))",
                expr("OrderedCollection new add: 1; yourself"));
        Node.Cascade c = (Node.Cascade) FrontEnds.parseDoIt(new stc.ast.SourceFile("t", "x foo; bar"), new stc.diag.Diagnostics()).body().get(0);
        assertEquals(new Pos(1, 3, 2), c.pos());
        assertEquals(new Pos(1, 8, 7), c.messages().get(1).pos());
    }

    @Test void blocksWithParamsAndTemps() {
        assertEquals("(block (params a b) (temps t) (:= t (send (var a) + (var b))) (var t))",
                expr("[:a :b | | t | t := a + b. t]"));
        assertEquals("(block (params x) (temps t) (var t))", expr("[:x || t | t]"));
        assertEquals("(block (params x))", expr("[:x]"));
        assertEquals("(block)", expr("[]"));
        assertEquals("(block (params x) (^ (var x)))", expr("[ : x | ^x ]"));
    }

    @Test void bracesAndPseudoVariables() {
        assertEquals("(brace (var a) (send (var b) + (lit 1)))", expr("{a. b + 1}"));
        assertEquals("(brace)", expr("{}"));
        assertEquals("(brace (lit nil) (lit true) (lit false) (var self) (var super) (var thisContext))",
                expr("{nil. true. false. self. super. thisContext}"));
    }

    @Test void doItTempsAndStatements() {
        assertEquals("(doit (temps a b)\n  (:= a (lit 1))\n  (:= b (lit 2))\n  (send (var a) + (var b)))",
                doIt("| a b | a := 1. b := 2. a + b."));
    }

    @Test void sendPositionsAreAtTheSelector() {
        Node.Send s = (Node.Send) FrontEnds.parseDoIt(new stc.ast.SourceFile("t", "a\n  at: 1\n  put: 2"),
                new stc.diag.Diagnostics()).body().get(0);
        assertEquals(new Pos(2, 3, 4), s.pos());
        assertEquals(java.util.List.of(new Pos(2, 3, 4), new Pos(3, 3, 12)), s.keywordPos());
    }
}
