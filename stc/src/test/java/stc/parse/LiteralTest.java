package stc.parse;

import org.junit.jupiter.api.Test;
import st.format.model.Literal;
import stc.ast.Node;
import stc.ast.SourceFile;
import stc.diag.Diagnostics;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.*;
import static stc.parse.ParseTesting.*;

class LiteralTest {

    private static Literal value(String text) {
        Diagnostics d = new Diagnostics();
        Node.DoIt doIt = FrontEnds.parseDoIt(new SourceFile("t.st", text), d);
        assertEquals("", errors(d));
        return ((Node.Lit) doIt.body().get(0)).value();
    }

    @Test void integersOfAnySize() {
        assertEquals(Literal.Int.of(42), value("42"));
        assertEquals(new Literal.Int(new BigInteger("123456789012345678901234567890")), value("123456789012345678901234567890"));
        assertEquals(Literal.Int.of(-7), value("-7"));
        assertEquals(new Literal.Int(BigInteger.TEN.pow(10)), value("1e10"));
        assertEquals(new Literal.Int(BigInteger.TEN.pow(100)), value("1e100"));
    }

    @Test void radixIntegers() {
        assertEquals(Literal.Int.of(31), value("16r1F"));
        assertEquals(Literal.Int.of(10), value("2r1010"));
        assertEquals(Literal.Int.of(36 * 36 - 1), value("36rZZ"));
        assertEquals(Literal.Int.of(-255), value("-16rFF"));
        assertEquals(Literal.Int.of(-255), value("16r-FF"));
        assertEquals(Literal.Int.of(255), value("16rff"));
        assertEquals(Literal.Int.of(16), value("2r1e4"));
    }

    @Test void floatsAreTheNearestDouble() {
        assertEquals(new Literal.Float(1.5e-3), value("1.5e-3"));
        assertEquals(new Literal.Float(2.0), value("2.0d0"));
        assertEquals(new Literal.Float(1.0), value("1.0q0"));
        assertEquals(new Literal.Float(1.5e10), value("1.5e+10"));
        assertEquals(new Literal.Float(0.1), value("0.1"));
        assertEquals(new Literal.Float(-3.25), value("-3.25"));
        assertEquals(new Literal.Float(2.0), value("2.0d"));
        // halfway cases and long mantissas must round correctly, not digit by digit
        assertEquals(new Literal.Float(9007199254740993.0), value("9007199254740993.0"));
        assertEquals(new Literal.Float(Double.parseDouble("2.2250738585072011e-308")), value("2.2250738585072011e-308"));
        assertEquals(new Literal.Float(Double.MIN_VALUE), value("4.9e-324"));
        assertEquals(new Literal.Float(1.5), value("2r1.1"));
        assertEquals(new Literal.Float(0.1), value("0.1000000000000000055511151231257827021181583404541015625"));
    }

    @Test void rationalToDoubleRoundsHalfToEven() {
        assertEquals(1.0 / 3.0, Lexer.toDouble(BigInteger.ONE, BigInteger.valueOf(3)));
        assertEquals(2.0 / 3.0, Lexer.toDouble(BigInteger.TWO, BigInteger.valueOf(3)));
        BigInteger twoTo53 = BigInteger.TWO.pow(53);
        assertEquals(9007199254740992.0, Lexer.toDouble(twoTo53.add(BigInteger.ONE), BigInteger.ONE));
        assertEquals(9007199254740996.0, Lexer.toDouble(twoTo53.add(BigInteger.valueOf(3)), BigInteger.ONE));
    }

    @Test void scaledDecimals() {
        assertEquals(new Literal.ScaledDecimal(BigInteger.valueOf(3), BigInteger.TWO, 2), value("1.5s2"));
        assertEquals(new Literal.ScaledDecimal(BigInteger.valueOf(3), BigInteger.ONE, 0), value("3s"));
        assertEquals(new Literal.ScaledDecimal(BigInteger.valueOf(3), BigInteger.ONE, 2), value("3s2"));
        assertEquals(new Literal.ScaledDecimal(BigInteger.valueOf(-1), BigInteger.valueOf(4), 2), value("-0.25s"));
    }

    @Test void characters() {
        assertEquals(new Literal.Char('a'), value("$a"));
        assertEquals(new Literal.Char(' '), value("$ "));
        assertEquals(new Literal.Char('\''), value("$'"));
        assertEquals(new Literal.Char('$'), value("$$"));
        assertEquals(new Literal.Char(0x1F600), value("$\uD83D\uDE00"));
        assertEquals(new Literal.Char('A'), value("$<65>"));
        assertEquals(new Literal.Char('<'), value("$<"));
    }

    @Test void strings() {
        assertEquals(new Literal.Str("it's"), value("'it''s'"));
        assertEquals(new Literal.Str(""), value("''"));
        assertEquals(new Literal.Str("a \"not a comment\" b"), value("'a \"not a comment\" b'"));
    }

    @Test void symbols() {
        assertEquals(new Literal.Sym("foo"), value("#foo"));
        assertEquals(new Literal.Sym("foo:bar:"), value("#foo:bar:"));
        assertEquals(new Literal.Sym("foo:bar"), value("#foo:bar"));
        assertEquals(new Literal.Sym("+"), value("#+"));
        assertEquals(new Literal.Sym("->"), value("#->"));
        assertEquals(new Literal.Sym("with space"), value("#'with space'"));
        assertEquals(new Literal.Sym("foo"), value("##foo"));
    }

    @Test void literalArrays() {
        assertEquals("#(1 $a 'x' #(2) #(3 4) #[1 2])", literal("#(1 $a 'x' #(2) (3 4) #[1 2])"));
        assertEquals("#(true false nil #foo #bar: #baz)", literal("#(true false nil foo bar: #baz)"));
        assertEquals("#(#foo: #bar)", literal("#(foo: bar)"));
        assertEquals("#(#at:put: #size)", literal("#(at:put: size)"));
        assertEquals("#(#+ #- #| -1 2.5 #,)", literal("#(+ - | -1 2.5 #,)"));
        assertEquals("#()", literal("#()"));
        assertEquals("#(#(#(1)))", literal("#(((1)))"));
        assertEquals("#(#foo:bar: #baz 1.5 -2500.0 255 $  #a:b)", literal("#(#foo:bar: baz 1.5 -2.5e3 16rFF $  a:b)"));
    }

    @Test void byteArraysAndBindings() {
        assertEquals("#[1 2 255]", literal("#[1 2 255]"));
        assertEquals("#[]", literal("#[]"));
        assertEquals("#{Transcript}", literal("#{Smalltalk.Transcript}"));
    }

    @Test void commentsAnywhere() {
        assertEquals("(send (lit 1) \"x\" + (lit 2))".replace(" \"x\"", ""), expr("1 \"one\" + \"plus\" 2 \"two\""));
    }
}
