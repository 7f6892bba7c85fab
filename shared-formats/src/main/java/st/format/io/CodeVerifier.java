package st.format.io;

import st.bytecode.BytecodeException;
import st.bytecode.Instruction;
import st.bytecode.SpecialSelector;
import st.format.model.CodeDef;
import st.format.model.Literal;

/**
 * Checks that compiled code is safe to nativize: every instruction decodes, every jump lands on an
 * instruction, every literal operand is in range and of the kind the opcode needs, and every temp
 * operand is inside the frame. Both the writer and the reader apply it, so a file that reads is
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
        return null;
    }

    private static String outOfRange(int index, int count) {
        return "literal index " + index + " out of range (" + count + " literals)";
    }
}
