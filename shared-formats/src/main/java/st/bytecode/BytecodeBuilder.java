package st.bytecode;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Emits bytecodes with forward and backward labels, tracking the stack depth so that the frame
 * size can be recorded, and the source position of every instruction for the source map.
 */
public final class BytecodeBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<int[]> fixups = new ArrayList<>(); // {operandPc, nextPc, labelId}
    private final List<Integer> labels = new ArrayList<>();
    private final List<int[]> sourceMap = new ArrayList<>(); // {pc, line, col}
    private int depth, maxDepth;
    private int line, col;

    public int pc() { return out.size(); }

    public int maxDepth() { return maxDepth; }

    public int depth() { return depth; }

    /** Sets the depth explicitly, for code after an unconditional jump or at a join point. */
    public void setDepth(int d) { depth = d; maxDepth = Math.max(maxDepth, d); }

    /** The source position attributed to the instructions emitted from now on. */
    public void at(int line, int col) { this.line = line; this.col = col; }

    public int newLabel() { labels.add(-1); return labels.size() - 1; }

    public void bind(int label) { labels.set(label, pc()); }

    public void emit(Opcode op, int... operands) {
        if (operands.length != op.operandCount())
            throw new IllegalArgumentException(op + " takes " + op.operandCount() + " operands");
        mark();
        out.write(op.code);
        for (int i = 0; i < operands.length; i++) {
            int v = operands[i];
            switch (op.operand(i)) {
                case U8 -> { check(v, 0, 255, op); out.write(v); }
                case S8 -> { check(v, -128, 127, op); out.write(v); }
                case U16 -> { check(v, 0, 65535, op); out.write(v); out.write(v >> 8); }
                case J16 -> throw new IllegalArgumentException("use jump() for " + op);
            }
        }
        adjust(op, operands);
    }

    public void jump(Opcode op, int label) {
        if (!op.isJump()) throw new IllegalArgumentException(op + " is not a jump");
        mark();
        out.write(op.code);
        fixups.add(new int[] {pc(), pc() + 2, label});
        out.write(0);
        out.write(0);
        if (op != Opcode.JUMP) depth--;
    }

    private void mark() {
        if (sourceMap.isEmpty() || sourceMap.getLast()[1] != line || sourceMap.getLast()[2] != col)
            sourceMap.add(new int[] {pc(), line, col});
    }

    private static void check(int v, int lo, int hi, Opcode op) {
        if (v < lo || v > hi) throw new IllegalArgumentException(op + " operand " + v + " out of range");
    }

    private void adjust(Opcode op, int[] operands) {
        int delta = switch (op) {
            case PUSH_SELF, PUSH_NIL, PUSH_TRUE, PUSH_FALSE, PUSH_THIS_CONTEXT, PUSH_INT8, PUSH_LITERAL,
                 PUSH_BINDING, PUSH_INST, PUSH_TEMP, PUSH_VECTOR_TEMP, DUP, PUSH_NEW_ARRAY -> 1;
            case STORE_BINDING, STORE_INST, STORE_TEMP, STORE_VECTOR_TEMP -> 0;
            case POP_STORE_BINDING, POP_STORE_INST, POP_STORE_TEMP, POP_STORE_VECTOR_TEMP, POP -> -1;
            case POP_INTO_ARRAY -> 1 - operands[0];
            case PUSH_CLOSURE -> 1 - operands[1];
            case SEND, SUPER_SEND -> -operands[1];
            case SEND_SPECIAL -> -SpecialSelector.of(operands[0]).argc;
            case RETURN_TOP, BLOCK_RETURN, NONLOCAL_RETURN -> -1;
            default -> 0;
        };
        setDepth(depth + delta);
    }

    /** The finished code, with every jump resolved. */
    public byte[] toBytes() {
        byte[] code = out.toByteArray();
        for (int[] f : fixups) {
            int target = labels.get(f[2]);
            if (target < 0) throw new IllegalStateException("unbound label");
            int disp = target - f[1];
            if (disp < Short.MIN_VALUE || disp > Short.MAX_VALUE)
                throw new IllegalStateException("jump too far: method body exceeds 32 KiB");
            code[f[0]] = (byte) disp;
            code[f[0] + 1] = (byte) (disp >> 8);
        }
        return code;
    }

    /** Source map entries {pc, line, col}, in pc order, each covering code up to the next. */
    public List<int[]> sourceMap() { return sourceMap; }
}
