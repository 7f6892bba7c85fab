package st.bytecode;

/**
 * One decoded instruction. {@code a} and {@code b} are its operands (0 when absent); for a jump,
 * {@link #target()} is the absolute pc it jumps to.
 */
public record Instruction(int pc, Opcode op, int a, int b) {

    public int next() { return pc + op.length; }

    public int target() {
        if (!op.isJump()) throw new IllegalStateException(op + " is not a jump");
        return next() + a;
    }

    /**
     * Decodes the instruction at {@code pc}, validating that the opcode exists and its operands lie
     * inside the code.
     */
    public static Instruction decode(byte[] code, int pc) throws BytecodeException {
        if (pc < 0 || pc >= code.length) throw new BytecodeException(pc, "pc out of range");
        Opcode op = Opcode.of(code[pc]);
        if (op == null) throw new BytecodeException(pc, String.format("unknown opcode 0x%02x", code[pc] & 0xFF));
        if (pc + op.length > code.length) throw new BytecodeException(pc, op.mnemonic() + " runs past the end of the code");
        int at = pc + 1;
        int[] v = new int[2];
        for (int i = 0; i < op.operandCount(); i++) {
            Opcode.Operand kind = op.operand(i);
            v[i] = switch (kind) {
                case U8 -> code[at] & 0xFF;
                case S8 -> code[at];
                case U16 -> (code[at] & 0xFF) | (code[at + 1] & 0xFF) << 8;
                case J16 -> (short) ((code[at] & 0xFF) | (code[at + 1] & 0xFF) << 8);
            };
            at += kind.size;
        }
        return new Instruction(pc, op, v[0], v[1]);
    }

    /** Decodes a whole method, checking that every jump lands on an instruction boundary. */
    public static java.util.List<Instruction> decodeAll(byte[] code) throws BytecodeException {
        var out = new java.util.ArrayList<Instruction>();
        var starts = new java.util.BitSet(code.length + 1);
        for (int pc = 0; pc < code.length; ) {
            Instruction ins = decode(code, pc);
            out.add(ins);
            starts.set(pc);
            pc = ins.next();
        }
        starts.set(code.length);
        for (Instruction ins : out) {
            if (ins.op.isJump()) {
                int t = ins.target();
                if (t < 0 || t > code.length || !starts.get(t))
                    throw new BytecodeException(ins.pc, "jump to " + t + " is not an instruction boundary");
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return switch (op.operandCount()) {
            case 0 -> op.mnemonic();
            case 1 -> op.isJump() ? op.mnemonic() + " " + target() : op.mnemonic() + " " + a;
            default -> op.mnemonic() + " " + a + " " + b;
        };
    }
}
