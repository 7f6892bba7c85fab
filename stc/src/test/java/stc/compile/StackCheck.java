package stc.compile;

import st.bytecode.BytecodeException;
import st.bytecode.Instruction;
import st.bytecode.Opcode;
import st.bytecode.SpecialSelector;
import st.format.model.CodeDef;
import st.format.model.Literal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent check of compiled code, by abstract interpretation over every path: the stack
 * depth agrees wherever paths join, never goes negative, never exceeds the recorded frame size,
 * and no path runs off the end of the code. Blocks are checked recursively.
 */
final class StackCheck {
    private StackCheck() {}

    static void check(CodeDef code, String where) {
        List<Instruction> all;
        try {
            all = Instruction.decodeAll(code.bytecodes());
        } catch (BytecodeException e) {
            throw new AssertionError(where + ": " + e.getMessage());
        }
        Map<Integer, Instruction> byPc = new HashMap<>();
        for (Instruction i : all) byPc.put(i.pc(), i);
        Map<Integer, Integer> depthAt = new HashMap<>();
        ArrayDeque<int[]> work = new ArrayDeque<>();
        work.add(new int[] {0, 0});
        int max = 0;
        while (!work.isEmpty()) {
            int[] item = work.poll();
            int pc = item[0], depth = item[1];
            Integer seen = depthAt.get(pc);
            if (seen != null) {
                if (seen != depth) throw new AssertionError(where + ": depth " + depth + " meets " + seen + " at pc " + pc);
                continue;
            }
            depthAt.put(pc, depth);
            Instruction ins = byPc.get(pc);
            if (ins == null) throw new AssertionError(where + ": runs off the end at pc " + pc);
            int after = depth + delta(ins);
            if (after < 0 || depth - pops(ins) < 0) throw new AssertionError(where + ": stack underflow at pc " + pc);
            max = Math.max(max, Math.max(after, depth));
            Opcode op = ins.op();
            if (op.isReturn()) continue;
            if (op.isJump()) work.add(new int[] {ins.target(), after});
            if (op != Opcode.JUMP) work.add(new int[] {ins.next(), after});
            if (op == Opcode.PUSH_CLOSURE && code.literals().get(ins.a()) instanceof Literal.Block(CodeDef block)) {
                check(block, where + " block@" + pc);
            }
        }
        if (max > code.frameSize()) throw new AssertionError(where + ": depth " + max + " exceeds frame size " + code.frameSize());
    }

    private static int pops(Instruction ins) {
        return switch (ins.op()) {
            case POP, POP_STORE_BINDING, POP_STORE_INST, POP_STORE_TEMP, POP_STORE_VECTOR_TEMP, RETURN_TOP, BLOCK_RETURN,
                 NONLOCAL_RETURN, JUMP_IF_TRUE, JUMP_IF_FALSE, JUMP_IF_NIL, JUMP_IF_NOT_NIL, DUP, STORE_BINDING,
                 STORE_INST, STORE_TEMP, STORE_VECTOR_TEMP -> 1;
            case POP_INTO_ARRAY -> ins.a();
            case PUSH_CLOSURE -> ins.b();
            case SEND, SUPER_SEND -> ins.b() + 1;
            case SEND_SPECIAL -> SpecialSelector.of(ins.a()).argc + 1;
            default -> 0;
        };
    }

    private static int delta(Instruction ins) {
        return switch (ins.op()) {
            case PUSH_SELF, PUSH_NIL, PUSH_TRUE, PUSH_FALSE, PUSH_THIS_CONTEXT, PUSH_INT8, PUSH_LITERAL, PUSH_BINDING,
                 PUSH_INST, PUSH_TEMP, PUSH_VECTOR_TEMP, DUP, PUSH_NEW_ARRAY -> 1;
            case POP, POP_STORE_BINDING, POP_STORE_INST, POP_STORE_TEMP, POP_STORE_VECTOR_TEMP, JUMP_IF_TRUE,
                 JUMP_IF_FALSE, JUMP_IF_NIL, JUMP_IF_NOT_NIL, RETURN_TOP, BLOCK_RETURN, NONLOCAL_RETURN -> -1;
            case POP_INTO_ARRAY -> 1 - ins.a();
            case PUSH_CLOSURE -> 1 - ins.b();
            case SEND, SUPER_SEND -> -ins.b();
            case SEND_SPECIAL -> -SpecialSelector.of(ins.a()).argc;
            default -> 0;
        };
    }
}
