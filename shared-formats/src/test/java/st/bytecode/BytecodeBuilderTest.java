package st.bytecode;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BytecodeBuilderTest {
    @Test void jumpsResolveForwardAndBackwardAndDecodeBack() throws Exception {
        BytecodeBuilder b = new BytecodeBuilder();
        int top = b.newLabel(), done = b.newLabel();
        b.bind(top);
        b.emit(Opcode.PUSH_TEMP, 0);
        b.jump(Opcode.JUMP_IF_FALSE, done);
        b.emit(Opcode.PUSH_INT8, -3);
        b.emit(Opcode.POP);
        b.jump(Opcode.JUMP, top);
        b.bind(done);
        b.emit(Opcode.RETURN_SELF);
        List<Instruction> code = Instruction.decodeAll(b.toBytes());
        assertEquals(List.of("push_temp 0", "jump_if_false 11", "push_int8 -3", "pop", "jump 0", "return_self"),
                code.stream().map(Instruction::toString).toList());
        assertEquals(1, b.maxDepth());
    }

    @Test void stackDepthFollowsSendsAndClosures() {
        BytecodeBuilder b = new BytecodeBuilder();
        b.emit(Opcode.PUSH_SELF);
        b.emit(Opcode.PUSH_INT8, 1);
        b.emit(Opcode.PUSH_INT8, 2);
        b.emit(Opcode.SEND, 0, 2);
        b.emit(Opcode.PUSH_TEMP, 0);
        b.emit(Opcode.PUSH_CLOSURE, 1, 1);
        b.emit(Opcode.SEND_SPECIAL, SpecialSelector.AT_PUT.ordinal());
        assertEquals(3, b.maxDepth());
        assertEquals(0, b.depth());
    }

    @Test void decodingRejectsUnknownOpcodesTruncationAndJumpsIntoInstructions() {
        assertThrows(BytecodeException.class, () -> Instruction.decodeAll(new byte[] {(byte) 0xEE}));
        assertThrows(BytecodeException.class, () -> Instruction.decodeAll(new byte[] {0x06, 0x01}));
        // jump by +1 lands inside the following push_int8
        assertThrows(BytecodeException.class, () -> Instruction.decodeAll(new byte[] {0x40, 0x01, 0x00, 0x05, 0x01}));
    }

    @Test void everySpecialSelectorRoundTripsByNameAndIndex() {
        for (SpecialSelector s : SpecialSelector.values()) {
            assertSame(s, SpecialSelector.of(s.selector));
            assertSame(s, SpecialSelector.of(s.ordinal()));
        }
        assertNull(SpecialSelector.of("frobnicate"));
    }
}
