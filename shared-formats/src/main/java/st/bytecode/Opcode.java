package st.bytecode;

/**
 * The bytecode set. Every instruction is one opcode byte followed by a fixed operand layout, so a
 * single forward pass can decode (and nativize) a method without lookahead. Operand kinds:
 * {@code U8}, {@code U16} (little-endian), {@code S8}, and {@code J16}, a signed 16-bit jump
 * displacement relative to the pc of the next instruction. See docs/FORMAT.md, "Bytecodes".
 *
 * <p>Temporaries are numbered per frame: a method's arguments first, then its temps; a block's
 * arguments, then its copied values, then its own temps.
 */
public enum Opcode {
    PUSH_SELF(0x00),
    PUSH_NIL(0x01),
    PUSH_TRUE(0x02),
    PUSH_FALSE(0x03),
    PUSH_THIS_CONTEXT(0x04),
    /** Push a SmallInteger in -128..127. */
    PUSH_INT8(0x05, Operand.S8),
    PUSH_LITERAL(0x06, Operand.U16),
    /** Push the value of the binding (global or class variable) at literal index. */
    PUSH_BINDING(0x07, Operand.U16),
    PUSH_INST(0x08, Operand.U8),
    PUSH_TEMP(0x09, Operand.U8),
    /** Push element {@code index} of the temp vector held in temp {@code vector}. */
    PUSH_VECTOR_TEMP(0x0A, Operand.U8, Operand.U8),

    STORE_BINDING(0x10, Operand.U16),
    STORE_INST(0x11, Operand.U8),
    STORE_TEMP(0x12, Operand.U8),
    STORE_VECTOR_TEMP(0x13, Operand.U8, Operand.U8),
    POP_STORE_BINDING(0x14, Operand.U16),
    POP_STORE_INST(0x15, Operand.U8),
    POP_STORE_TEMP(0x16, Operand.U8),
    POP_STORE_VECTOR_TEMP(0x17, Operand.U8, Operand.U8),

    POP(0x20),
    DUP(0x21),
    /** Push a new Array of {@code size} nils: a temp vector for captured, assigned variables. */
    PUSH_NEW_ARRAY(0x22, Operand.U8),
    /** Pop {@code count} values and push an Array holding them in order: brace arrays. */
    POP_INTO_ARRAY(0x23, Operand.U8),
    /**
     * Pop {@code copied} values and push a closure over the block at literal index, capturing
     * them in order, plus the receiver and (for blocks with a non-local return) the home frame.
     */
    PUSH_CLOSURE(0x24, Operand.U16, Operand.U8),

    /** Send the selector at literal index with {@code argc} arguments. */
    SEND(0x30, Operand.U16, Operand.U8),
    /** Send to self, starting the lookup in the superclass of the method's class. */
    SUPER_SEND(0x31, Operand.U16, Operand.U8),
    /** Send one of {@link SpecialSelector}; the nativizer may emit a fast path. */
    SEND_SPECIAL(0x32, Operand.U8),

    JUMP(0x40, Operand.J16),
    /** Pop; jump if true; fall through if false; send #mustBeBoolean otherwise. */
    JUMP_IF_TRUE(0x41, Operand.J16),
    JUMP_IF_FALSE(0x42, Operand.J16),
    /** Pop; jump if nil. */
    JUMP_IF_NIL(0x43, Operand.J16),
    JUMP_IF_NOT_NIL(0x44, Operand.J16),

    /** Return the top of stack from the method (in a method) or from the home method (in a block). */
    RETURN_TOP(0x50),
    RETURN_SELF(0x51),
    /** Return the top of stack from a block to whoever called {@code value}. */
    BLOCK_RETURN(0x52),
    /** Return the top of stack from the block's home method: a non-local return. */
    NONLOCAL_RETURN(0x53);

    public enum Operand {
        U8(1), U16(2), S8(1), J16(2);
        public final int size;
        Operand(int size) { this.size = size; }
    }

    public final int code;
    private final Operand[] operands;
    public final int length;

    private static final Opcode[] BY_CODE = new Opcode[256];
    static {
        for (Opcode op : values()) BY_CODE[op.code] = op;
    }

    Opcode(int code, Operand... operands) {
        this.code = code;
        this.operands = operands;
        int n = 1;
        for (Operand o : operands) n += o.size;
        this.length = n;
    }

    public int operandCount() { return operands.length; }

    public Operand operand(int i) { return operands[i]; }

    public boolean isJump() { return code >= 0x40 && code <= 0x44; }

    public boolean isReturn() { return code >= 0x50 && code <= 0x53; }

    /** The opcode for a byte, or null if the byte is not an opcode. */
    public static Opcode of(int code) { return BY_CODE[code & 0xFF]; }

    public String mnemonic() { return name().toLowerCase(java.util.Locale.ROOT); }
}
