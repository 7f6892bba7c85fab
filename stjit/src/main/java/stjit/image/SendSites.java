package stjit.image;

import st.bytecode.BytecodeException;
import st.bytecode.Instruction;
import st.bytecode.Opcode;
import st.format.model.CodeDef;

import java.util.ArrayList;
import java.util.List;

/**
 * Numbers the send sites of a method's code so the image builder (which allocates the send
 * cache) and the nativizer (which addresses it) agree: every send, super send, special send and
 * conditional jump (whose non-Boolean case sends #mustBeBoolean) owns one cell, in bytecode order.
 */
public final class SendSites {
    private SendSites() {}

    public static boolean ownsSite(Opcode op) {
        return switch (op) {
            case SEND, SUPER_SEND, SEND_SPECIAL, JUMP_IF_TRUE, JUMP_IF_FALSE -> true;
            default -> false;
        };
    }

    public static int count(CodeDef code) {
        int n = 0;
        for (Instruction i : decode(code)) if (ownsSite(i.op())) n++;
        return n;
    }

    /** Cache indexes (offset by {@code base}) of the super sends in this code. */
    public static List<Integer> superSites(CodeDef code, int base) {
        List<Integer> out = new ArrayList<>();
        int n = base;
        for (Instruction i : decode(code)) {
            if (!ownsSite(i.op())) continue;
            if (i.op() == Opcode.SUPER_SEND) out.add(n);
            n++;
        }
        return out;
    }

    private static List<Instruction> decode(CodeDef code) {
        try {
            return Instruction.decodeAll(code.bytecodes());
        } catch (BytecodeException e) {
            throw new ImageBuilder.ImageException("malformed bytecode: " + e.getMessage());
        }
    }
}
