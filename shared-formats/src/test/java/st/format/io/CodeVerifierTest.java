package st.format.io;

import org.junit.jupiter.api.Test;
import st.bytecode.BytecodeBuilder;
import st.bytecode.Opcode;
import st.format.model.CodeDef;
import st.format.model.Literal;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CodeVerifierTest {
    static String check(int frameSize, int temps, List<Literal> literals, int... bytes) {
        byte[] code = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) code[i] = (byte) bytes[i];
        return CodeVerifier.problem(new CodeDef(0, 0, temps, frameSize, 0, code, literals, List.of()));
    }

    @Test void wellFormedCodeWithALoopPasses() {
        // [t < 10] whileTrue: [t := t + 1]. ^t
        var b = new BytecodeBuilder();
        int top = b.newLabel(), done = b.newLabel();
        b.bind(top);
        b.emit(Opcode.PUSH_TEMP, 0);
        b.emit(Opcode.PUSH_INT8, 10);
        b.emit(Opcode.SEND_SPECIAL, 2);
        b.jump(Opcode.JUMP_IF_FALSE, done);
        b.emit(Opcode.PUSH_TEMP, 0);
        b.emit(Opcode.PUSH_INT8, 1);
        b.emit(Opcode.SEND_SPECIAL, 0);
        b.emit(Opcode.POP_STORE_TEMP, 0);
        b.jump(Opcode.JUMP, top);
        b.bind(done);
        b.emit(Opcode.PUSH_TEMP, 0);
        b.emit(Opcode.RETURN_TOP);
        assertNull(CodeVerifier.problem(new CodeDef(0, 0, 1, b.maxDepth(), 0, b.toBytes(), List.of(), List.of())));
    }

    @Test void unreachableCodeIsNotChecked() {
        assertNull(check(1, 0, List.of(), 0x51, 0x20, 0x20));
    }

    @Test void stackProblemsAreNamed() {
        assertEquals("empty code: no return", check(0, 0, List.of()));
        assertEquals("pc 0: return_top: needs 1 values on the stack, has 0", check(1, 0, List.of(), 0x50));
        assertEquals("pc 1: push_nil: stack depth 2 exceeds the frame size 1", check(1, 0, List.of(), 0x01, 0x01, 0x50));
        assertEquals("pc 0: push_nil: runs off the end of the code", check(1, 0, List.of(), 0x01));
        assertEquals("pc 0: jump: jumps past the last instruction", check(1, 0, List.of(), 0x40, 0x00, 0x00));
        // push_true; jump_if_false +1 (over push_nil); push_nil; return_self: the join sees depths 0 and 1
        assertEquals("pc 5: reached with stack depths 0 and 1", check(2, 0, List.of(), 0x02, 0x42, 0x01, 0x00, 0x01, 0x51));
        assertEquals("pc 0: send: needs 2 values on the stack, has 0",
                check(2, 0, List.of(new Literal.Sym("+")), 0x30, 0x00, 0x00, 0x01, 0x50));
    }

    @Test void operandProblemsAreNamed() {
        assertEquals("pc 0: push_temp: temp 0 out of range (0 temps in the frame)", check(1, 0, List.of(), 0x09, 0x00, 0x50));
        assertEquals("pc 1: send: literal 0 is not a selector symbol",
                check(1, 0, List.of(Literal.Constant.NIL), 0x00, 0x30, 0x00, 0x00, 0x00, 0x50));
        assertEquals("pc 0: push_binding: literal 0 is not a binding", check(1, 0, List.of(new Literal.Str("x")), 0x07, 0x00, 0x00, 0x50));
        assertEquals("pc 1: send_special: no special selector 99", check(2, 0, List.of(), 0x00, 0x32, 99, 0x50));
    }
}
