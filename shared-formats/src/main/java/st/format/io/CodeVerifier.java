package st.format.io;

import st.bytecode.BytecodeException;
import st.bytecode.Instruction;
import st.bytecode.Opcode;
import st.bytecode.SpecialSelector;
import st.format.model.CodeDef;
import st.format.model.Literal;

/**
 * Checks that compiled code is safe to nativize: every instruction decodes, every jump lands on an
 * instruction, every literal operand is in range and of the kind the opcode needs, every temp
 * operand is inside the frame, and the operand stack stays within the frame size on every path. Both the writer and the reader apply it, so a file that reads is
 * one the nativizer can trust. Block bodies are verified where they are listed, not here.
 */
public final class CodeVerifier {
    private CodeVerifier() {}

    /** The first problem found, or null when the code is well formed. */
    public static String problem(CodeDef code) {
        java.util.List<Instruction> instructions;
        try {
            instructions = Instruction.decodeAll(code.bytecodes());
        } catch (BytecodeException e) {
            return e.getMessage();
        }
        int literals = code.literals().size();
        int temps = code.frameTemps();
        for (Instruction ins : instructions) {
            String where = "pc " + ins.pc() + ": " + ins.op().mnemonic() + ": ";
            switch (ins.op()) {
                case PUSH_LITERAL -> {
                    if (ins.a() >= literals) return where + outOfRange(ins.a(), literals);
                }
                case PUSH_BINDING, STORE_BINDING, POP_STORE_BINDING -> {
                    if (ins.a() >= literals) return where + outOfRange(ins.a(), literals);
                    if (!(code.literals().get(ins.a()) instanceof Literal.Binding))
                        return where + "literal " + ins.a() + " is not a binding";
                }
                case SEND, SUPER_SEND -> {
                    if (ins.a() >= literals) return where + outOfRange(ins.a(), literals);
                    if (!(code.literals().get(ins.a()) instanceof Literal.Sym))
                        return where + "literal " + ins.a() + " is not a selector symbol";
                }
                case PUSH_CLOSURE -> {
                    if (ins.a() >= literals) return where + outOfRange(ins.a(), literals);
                    if (!(code.literals().get(ins.a()) instanceof Literal.Block(CodeDef block)))
                        return where + "literal " + ins.a() + " is not a block";
                    if (block.numCopied() != ins.b())
                        return where + "copies " + ins.b() + " values but the block expects " + block.numCopied();
                }
                case SEND_SPECIAL -> {
                    if (SpecialSelector.of(ins.a()) == null) return where + "no special selector " + ins.a();
                }
                case PUSH_TEMP, STORE_TEMP, POP_STORE_TEMP, PUSH_VECTOR_TEMP, STORE_VECTOR_TEMP, POP_STORE_VECTOR_TEMP -> {
                    if (ins.a() >= temps) return where + "temp " + ins.a() + " out of range (" + temps + " temps in the frame)";
                }
                default -> { }
            }
        }
        return stackProblem(code, instructions);
    }

    /**
     * Follows every path through the code, tracking the operand stack depth: it must never go
     * below zero or above the frame size, must be the same on every path into an instruction, and
     * no path may run off the end of the code. The nativizer sizes frames by the frame size and
     * assumes these, so a violation could make native code write outside its frame.
     * Unreachable instructions are not checked: they never run.
     */
    private static String stackProblem(CodeDef code, java.util.List<Instruction> instructions) {
        int n = instructions.size();
        if (n == 0) return "empty code: no return";
        int[] indexAt = new int[code.bytecodes().length + 1];
        java.util.Arrays.fill(indexAt, -1);
        for (int i = 0; i < n; i++) indexAt[instructions.get(i).pc()] = i;
        int[] depthIn = new int[n];
        java.util.Arrays.fill(depthIn, -1);
        depthIn[0] = 0;
        java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>();
        work.push(0);
        int max = code.frameSize();
        while (!work.isEmpty()) {
            int i = work.pop();
            Instruction ins = instructions.get(i);
            int depth = depthIn[i];
            String where = "pc " + ins.pc() + ": " + ins.op().mnemonic() + ": ";
            int pops = pops(ins), pushes = pushes(ins);
            if (depth < pops) return where + "needs " + pops + " values on the stack, has " + depth;
            int after = depth - pops + pushes;
            if (after > max) return where + "stack depth " + after + " exceeds the frame size " + max;
            java.util.List<Integer> successors = new java.util.ArrayList<>(2);
            if (ins.op().isJump()) {
                if (ins.target() >= code.bytecodes().length) return where + "jumps past the last instruction";
                successors.add(indexAt[ins.target()]);
            }
            if (!ins.op().isReturn() && ins.op() != Opcode.JUMP) {
                if (i + 1 >= n) return where + "runs off the end of the code";
                successors.add(i + 1);
            }
            for (int next : successors) {
                if (depthIn[next] == -1) {
                    depthIn[next] = after;
                    work.push(next);
                } else if (depthIn[next] != after) {
                    return "pc " + instructions.get(next).pc() + ": reached with stack depths " + depthIn[next] + " and " + after;
                }
            }
        }
        return null;
    }

    private static int pops(Instruction ins) {
        return switch (ins.op()) {
            case STORE_BINDING, STORE_INST, STORE_TEMP, STORE_VECTOR_TEMP, DUP -> 1;
            case POP_STORE_BINDING, POP_STORE_INST, POP_STORE_TEMP, POP_STORE_VECTOR_TEMP, POP -> 1;
            case POP_INTO_ARRAY -> ins.a();
            case PUSH_CLOSURE -> ins.b();
            case SEND, SUPER_SEND -> ins.b() + 1;
            case SEND_SPECIAL -> SpecialSelector.of(ins.a()).argc + 1;
            case JUMP_IF_TRUE, JUMP_IF_FALSE, JUMP_IF_NIL, JUMP_IF_NOT_NIL -> 1;
            case RETURN_TOP, BLOCK_RETURN, NONLOCAL_RETURN -> 1;
            default -> 0;
        };
    }

    private static int pushes(Instruction ins) {
        return switch (ins.op()) {
            case PUSH_SELF, PUSH_NIL, PUSH_TRUE, PUSH_FALSE, PUSH_THIS_CONTEXT, PUSH_INT8, PUSH_LITERAL, PUSH_BINDING,
                 PUSH_INST, PUSH_TEMP, PUSH_VECTOR_TEMP, PUSH_NEW_ARRAY, POP_INTO_ARRAY, PUSH_CLOSURE,
                 SEND, SUPER_SEND, SEND_SPECIAL -> 1;
            case STORE_BINDING, STORE_INST, STORE_TEMP, STORE_VECTOR_TEMP -> 1;
            case DUP -> 2;
            default -> 0;
        };
    }

    private static String outOfRange(int index, int count) {
        return "literal index " + index + " out of range (" + count + " literals)";
    }
}
