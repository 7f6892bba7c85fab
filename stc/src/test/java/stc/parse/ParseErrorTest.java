package stc.parse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;
import static stc.parse.ParseTesting.*;

class ParseErrorTest {

    @Test void unterminatedString() {
        assertEquals("t.st:1:6: error: unterminated string literal", doItErrors("x := 'abc"));
    }

    @Test void unterminatedComment() {
        assertEquals("t.st:2:1: error: unterminated comment", doItErrors("x := 3.\n\"abc"));
    }

    @Test void missingBracket() {
        assertEquals("t.st:1:17: error: missing ']' to close the block opened at 1:6", doItErrors("x := [:a | a foo"));
    }

    @Test void missingParen() {
        assertEquals("t.st:1:13: error: expected ')' to close the parenthesis at 1:6, found end of input",
                doItErrors("x := (3 + 4 "));
    }

    @Test void badLiterals() {
        assertEquals("t.st:1:1: error: digit '2' is not valid in radix 2", doItErrors("2r102"));
        assertEquals("t.st:1:1: error: radix 40 is out of range (2 to 36)", doItErrors("40r12"));
        assertEquals("t.st:1:1: error: radix 2 number has no digits", doItErrors("2rz"));
        assertEquals("t.st:1:1: error: digit 'G' is not valid in radix 16", doItErrors("16r1FG"));
        assertEquals("t.st:1:1: error: malformed number literal '16r1x'", doItErrors("16r1x"));
        assertEquals("t.st:1:5: error: byte array elements must be integers from 0 to 255, found literal 256",
                doItErrors("#[1 256]"));
        assertEquals("t.st:1:1: error: character expected after '$'", doItErrors("$"));
        assertEquals("t.st:1:1: error: expected a symbol, '(' or '[' after '#'", doItErrors("# foo"));
        assertEquals("t.st:1:6: error: float literal is out of range", doItErrors("x := 1.0e999"));
    }

    @Test void unexpectedTokens() {
        assertEquals("t.st:1:6: error: expected an expression, found ')'", doItErrors("x := )"));
        assertEquals("t.st:1:7: error: expected '.' or end of statement, found ']'", doItErrors("x foo ] bar"));
        assertEquals("t.st:1:3: error: unexpected character '`'", doItErrors("x `"));
        assertEquals("t.st:1:3: error: unexpected character U+200B", doItErrors("x \u200B"));
        assertEquals("t.st:1:2: error: unexpected character U+0000", doItErrors("x\0"));
        assertEquals("", doItErrors("\uFEFFx\u00A0foo"));
        assertEquals("t.st:1:1: error: cannot assign to 'true'", doItErrors("true := 3"));
        assertEquals("t.st:1:4: error: a cascade needs a message before ';'", doItErrors("(x); foo"));
        assertEquals("t.st:1:12: error: a cascade part is a single message; parenthesize to send 'baz' to its result",
                doItErrors("x foo; bar baz"));
        assertEquals("t.st:1:1: error: expected a message pattern, found literal 3", methodErrors("3 + 4"));
        assertEquals("t.st:1:3: error: expected '.' or end of statement, found literal 'two...", doItErrors("x 'two\nlines'"));
        assertEquals("t.st:1:5: error: expected an argument name after 'at:', found literal 1", methodErrors("at: 1"));
        assertEquals("t.st:1:17: error: expected '>' to close the pragma, found '^'", methodErrors("f <primitive: 1 ^self"));
    }

    @Test void severalErrorsAreReportedOneRun() {
        assertEquals("""
                t.st:1:6: error: expected an expression, found ')'
                t.st:2:10: error: expected an expression, found '.'
                t.st:4:11: error: missing ']' to close the block opened at 4:6""",
                doItErrors("x := ).\ny := 3 + .\nz := 4.\nw := [ 1 ."));
    }

    @Test void errorsInsideABlockRecoverAtTheBlock() {
        assertEquals("t.st:1:12: error: expected '.' or ']', found ')'",
                doItErrors("x := [ a b ) c ]. y := 1"));
    }

    @Test void hostileNestingIsAnErrorNotAStackOverflow() {
        String deep = "x := " + "(".repeat(100_000) + "1" + ")".repeat(100_000);
        assertEquals("t.st:1:405: error: expression is nested too deeply", doItErrors(deep));
        String blocks = "[".repeat(50_000) + "]".repeat(50_000);
        assertTrue(doItErrors(blocks).startsWith("t.st:1:401: error: expression is nested too deeply"));
        assertEquals("t.st:1:402: error: literal array is nested too deeply", doItErrors("#" + "(".repeat(100_000)));
        assertTrue(doItErrors("a := ".repeat(100_000) + "1").endsWith("error: expression is nested too deeply"));
    }
}
