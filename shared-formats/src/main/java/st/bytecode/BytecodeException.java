package st.bytecode;

/** Malformed bytecode: an unknown opcode, a truncated operand or a jump into the middle of an instruction. */
public final class BytecodeException extends Exception {
    public final int pc;

    public BytecodeException(int pc, String message) {
        super("pc " + pc + ": " + message);
        this.pc = pc;
    }
}
