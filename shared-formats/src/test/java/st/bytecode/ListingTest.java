package st.bytecode;

import org.junit.jupiter.api.Test;
import st.format.model.CodeDef;
import st.format.model.Literal;
import st.format.model.MethodDef;

import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ListingTest {

    static CodeDef code(BytecodeBuilder b, int flags, int args, List<Literal> literals) {
        var map = b.sourceMap().stream().map(e -> new CodeDef.SourcePos(e[0], e[1], e[2])).toList();
        return new CodeDef(args, 0, 0, b.maxDepth(), flags, b.toBytes(), literals, map);
    }

    @Test void resolvesSelectorsLiteralsJumpsAndNestedBlocks() {
        var blk = new BytecodeBuilder();
        blk.at(3, 9);
        blk.emit(Opcode.PUSH_LITERAL, 0);
        blk.emit(Opcode.BLOCK_RETURN);
        CodeDef block = code(blk, CodeDef.IS_BLOCK, 0, List.of(new Literal.Str("it's")));

        var b = new BytecodeBuilder();
        b.at(2, 5);
        b.emit(Opcode.PUSH_TEMP, 0);
        b.emit(Opcode.SEND, 0, 0);
        int done = b.newLabel();
        b.jump(Opcode.JUMP_IF_FALSE, done);
        b.at(3, 5);
        b.emit(Opcode.PUSH_CLOSURE, 1, 0);
        b.emit(Opcode.SEND_SPECIAL, SpecialSelector.VALUE.ordinal());
        b.emit(Opcode.RETURN_TOP);
        b.bind(done);
        b.at(4, 5);
        b.emit(Opcode.PUSH_BINDING, 2);
        b.emit(Opcode.RETURN_TOP);
        CodeDef method = code(b, 0, 1, List.of(new Literal.Sym("isEmpty"), new Literal.Block(block),
                new Literal.Binding(null, "Transcript")));
        String source = "foo: x\n    x isEmpty\n    ifTrue: [^['it''s'] value].\n    ^Transcript";
        var m = new MethodDef("Foo", false, "foo:", "test", 0, null, List.of(), method, 0, 1, 1, source);

        String text = Listing.method(m, true);
        assertEquals("""
                Foo>>foo:
                  ; 3 literals, 1 arg, 0 temps, stack 1
                  ; 1: foo: x
                  ; 2:     x isEmpty
                      0  push_temp 0
                      2  send 0 0  ; #isEmpty
                      6  jump_if_false 16
                  ; 3:     ifTrue: [^['it''s'] value].
                      9  push_closure 1 0  ; block
                         ; 1 literal, 0 args, 0 copied, 0 temps, stack 1
                             0  push_literal 0  ; 'it''s'
                             3  block_return
                     13  send_special 22  ; #value
                     15  return_top
                  ; 4:     ^Transcript
                     16  push_binding 2  ; Transcript
                     19  return_top
                """, text);
    }

    @Test void malformedCodeIsReportedNotThrown() {
        var code = new CodeDef(0, 0, 0, 0, 0, new byte[] {0x06, 0x05, 0x00, (byte) 0xEE}, List.of(), List.of());
        String text = Listing.code(code);
        assertTrue(text.contains("push_literal 5  ; <literal 5 out of range (0 literals)>"), text);
        assertTrue(text.contains("; error: pc 3: unknown opcode 0xee"), text);
        var truncated = new CodeDef(0, 0, 0, 0, 0, new byte[] {0x30, 0x00}, List.of(), List.of());
        assertTrue(Listing.code(truncated).contains("send runs past the end"));
    }

    @Test void moduleListingSeparatesMethods() {
        var code = new CodeDef(0, 0, 0, 1, 0, new byte[] {0x51}, List.of(), List.of());
        var a = new MethodDef("A", false, "a", null, 0, null, List.of(), code, -1, 0, 0, null);
        var b = new MethodDef("A", true, "b", null, 0, null, List.of(), code, -1, 0, 0, null);
        var m = new st.format.model.Module(st.format.model.Module.Kind.MODULE, st.format.model.Module.Target.ANY, 0, "m",
                List.of(), List.of(), List.of(a, b), List.of(), List.of(), List.of(), null);
        assertEquals("""
                A>>a
                  ; 0 literals, 0 args, 0 temps, stack 1
                      0  return_self

                A class>>b
                  ; 0 literals, 0 args, 0 temps, stack 1
                      0  return_self
                """, Listing.module(m, true));
    }

    @Test void literalNotation() {
        assertEquals("#(1 $a 'x' foo: (nil true) [1 255] 2.5 1.50s2)", Listing.literal(new Literal.Array(List.of(
                Literal.Int.of(1), new Literal.Char('a'), new Literal.Str("x"), new Literal.Sym("foo:"),
                new Literal.Array(List.of(Literal.Constant.NIL, Literal.Constant.TRUE)),
                new Literal.Bytes(new byte[] {1, (byte) 255}), new Literal.Float(2.5),
                new Literal.ScaledDecimal(BigInteger.valueOf(3), BigInteger.TWO, 2)))));
        assertEquals("#'hello world'", Listing.literal(new Literal.Sym("hello world")));
        assertEquals("Smalltalk.Foo", Listing.literal(new Literal.Binding("Smalltalk", "Foo")));
        assertEquals("Float nan", Listing.literal(new Literal.Float(Double.NaN)));
        assertEquals("(Character value: 10)", Listing.literal(new Literal.Char(10)));
    }
}
