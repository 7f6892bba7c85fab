package stjit.x64;

import st.format.model.NativeCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An x86-64 assembler. Methods are named after the instruction; operands follow Intel order
 * (destination first). Integer instructions without a {@link Width} operate on 64 bits; the
 * overloads taking a Width select the 8/16/32-bit forms.
 *
 * <p>Jumps to labels are relaxed: {@link #finish()} lays the code out with every label jump short
 * (rel8), then widens to rel32 each jump that does not reach, repeating until nothing changes.
 * Jumps only ever grow, so this terminates, and the result depends only on the instructions
 * emitted: the same calls give the same bytes.
 *
 * <p>References to external symbols (calls, RIP-relative operands, 64-bit absolute immediates)
 * become {@link NativeCode.Relocation}s in the result; the code holds zero at each site.
 */
public final class Assembler {

    // ---- layout pieces: fixed bytes, or things whose size or value is known only at finish ----

    private sealed interface Piece permits Fixed, Branch, Align, Bind, MarkAt {}

    /** A run of instructions whose sizes are fixed; label displacements are filled in at finish. */
    private static final class Fixed implements Piece {
        byte[] bytes = new byte[64];
        int length;
        final List<LabelField> labelFields = new ArrayList<>();
        final List<RelocField> relocFields = new ArrayList<>();

        void put(int b) {
            if (length == bytes.length) bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2);
            bytes[length++] = (byte) b;
        }
    }

    /** A rel32 field at {@code field} holding {@code label - end} (end = the instruction's end). */
    private record LabelField(int field, int end, Label label) {}

    private record RelocField(int field, NativeCode.RelocationKind kind, String symbol, long addend) {}

    /** A jmp (cond == null) or jcc to a label: 2 bytes short, 5 (jmp) or 6 (jcc) near. */
    private static final class Branch implements Piece {
        final Cond cond;
        final Label target;
        boolean near;

        Branch(Cond cond, Label target, boolean near) {
            this.cond = cond;
            this.target = target;
            this.near = near;
        }

        int size() { return near ? (cond == null ? 5 : 6) : 2; }
    }

    private record Align(int boundary) implements Piece {}

    private record Bind(Label label) implements Piece {}

    private record MarkAt(String name) implements Piece {}

    private final List<Piece> pieces = new ArrayList<>();
    private final List<Label> labels = new ArrayList<>();
    private Fixed current;
    private boolean finished;

    // ---- labels, marks, alignment ----

    public Label newLabel() { return newLabel(null); }

    /** A label with a name, used only in error messages. */
    public Label newLabel(String name) {
        checkOpen();
        Label l = new Label(this, labels.size(), name);
        labels.add(l);
        return l;
    }

    /** Binds the label to the current position. */
    public void bind(Label label) {
        checkOpen();
        checkOwn(label);
        if (label.bound) throw new IllegalStateException("label " + label + " is already bound");
        label.bound = true;
        pieces.add(new Bind(label));
        current = null;
    }

    /** Records a named offset: the position of the next instruction. */
    public void mark(String name) {
        checkOpen();
        Objects.requireNonNull(name, "name");
        pieces.add(new MarkAt(name));
        current = null;
    }

    /** Pads with multi-byte nops up to the next multiple of {@code boundary} (a power of two). */
    public void align(int boundary) {
        checkOpen();
        if (boundary <= 0 || Integer.bitCount(boundary) != 1 || boundary > 4096)
            throw new IllegalArgumentException("alignment must be a power of two up to 4096, not " + boundary);
        pieces.add(new Align(boundary));
        current = null;
    }

    // ---- data ----

    public void db(int value) { checkOpen(); fixed().put(value); }

    public void bytes(byte[] data) {
        checkOpen();
        Fixed f = fixed();
        for (byte b : data) f.put(b);
    }

    public void dd(int value) { checkOpen(); putLE(fixed(), value, 4); }

    public void dq(long value) { checkOpen(); putLE(fixed(), value, 8); }

    /** A 64-bit absolute address of {@code symbol + addend}, recorded as an ABS64 relocation. */
    public void dq(String symbol, long addend) {
        checkOpen();
        Fixed f = fixed();
        f.relocFields.add(new RelocField(f.length, NativeCode.RelocationKind.ABS64, checkSymbol(symbol), addend));
        putLE(f, 0, 8);
    }

    // ---- mov and friends ----

    public void mov(Reg dst, Reg src) { mov(Width.QWORD, dst, src); }

    public void mov(Width w, Reg dst, Reg src) { arith(w, 0x88, src.code(), src, dst); }

    /** Load. */
    public void mov(Reg dst, Mem src) { mov(Width.QWORD, dst, src); }

    public void mov(Width w, Reg dst, Mem src) { arith(w, 0x8A, dst.code(), dst, src); }

    /** Store. */
    public void mov(Mem dst, Reg src) { mov(Width.QWORD, dst, src); }

    public void mov(Width w, Mem dst, Reg src) { arith(w, 0x88, src.code(), src, dst); }

    /**
     * Loads a 64-bit constant in the shortest form: {@code mov r32, imm32} (zero-extends) for
     * 0..2^32-1, {@code mov r64, imm32} (sign-extends) for other int values, else {@code movabs}.
     */
    public void mov(Reg dst, long imm) {
        if (imm >= 0 && imm <= 0xFFFF_FFFFL) mov(Width.DWORD, dst, imm);
        else if (imm == (int) imm) {
            emit(0, true, false, op(0xC7), 0, dst, 4, imm);
        } else movImm64(dst, imm);
    }

    /** {@code mov r, imm} at the given width (a 32-bit mov clears the upper half of the register). */
    public void mov(Width w, Reg dst, long imm) {
        if (w == Width.QWORD) { mov(dst, imm); return; }
        long v = immFor(w, imm);
        checkOpen();
        Fixed f = fixed();
        if (w == Width.WORD) f.put(0x66);
        int rex = dst.isExtended() ? 0x41 : (w == Width.BYTE && dst.byteViewNeedsRex() ? 0x40 : 0);
        if (rex != 0) f.put(rex);
        f.put((w == Width.BYTE ? 0xB0 : 0xB8) + dst.low3());
        putLE(f, v, w.bytes());
    }

    /** {@code movabs r64, imm64}, always 10 bytes: for constants patched later. */
    public void movImm64(Reg dst, long imm) {
        checkOpen();
        Fixed f = fixed();
        f.put(0x48 | (dst.isExtended() ? 1 : 0));
        f.put(0xB8 + dst.low3());
        putLE(f, imm, 8);
    }

    /** {@code movabs r64, symbol+addend}, recorded as an ABS64 relocation. */
    public void movImm64(Reg dst, String symbol, long addend) {
        checkOpen();
        Fixed f = fixed();
        f.put(0x48 | (dst.isExtended() ? 1 : 0));
        f.put(0xB8 + dst.low3());
        f.relocFields.add(new RelocField(f.length, NativeCode.RelocationKind.ABS64, checkSymbol(symbol), addend));
        putLE(f, 0, 8);
    }

    /** Stores a 64-bit sign-extended imm32. */
    public void mov(Mem dst, long imm) { mov(Width.QWORD, dst, imm); }

    public void mov(Width w, Mem dst, long imm) {
        long v = immFor(w, imm);
        emit(w == Width.WORD ? 0x66 : 0, w == Width.QWORD, false, op(w == Width.BYTE ? 0xC6 : 0xC7), 0, dst,
                Math.min(w.bytes(), 4), v);
    }

    /** Zero-extending load of a byte or word into the full register. */
    public void movzx(Reg dst, Width srcWidth, Operand src) {
        int opc = switch (srcWidth) {
            case BYTE -> 0xB6;
            case WORD -> 0xB7;
            default -> throw new IllegalArgumentException("movzx source must be BYTE or WORD (a 32-bit mov already zero-extends)");
        };
        emit(0, false, srcWidth == Width.BYTE && byteRexNeeded(src), op(0x0F, opc), dst.code(), checkGpr(src), 0, 0);
    }

    /** Sign-extending load of a byte, word or dword into the full 64-bit register. */
    public void movsx(Reg dst, Width srcWidth, Operand src) {
        switch (srcWidth) {
            case BYTE -> emit(0, true, false, op(0x0F, 0xBE), dst.code(), checkGpr(src), 0, 0);
            case WORD -> emit(0, true, false, op(0x0F, 0xBF), dst.code(), checkGpr(src), 0, 0);
            case DWORD -> movsxd(dst, src);
            case QWORD -> throw new IllegalArgumentException("movsx source must be narrower than 64 bits");
        }
    }

    public void movsxd(Reg dst, Operand src) { emit(0, true, false, op(0x63), dst.code(), checkGpr(src), 0, 0); }

    public void lea(Reg dst, Mem src) { emit(0, true, false, op(0x8D), dst.code(), src, 0, 0); }

    public void lea(Width w, Reg dst, Mem src) {
        if (w == Width.BYTE) throw new IllegalArgumentException("lea has no byte form");
        emit(w == Width.WORD ? 0x66 : 0, w == Width.QWORD, false, op(0x8D), dst.code(), src, 0, 0);
    }

    public void xchg(Reg a, Reg b) { xchg(Width.QWORD, a, b); }

    public void xchg(Width w, Operand a, Reg b) {
        // The one-byte 90+r form needs rax on one side, but not on both: 90 itself is nop, which
        // would not clear the upper half of rax the way a 32-bit xchg does.
        Reg other = a == Reg.RAX ? b : b == Reg.RAX && a instanceof Reg r ? r : null;
        if (w != Width.BYTE && other != null && other != Reg.RAX) {
            checkOpen();
            Fixed f = fixed();
            if (w == Width.WORD) f.put(0x66);
            int rex = (w == Width.QWORD ? 8 : 0) | (other.isExtended() ? 1 : 0);
            if (rex != 0) f.put(0x40 | rex);
            f.put(0x90 + other.low3());
        } else {
            arith(w, 0x86, b.code(), b, a);
        }
    }

    // ---- two-operand integer arithmetic: add or adc sbb and sub xor cmp ----

    private static final int ADD = 0, OR = 1, ADC = 2, SBB = 3, AND = 4, SUB = 5, XOR = 6, CMP = 7;

    public void add(Reg dst, Reg src) { alu(ADD, Width.QWORD, dst, src); }
    public void add(Reg dst, Mem src) { alu(ADD, Width.QWORD, dst, src); }
    public void add(Mem dst, Reg src) { alu(ADD, Width.QWORD, dst, src); }
    public void add(Operand dst, long imm) { aluImm(ADD, Width.QWORD, dst, imm); }
    public void add(Width w, Operand dst, Operand src) { alu(ADD, w, dst, src); }
    public void add(Width w, Operand dst, long imm) { aluImm(ADD, w, dst, imm); }

    public void or(Reg dst, Reg src) { alu(OR, Width.QWORD, dst, src); }
    public void or(Reg dst, Mem src) { alu(OR, Width.QWORD, dst, src); }
    public void or(Mem dst, Reg src) { alu(OR, Width.QWORD, dst, src); }
    public void or(Operand dst, long imm) { aluImm(OR, Width.QWORD, dst, imm); }
    public void or(Width w, Operand dst, Operand src) { alu(OR, w, dst, src); }
    public void or(Width w, Operand dst, long imm) { aluImm(OR, w, dst, imm); }

    public void adc(Reg dst, Reg src) { alu(ADC, Width.QWORD, dst, src); }
    public void adc(Reg dst, Mem src) { alu(ADC, Width.QWORD, dst, src); }
    public void adc(Mem dst, Reg src) { alu(ADC, Width.QWORD, dst, src); }
    public void adc(Operand dst, long imm) { aluImm(ADC, Width.QWORD, dst, imm); }
    public void adc(Width w, Operand dst, Operand src) { alu(ADC, w, dst, src); }
    public void adc(Width w, Operand dst, long imm) { aluImm(ADC, w, dst, imm); }

    public void sbb(Reg dst, Reg src) { alu(SBB, Width.QWORD, dst, src); }
    public void sbb(Reg dst, Mem src) { alu(SBB, Width.QWORD, dst, src); }
    public void sbb(Mem dst, Reg src) { alu(SBB, Width.QWORD, dst, src); }
    public void sbb(Operand dst, long imm) { aluImm(SBB, Width.QWORD, dst, imm); }
    public void sbb(Width w, Operand dst, Operand src) { alu(SBB, w, dst, src); }
    public void sbb(Width w, Operand dst, long imm) { aluImm(SBB, w, dst, imm); }

    public void and(Reg dst, Reg src) { alu(AND, Width.QWORD, dst, src); }
    public void and(Reg dst, Mem src) { alu(AND, Width.QWORD, dst, src); }
    public void and(Mem dst, Reg src) { alu(AND, Width.QWORD, dst, src); }
    public void and(Operand dst, long imm) { aluImm(AND, Width.QWORD, dst, imm); }
    public void and(Width w, Operand dst, Operand src) { alu(AND, w, dst, src); }
    public void and(Width w, Operand dst, long imm) { aluImm(AND, w, dst, imm); }

    public void sub(Reg dst, Reg src) { alu(SUB, Width.QWORD, dst, src); }
    public void sub(Reg dst, Mem src) { alu(SUB, Width.QWORD, dst, src); }
    public void sub(Mem dst, Reg src) { alu(SUB, Width.QWORD, dst, src); }
    public void sub(Operand dst, long imm) { aluImm(SUB, Width.QWORD, dst, imm); }
    public void sub(Width w, Operand dst, Operand src) { alu(SUB, w, dst, src); }
    public void sub(Width w, Operand dst, long imm) { aluImm(SUB, w, dst, imm); }

    public void xor(Reg dst, Reg src) { alu(XOR, Width.QWORD, dst, src); }
    public void xor(Reg dst, Mem src) { alu(XOR, Width.QWORD, dst, src); }
    public void xor(Mem dst, Reg src) { alu(XOR, Width.QWORD, dst, src); }
    public void xor(Operand dst, long imm) { aluImm(XOR, Width.QWORD, dst, imm); }
    public void xor(Width w, Operand dst, Operand src) { alu(XOR, w, dst, src); }
    public void xor(Width w, Operand dst, long imm) { aluImm(XOR, w, dst, imm); }

    public void cmp(Reg dst, Reg src) { alu(CMP, Width.QWORD, dst, src); }
    public void cmp(Reg dst, Mem src) { alu(CMP, Width.QWORD, dst, src); }
    public void cmp(Mem dst, Reg src) { alu(CMP, Width.QWORD, dst, src); }
    public void cmp(Operand dst, long imm) { aluImm(CMP, Width.QWORD, dst, imm); }
    public void cmp(Width w, Operand dst, Operand src) { alu(CMP, w, dst, src); }
    public void cmp(Width w, Operand dst, long imm) { aluImm(CMP, w, dst, imm); }

    /**
     * {@code cmp r/m, imm32} that always encodes the full 4-byte immediate as the last four bytes of
     * the instruction (never imm8, never the short rax form), for compare sites re-patched later
     * (e.g. an inline-cache class index): the field is at {@code mark - 4} for a mark placed after it.
     */
    public void cmpImm32(Width w, Operand dst, int imm) {
        checkGpr(dst);
        if (w != Width.DWORD && w != Width.QWORD) throw new IllegalArgumentException("cmpImm32 needs a DWORD or QWORD operand");
        emit(0, w == Width.QWORD, false, op(0x81), CMP, dst, 4, imm);
    }

    /** reg,reg uses the "r/m, reg" opcode (as GNU as does); memory sources use "reg, r/m". */
    private void alu(int aluOp, Width w, Operand dst, Operand src) {
        if (src instanceof Reg s) arith(w, aluOp << 3, s.code(), s, checkGpr(dst));
        else if (dst instanceof Reg d && src instanceof Mem m) arith(w, (aluOp << 3) | 2, d.code(), d, m);
        else throw new IllegalArgumentException("unsupported operands " + dst + ", " + src);
    }

    private void aluImm(int aluOp, Width w, Operand dst, long imm) {
        checkGpr(dst);
        long v = immFor(w, imm);
        int prefix = w == Width.WORD ? 0x66 : 0;
        boolean rexW = w == Width.QWORD;
        if (w == Width.BYTE && dst == Reg.RAX) {
            emit(0, false, false, op((aluOp << 3) | 4), -1, null, 1, v);
        } else if (w == Width.BYTE) {
            emit(0, false, byteRexNeeded(dst), op(0x80), aluOp, dst, 1, v);
        } else if (v == (byte) v) {
            emit(prefix, rexW, false, op(0x83), aluOp, dst, 1, v);
        } else if (dst == Reg.RAX) {
            emit(prefix, rexW, false, op((aluOp << 3) | 5), -1, null, Math.min(w.bytes(), 4), v);
        } else {
            emit(prefix, rexW, false, op(0x81), aluOp, dst, Math.min(w.bytes(), 4), v);
        }
    }

    public void test(Reg a, Reg b) { test(Width.QWORD, a, b); }

    public void test(Width w, Operand a, Reg b) { arith(w, 0x84, b.code(), b, checkGpr(a)); }

    /** {@code test r/m, imm}: 64-bit tests sign-extend an imm32. For a tag-bit test,
     *  {@code test(Width.BYTE, reg, 1)} is 3 bytes shorter. */
    public void test(Operand a, long imm) { test(Width.QWORD, a, imm); }

    public void test(Width w, Operand a, long imm) {
        checkGpr(a);
        long v = immFor(w, imm);
        int prefix = w == Width.WORD ? 0x66 : 0;
        int immSize = Math.min(w.bytes(), 4);
        if (a == Reg.RAX) emit(prefix, w == Width.QWORD, false, op(w == Width.BYTE ? 0xA8 : 0xA9), -1, null, immSize, v);
        else emit(prefix, w == Width.QWORD, w == Width.BYTE && byteRexNeeded(a), op(w == Width.BYTE ? 0xF6 : 0xF7), 0, a, immSize, v);
    }

    // ---- one-operand group 3 / group 4-5 ----

    public void not(Reg r) { unary(Width.QWORD, 0xF6, 2, r); }
    public void not(Width w, Operand r) { unary(w, 0xF6, 2, r); }
    public void neg(Reg r) { unary(Width.QWORD, 0xF6, 3, r); }
    public void neg(Width w, Operand r) { unary(w, 0xF6, 3, r); }
    /** Unsigned rdx:rax = rax * r. */
    public void mul(Reg r) { unary(Width.QWORD, 0xF6, 4, r); }
    public void mul(Width w, Operand r) { unary(w, 0xF6, 4, r); }
    /** Signed rdx:rax = rax * r. */
    public void imul(Reg r) { unary(Width.QWORD, 0xF6, 5, r); }
    public void imul(Width w, Operand r) { unary(w, 0xF6, 5, r); }
    /** Unsigned rdx:rax / r: quotient in rax, remainder in rdx. */
    public void div(Reg r) { unary(Width.QWORD, 0xF6, 6, r); }
    public void div(Width w, Operand r) { unary(w, 0xF6, 6, r); }
    /** Signed rdx:rax / r (use {@link #cqo()} first): quotient in rax, remainder in rdx. */
    public void idiv(Reg r) { unary(Width.QWORD, 0xF6, 7, r); }
    public void idiv(Width w, Operand r) { unary(w, 0xF6, 7, r); }
    public void inc(Reg r) { unary(Width.QWORD, 0xFE, 0, r); }
    public void inc(Width w, Operand r) { unary(w, 0xFE, 0, r); }
    public void dec(Reg r) { unary(Width.QWORD, 0xFE, 1, r); }
    public void dec(Width w, Operand r) { unary(w, 0xFE, 1, r); }

    private void unary(Width w, int byteOpcode, int ext, Operand r) {
        checkGpr(r);
        emit(w == Width.WORD ? 0x66 : 0, w == Width.QWORD, w == Width.BYTE && byteRexNeeded(r),
                op(w == Width.BYTE ? byteOpcode : byteOpcode + 1), ext, r, 0, 0);
    }

    /** {@code dst = dst * src} (signed, low 64 bits; OF/CF set on overflow). */
    public void imul(Reg dst, Operand src) { imul(Width.QWORD, dst, src); }

    public void imul(Width w, Reg dst, Operand src) {
        wordOrWider(w, "imul");
        emit(w == Width.WORD ? 0x66 : 0, w == Width.QWORD, false, op(0x0F, 0xAF), dst.code(), checkGpr(src), 0, 0);
    }

    /** {@code dst = src * imm} (signed). */
    public void imul(Reg dst, Operand src, long imm) { imul(Width.QWORD, dst, src, imm); }

    public void imul(Width w, Reg dst, Operand src, long imm) {
        wordOrWider(w, "imul");
        long v = immFor(w, imm);
        int prefix = w == Width.WORD ? 0x66 : 0;
        if (v == (byte) v) emit(prefix, w == Width.QWORD, false, op(0x6B), dst.code(), checkGpr(src), 1, v);
        else emit(prefix, w == Width.QWORD, false, op(0x69), dst.code(), checkGpr(src), Math.min(w.bytes(), 4), v);
    }

    /** Sign-extends rax into rdx:rax. */
    public void cqo() { checkOpen(); Fixed f = fixed(); f.put(0x48); f.put(0x99); }

    /** Sign-extends eax into edx:eax. */
    public void cdq() { checkOpen(); fixed().put(0x99); }

    /** Sign-extends eax into rax. */
    public void cdqe() { checkOpen(); Fixed f = fixed(); f.put(0x48); f.put(0x98); }

    // ---- shifts and rotates ----

    private static final int ROL = 0, ROR = 1, SHL = 4, SHR = 5, SAR = 7;

    public void shl(Reg r, int count) { shift(Width.QWORD, SHL, r, count); }
    public void shl(Width w, Operand r, int count) { shift(w, SHL, r, count); }
    public void shlCl(Reg r) { shiftCl(Width.QWORD, SHL, r); }
    public void shlCl(Width w, Operand r) { shiftCl(w, SHL, r); }
    public void shr(Reg r, int count) { shift(Width.QWORD, SHR, r, count); }
    public void shr(Width w, Operand r, int count) { shift(w, SHR, r, count); }
    public void shrCl(Reg r) { shiftCl(Width.QWORD, SHR, r); }
    public void shrCl(Width w, Operand r) { shiftCl(w, SHR, r); }
    public void sar(Reg r, int count) { shift(Width.QWORD, SAR, r, count); }
    public void sar(Width w, Operand r, int count) { shift(w, SAR, r, count); }
    public void sarCl(Reg r) { shiftCl(Width.QWORD, SAR, r); }
    public void sarCl(Width w, Operand r) { shiftCl(w, SAR, r); }
    public void rol(Reg r, int count) { shift(Width.QWORD, ROL, r, count); }
    public void rol(Width w, Operand r, int count) { shift(w, ROL, r, count); }
    public void ror(Reg r, int count) { shift(Width.QWORD, ROR, r, count); }
    public void ror(Width w, Operand r, int count) { shift(w, ROR, r, count); }

    private void shift(Width w, int ext, Operand r, int count) {
        checkGpr(r);
        if (count < 0 || count > 255) throw new IllegalArgumentException("shift count out of range: " + count);
        int prefix = w == Width.WORD ? 0x66 : 0;
        boolean rex = w == Width.BYTE && byteRexNeeded(r);
        int byteForm = w == Width.BYTE ? 0 : 1;
        if (count == 1) emit(prefix, w == Width.QWORD, rex, op(0xD0 + byteForm), ext, r, 0, 0);
        else emit(prefix, w == Width.QWORD, rex, op(0xC0 + byteForm), ext, r, 1, count);
    }

    private void shiftCl(Width w, int ext, Operand r) {
        checkGpr(r);
        emit(w == Width.WORD ? 0x66 : 0, w == Width.QWORD, w == Width.BYTE && byteRexNeeded(r),
                op(w == Width.BYTE ? 0xD2 : 0xD3), ext, r, 0, 0);
    }

    // ---- bit test, atomics ----

    public void bt(Operand a, Reg bit) { emit(0, true, false, op(0x0F, 0xA3), bit.code(), checkGpr(a), 0, 0); }

    public void bt(Operand a, int bit) {
        if (bit < 0 || bit > 63) throw new IllegalArgumentException("bit index out of range: " + bit);
        emit(0, true, false, op(0x0F, 0xBA), 4, checkGpr(a), 1, bit);
    }

    /** {@code bts}: sets the bit (CF = its old value). */
    public void bts(Operand a, Reg bit) { emit(0, true, false, op(0x0F, 0xAB), bit.code(), checkGpr(a), 0, 0); }
    public void bts(Operand a, int bit) { btImm(5, a, bit); }
    /** {@code btr}: clears the bit (CF = its old value). */
    public void btr(Operand a, Reg bit) { emit(0, true, false, op(0x0F, 0xB3), bit.code(), checkGpr(a), 0, 0); }
    public void btr(Operand a, int bit) { btImm(6, a, bit); }
    /** {@code btc}: flips the bit (CF = its old value). */
    public void btc(Operand a, Reg bit) { emit(0, true, false, op(0x0F, 0xBB), bit.code(), checkGpr(a), 0, 0); }
    public void btc(Operand a, int bit) { btImm(7, a, bit); }

    private void btImm(int ext, Operand a, int bit) {
        if (bit < 0 || bit > 63) throw new IllegalArgumentException("bit index out of range: " + bit);
        emit(0, true, false, op(0x0F, 0xBA), ext, checkGpr(a), 1, bit);
    }

    /** Index of the highest set bit (ZF=1 and dst undefined when src is 0). */
    public void bsr(Reg dst, Operand src) { emit(0, true, false, op(0x0F, 0xBD), dst.code(), checkGpr(src), 0, 0); }
    /** Index of the lowest set bit (ZF=1 and dst undefined when src is 0). */
    public void bsf(Reg dst, Operand src) { emit(0, true, false, op(0x0F, 0xBC), dst.code(), checkGpr(src), 0, 0); }
    /** Number of set bits (needs POPCNT, present on every x86-64-v2 CPU). */
    public void popcnt(Reg dst, Operand src) { emit(0xF3, true, false, op(0x0F, 0xB8), dst.code(), checkGpr(src), 0, 0); }
    /** Leading zero count, 64 for 0 (needs LZCNT/ABM; on older CPUs this executes as bsr). */
    public void lzcnt(Reg dst, Operand src) { emit(0xF3, true, false, op(0x0F, 0xBD), dst.code(), checkGpr(src), 0, 0); }
    /** Trailing zero count, 64 for 0 (needs BMI1; on older CPUs this executes as bsf). */
    public void tzcnt(Reg dst, Operand src) { emit(0xF3, true, false, op(0x0F, 0xBC), dst.code(), checkGpr(src), 0, 0); }

    /** {@code lock cmpxchg [m], r}: compares rax with [m]; if equal stores r, else loads [m] into rax. */
    public void lockCmpxchg(Mem m, Reg r) { emit(0xF0, true, false, op(0x0F, 0xB1), r.code(), m, 0, 0); }

    /** {@code lock xadd [m], r}: atomically adds r to [m], leaving the old value in r. */
    public void lockXadd(Mem m, Reg r) { emit(0xF0, true, false, op(0x0F, 0xC1), r.code(), m, 0, 0); }

    // ---- condition codes ----

    /** Sets the low byte of {@code r} to 1 if the condition holds, else 0 (upper bits unchanged). */
    public void setcc(Cond c, Operand r) { emit(0, false, byteRexNeeded(r), op(0x0F, 0x90 + c.code()), 0, checkGpr(r), 0, 0); }

    public void cmov(Cond c, Reg dst, Operand src) { cmov(Width.QWORD, c, dst, src); }

    public void cmov(Width w, Cond c, Reg dst, Operand src) {
        wordOrWider(w, "cmov");
        emit(w == Width.WORD ? 0x66 : 0, w == Width.QWORD, false, op(0x0F, 0x40 + c.code()), dst.code(), checkGpr(src), 0, 0);
    }

    // ---- stack ----

    public void push(Reg r) {
        checkOpen();
        Fixed f = fixed();
        if (r.isExtended()) f.put(0x41);
        f.put(0x50 + r.low3());
    }

    public void pop(Reg r) {
        checkOpen();
        Fixed f = fixed();
        if (r.isExtended()) f.put(0x41);
        f.put(0x58 + r.low3());
    }

    public void push(Mem m) { emit(0, false, false, op(0xFF), 6, m, 0, 0); }

    public void pop(Mem m) { emit(0, false, false, op(0x8F), 0, m, 0, 0); }

    /** Pushes a sign-extended imm8 or imm32 as a 64-bit value. */
    public void push(long imm) {
        if (imm != (int) imm) throw new IllegalArgumentException("push immediate does not fit in 32 bits: " + imm);
        if (imm == (byte) imm) emit(0, false, false, op(0x6A), -1, null, 1, imm);
        else emit(0, false, false, op(0x68), -1, null, 4, imm);
    }

    // ---- control flow ----

    /** {@code call rel32} to a label of this assembler. */
    public void call(Label target) {
        checkOpen();
        checkOwn(target);
        Fixed f = fixed();
        f.put(0xE8);
        f.labelFields.add(new LabelField(f.length, f.length + 4, target));
        putLE(f, 0, 4);
    }

    /** {@code call rel32} to an external symbol (a REL32 relocation). */
    public void call(String symbol) { relBranch(op(0xE8), symbol); }

    public void call(Reg r) { emit(0, false, false, op(0xFF), 2, r, 0, 0); }

    public void call(Mem m) { emit(0, false, false, op(0xFF), 2, m, 0, 0); }

    /** Jump to a label: rel8 if it reaches, else rel32 (decided at finish). */
    public void jmp(Label target) { branch(null, target, false); }

    /** Jump to a label, always rel32 (for sites patched later). */
    public void jmpNear(Label target) { branch(null, target, true); }

    public void jmp(String symbol) { relBranch(op(0xE9), symbol); }

    public void jmp(Reg r) { emit(0, false, false, op(0xFF), 4, r, 0, 0); }

    public void jmp(Mem m) { emit(0, false, false, op(0xFF), 4, m, 0, 0); }

    /** Conditional jump to a label: rel8 if it reaches, else rel32 (decided at finish). */
    public void jcc(Cond c, Label target) { branch(Objects.requireNonNull(c, "cond"), target, false); }

    public void jccNear(Cond c, Label target) { branch(Objects.requireNonNull(c, "cond"), target, true); }

    /** Conditional rel32 jump to an external symbol (a REL32 relocation). */
    public void jcc(Cond c, String symbol) { relBranch(op(0x0F, 0x80 + c.code()), symbol); }

    public void ret() { checkOpen(); fixed().put(0xC3); }

    /** Returns and pops {@code bytes} more bytes of arguments. */
    public void ret(int bytes) {
        if (bytes < 0 || bytes > 0xFFFF) throw new IllegalArgumentException("ret immediate out of range: " + bytes);
        if (bytes == 0) { ret(); return; }
        checkOpen();
        Fixed f = fixed();
        f.put(0xC2);
        putLE(f, bytes, 2);
    }

    public void syscall() { checkOpen(); Fixed f = fixed(); f.put(0x0F); f.put(0x05); }

    public void int3() { checkOpen(); fixed().put(0xCC); }

    public void ud2() { checkOpen(); Fixed f = fixed(); f.put(0x0F); f.put(0x0B); }

    public void hlt() { checkOpen(); fixed().put(0xF4); }

    /** {@code mov rsp, rbp; pop rbp} in one byte. */
    public void leave() { checkOpen(); fixed().put(0xC9); }

    /** Clears the carry flag. */
    public void clc() { checkOpen(); fixed().put(0xF8); }

    /** Sets the carry flag. */
    public void stc() { checkOpen(); fixed().put(0xF9); }

    /** Complements the carry flag. */
    public void cmc() { checkOpen(); fixed().put(0xF5); }

    public void lfence() { checkOpen(); Fixed f = fixed(); f.put(0x0F); f.put(0xAE); f.put(0xE8); }

    public void sfence() { checkOpen(); Fixed f = fixed(); f.put(0x0F); f.put(0xAE); f.put(0xF8); }

    /** CPU identification: leaf in eax (and ecx), results in eax, ebx, ecx, edx. */
    public void cpuid() { checkOpen(); Fixed f = fixed(); f.put(0x0F); f.put(0xA2); }

    /** Reverses the byte order of a 64-bit (or, with DWORD, 32-bit) register. */
    public void bswap(Reg r) { bswap(Width.QWORD, r); }

    public void bswap(Width w, Reg r) {
        if (w != Width.DWORD && w != Width.QWORD) throw new IllegalArgumentException("bswap needs a DWORD or QWORD register");
        checkOpen();
        Fixed f = fixed();
        int rex = (w == Width.QWORD ? 8 : 0) | (r.isExtended() ? 1 : 0);
        if (rex != 0) f.put(0x40 | rex);
        f.put(0x0F);
        f.put(0xC8 + r.low3());
    }

    /** Double-precision shift left: dst's vacated low bits come from the high bits of src. */
    public void shld(Operand dst, Reg src, int count) { doubleShift(0xA4, dst, src, count); }
    public void shldCl(Operand dst, Reg src) { emit(0, true, false, op(0x0F, 0xA5), src.code(), checkGpr(dst), 0, 0); }
    /** Double-precision shift right: dst's vacated high bits come from the low bits of src. */
    public void shrd(Operand dst, Reg src, int count) { doubleShift(0xAC, dst, src, count); }
    public void shrdCl(Operand dst, Reg src) { emit(0, true, false, op(0x0F, 0xAD), src.code(), checkGpr(dst), 0, 0); }

    private void doubleShift(int opcode, Operand dst, Reg src, int count) {
        if (count < 0 || count > 63) throw new IllegalArgumentException("shift count out of range: " + count);
        emit(0, true, false, op(0x0F, opcode), src.code(), checkGpr(dst), 1, count);
    }

    /** Clears the direction flag, so rep movs/stos run upwards. */
    public void cld() { checkOpen(); fixed().put(0xFC); }

    /** Time-stamp counter into edx:eax. */
    public void rdtsc() { checkOpen(); Fixed f = fixed(); f.put(0x0F); f.put(0x31); }

    public void pause() { checkOpen(); Fixed f = fixed(); f.put(0xF3); f.put(0x90); }

    public void mfence() { checkOpen(); Fixed f = fixed(); f.put(0x0F); f.put(0xAE); f.put(0xF0); }

    public void nop() { checkOpen(); fixed().put(0x90); }

    /** Exactly {@code size} bytes of no-ops, using the recommended multi-byte forms. */
    public void nop(int size) {
        if (size < 0) throw new IllegalArgumentException("negative nop size");
        checkOpen();
        Fixed f = fixed();
        putNops(f, size);
    }

    // ---- string instructions (bulk copy and fill in runtime stubs) ----

    /** {@code rep movsb}: copies rcx bytes from [rsi] to [rdi]. */
    public void repMovsb() { checkOpen(); Fixed f = fixed(); f.put(0xF3); f.put(0xA4); }

    /** {@code rep movsq}: copies rcx quadwords from [rsi] to [rdi]. */
    public void repMovsq() { checkOpen(); Fixed f = fixed(); f.put(0xF3); f.put(0x48); f.put(0xA5); }

    /** {@code rep stosb}: stores al into rcx bytes at [rdi]. */
    public void repStosb() { checkOpen(); Fixed f = fixed(); f.put(0xF3); f.put(0xAA); }

    /** {@code rep stosq}: stores rax into rcx quadwords at [rdi]. */
    public void repStosq() { checkOpen(); Fixed f = fixed(); f.put(0xF3); f.put(0x48); f.put(0xAB); }

    // ---- SSE2 scalar double ----

    public void movsd(Xmm dst, Xmm src) { emit(0xF2, false, false, op(0x0F, 0x10), dst.code(), src, 0, 0); }
    public void movsd(Xmm dst, Mem src) { emit(0xF2, false, false, op(0x0F, 0x10), dst.code(), src, 0, 0); }
    public void movsd(Mem dst, Xmm src) { emit(0xF2, false, false, op(0x0F, 0x11), src.code(), dst, 0, 0); }
    public void addsd(Xmm dst, Operand src) { sse(0xF2, 0x58, dst, src); }
    public void subsd(Xmm dst, Operand src) { sse(0xF2, 0x5C, dst, src); }
    public void mulsd(Xmm dst, Operand src) { sse(0xF2, 0x59, dst, src); }
    public void divsd(Xmm dst, Operand src) { sse(0xF2, 0x5E, dst, src); }
    public void sqrtsd(Xmm dst, Operand src) { sse(0xF2, 0x51, dst, src); }
    public void minsd(Xmm dst, Operand src) { sse(0xF2, 0x5D, dst, src); }
    public void maxsd(Xmm dst, Operand src) { sse(0xF2, 0x5F, dst, src); }
    /** Unordered compare; sets ZF/PF/CF (PF=1 when either is NaN): use B/BE/A/AE and E/NE with P. */
    public void ucomisd(Xmm a, Operand b) { sse(0x66, 0x2E, a, b); }
    public void comisd(Xmm a, Operand b) { sse(0x66, 0x2F, a, b); }
    public void xorpd(Xmm dst, Operand src) { sse(0x66, 0x57, dst, src); }
    public void andpd(Xmm dst, Operand src) { sse(0x66, 0x54, dst, src); }

    /** Converts a double to a signed 64-bit integer, rounding by MXCSR (nearest-even by default). */
    public void cvtsd2si(Reg dst, Operand src) { emit(0xF2, true, false, op(0x0F, 0x2D), dst.code(), checkXmmOrMem(src), 0, 0); }

    public void cvtsd2ss(Xmm dst, Operand src) { sse(0xF2, 0x5A, dst, src); }

    public void cvtss2sd(Xmm dst, Operand src) { sse(0xF3, 0x5A, dst, src); }

    public void movss(Xmm dst, Xmm src) { emit(0xF3, false, false, op(0x0F, 0x10), dst.code(), src, 0, 0); }
    public void movss(Xmm dst, Mem src) { emit(0xF3, false, false, op(0x0F, 0x10), dst.code(), src, 0, 0); }
    public void movss(Mem dst, Xmm src) { emit(0xF3, false, false, op(0x0F, 0x11), src.code(), dst, 0, 0); }

    /** Copies all 128 bits (memory operands must be 16-byte aligned). */
    public void movapd(Xmm dst, Operand src) { sse(0x66, 0x28, dst, src); }
    public void movapd(Mem dst, Xmm src) { emit(0x66, false, false, op(0x0F, 0x29), src.code(), dst, 0, 0); }

    /** SSE4.1 rounding of a double: mode 8 = nearest, 9 = floor, 10 = ceil, 11 = truncate (all without precision exceptions). */
    public void roundsd(Xmm dst, Operand src, int mode) {
        if (mode < 0 || mode > 15) throw new IllegalArgumentException("roundsd mode out of range: " + mode);
        emit(0x66, false, false, op(0x0F, 0x3A, 0x0B), dst.code(), checkXmmOrMem(src), 1, mode);
    }

    /** Copies the 32 bits of a general register into the low lane of an xmm register (upper lanes zeroed). */
    public void movd(Xmm dst, Reg src) { emit(0x66, false, false, op(0x0F, 0x6E), dst.code(), src, 0, 0); }

    /** Copies the low 32 bits of an xmm register into a general register (zero-extended). */
    public void movd(Reg dst, Xmm src) { emit(0x66, false, false, op(0x0F, 0x7E), src.code(), dst, 0, 0); }

    /** Converts a signed 64-bit integer (register or memory) to double. */
    public void cvtsi2sd(Xmm dst, Operand src) { emit(0xF2, true, false, op(0x0F, 0x2A), dst.code(), checkGpr(src), 0, 0); }

    /** Converts a double to a signed 64-bit integer, truncating (0x8000000000000000 if out of range). */
    public void cvttsd2si(Reg dst, Operand src) { emit(0xF2, true, false, op(0x0F, 0x2C), dst.code(), checkXmmOrMem(src), 0, 0); }

    /** Copies the 64 bits of a general register into the low lane of an xmm register. */
    public void movq(Xmm dst, Reg src) { emit(0x66, true, false, op(0x0F, 0x6E), dst.code(), src, 0, 0); }

    /** Copies the low 64 bits of an xmm register into a general register. */
    public void movq(Reg dst, Xmm src) { emit(0x66, true, false, op(0x0F, 0x7E), src.code(), dst, 0, 0); }

    // ---- x87: the transcendental functions, computed in extended precision ----
    // Register operands are stack positions st(i); memory operands of fld/fstp/fmul are doubles.

    public void fld(Mem src) { emit(0, false, false, op(0xDD), 0, src, 0, 0); }
    public void fstp(Mem dst) { emit(0, false, false, op(0xDD), 3, dst, 0, 0); }
    /** Pushes the 64-bit integer at src. */
    public void fild(Mem src) { emit(0, false, false, op(0xDF), 5, src, 0, 0); }
    public void fmul(Mem src) { emit(0, false, false, op(0xDC), 1, src, 0, 0); }
    /** Stores the x87 control word (16 bits). */
    public void fnstcw(Mem dst) { emit(0, false, false, op(0xD9), 7, dst, 0, 0); }
    /** Loads the x87 control word (16 bits). */
    public void fldcw(Mem src) { emit(0, false, false, op(0xD9), 5, src, 0, 0); }
    /** Pushes a copy of st(i). */
    public void fldSt(int i) { x87(0xD9, 0xC0, i); }
    public void fxch(int i) { x87(0xD9, 0xC8, i); }
    /** st(0) := st(0) - st(i). */
    public void fsubSt0(int i) { x87(0xD8, 0xE0, i); }
    /** st(0) := st(0) / st(i). */
    public void fdivSt0(int i) { x87(0xD8, 0xF0, i); }
    /** st(0) := -st(0). */
    public void fchs() { x87(0xD9, 0xE0, 0); }
    /** st(i) := st(i) + st(0), then pops. */
    public void faddp(int i) { x87(0xDE, 0xC0, i); }
    /** st(i) := st(0), then pops. */
    public void fstpSt(int i) { x87(0xDD, 0xD8, i); }
    public void fsin() { x87(0xD9, 0xFE, 0); }
    public void fcos() { x87(0xD9, 0xFF, 0); }
    public void fpatan() { x87(0xD9, 0xF3, 0); }
    /** st(0) := tan st(0), then pushes 1.0. */
    public void fptan() { x87(0xD9, 0xF2, 0); }
    public void fyl2x() { x87(0xD9, 0xF1, 0); }
    public void f2xm1() { x87(0xD9, 0xF0, 0); }
    public void fscale() { x87(0xD9, 0xFD, 0); }
    public void frndint() { x87(0xD9, 0xFC, 0); }
    public void fld1() { x87(0xD9, 0xE8, 0); }
    public void fldln2() { x87(0xD9, 0xED, 0); }
    public void fldl2e() { x87(0xD9, 0xEA, 0); }
    public void fldlg2() { x87(0xD9, 0xEC, 0); }

    private void x87(int escape, int base, int stackIndex) {
        if (stackIndex < 0 || stackIndex > 7) throw new IllegalArgumentException("x87 stack index " + stackIndex);
        checkOpen();
        Fixed f = fixed();
        f.put(escape);
        f.put(base + stackIndex);
    }

    private void sse(int prefix, int opcode, Xmm dst, Operand src) {
        emit(prefix, false, false, op(0x0F, opcode), dst.code(), checkXmmOrMem(src), 0, 0);
    }

    // ---- finishing ----

    /**
     * Lays the code out (relaxing label jumps), fills in label displacements and returns the
     * result. The assembler cannot be used afterwards.
     *
     * @throws IllegalStateException if a referenced label was never bound
     */
    public Assembled finish() {
        checkOpen();
        finished = true;
        for (Piece p : pieces) {
            if (p instanceof Branch b && !b.target.bound) throw unbound(b.target);
            if (p instanceof Fixed f) for (LabelField lf : f.labelFields) if (!lf.label.bound) throw unbound(lf.label);
        }
        int[] starts = new int[pieces.size() + 1];
        int[] labelOffsets = new int[labels.size()];
        boolean changed = true;
        while (changed) {
            layout(starts, labelOffsets);
            changed = false;
            for (int i = 0; i < pieces.size(); i++) {
                if (pieces.get(i) instanceof Branch b && !b.near) {
                    long disp = (long) labelOffsets[b.target.id] - (starts[i] + 2);
                    if (disp != (byte) disp) {
                        b.near = true;
                        changed = true;
                    }
                }
            }
        }
        byte[] code = new byte[starts[pieces.size()]];
        List<NativeCode.Relocation> relocations = new ArrayList<>();
        List<Mark> marks = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            int at = starts[i];
            switch (pieces.get(i)) {
                case Fixed f -> {
                    System.arraycopy(f.bytes, 0, code, at, f.length);
                    for (LabelField lf : f.labelFields)
                        Assembled.putInt(code, at + lf.field, labelOffsets[lf.label.id] - (at + lf.end));
                    for (RelocField rf : f.relocFields)
                        relocations.add(new NativeCode.Relocation(at + rf.field, rf.kind, rf.symbol, rf.addend));
                }
                case Branch b -> {
                    int target = labelOffsets[b.target.id];
                    int size = b.size();
                    int disp = target - (at + size);
                    int p = at;
                    if (!b.near) {
                        code[p++] = (byte) (b.cond == null ? 0xEB : 0x70 + b.cond.code());
                        code[p] = (byte) disp;
                    } else {
                        if (b.cond == null) code[p++] = (byte) 0xE9;
                        else { code[p++] = 0x0F; code[p++] = (byte) (0x80 + b.cond.code()); }
                        Assembled.putInt(code, p, disp);
                    }
                }
                case Align a -> {
                    Fixed pad = new Fixed();
                    putNops(pad, starts[i + 1] - at);
                    System.arraycopy(pad.bytes, 0, code, at, pad.length);
                }
                case Bind b -> { }
                case MarkAt m -> marks.add(new Mark(m.name, at));
            }
        }
        for (Label l : labels) if (!l.bound) labelOffsets[l.id] = -1;
        return new Assembled(code, relocations, marks, this, labelOffsets);
    }

    private void layout(int[] starts, int[] labelOffsets) {
        int at = 0;
        for (int i = 0; i < pieces.size(); i++) {
            starts[i] = at;
            switch (pieces.get(i)) {
                case Fixed f -> at += f.length;
                case Branch b -> at += b.size();
                case Align a -> at = (at + a.boundary - 1) & -a.boundary;
                case Bind b -> labelOffsets[b.label.id] = at;
                case MarkAt m -> { }
            }
        }
        starts[pieces.size()] = at;
    }

    private static IllegalStateException unbound(Label l) {
        return new IllegalStateException("label " + l + " is referenced but never bound");
    }

    // ---- encoding core ----

    private static int[] op(int... bytes) { return bytes; }

    /** Integer op whose byte form is {@code byteOpcode} and wider forms {@code byteOpcode + 1}. */
    private void arith(Width w, int byteOpcode, int reg, Reg regOperand, Operand rm) {
        boolean rex = w == Width.BYTE && (regOperand.byteViewNeedsRex() || byteRexNeeded(rm));
        emit(w == Width.WORD ? 0x66 : 0, w == Width.QWORD, rex, op(w == Width.BYTE ? byteOpcode : byteOpcode + 1),
                reg, checkGpr(rm), 0, 0);
    }

    /**
     * Emits one instruction: [prefix] [REX] opcode [ModRM [SIB] [disp]] [imm].
     *
     * @param prefix    0, or one legacy/mandatory prefix byte (0x66, 0xF2, 0xF3, 0xF0)
     * @param reg       the ModRM reg field (register number or opcode extension), or -1 with
     *                  {@code rm == null} for instructions without ModRM
     * @param immSize   0, 1, 2 or 4 bytes of immediate following the operands
     */
    private void emit(int prefix, boolean rexW, boolean forceRex, int[] opcode, int reg, Operand rm, int immSize, long imm) {
        checkOpen();
        Mem mem = rm instanceof Mem m ? m : null;
        if (mem != null && mem.label != null) checkOwn(mem.label);
        Fixed f = fixed();
        int start = f.length;
        if (prefix != 0) f.put(prefix);
        int rex = rexW ? 8 : 0;
        if (reg >= 8) rex |= 4;
        if (mem != null) {
            if (mem.index != null && mem.index.isExtended()) rex |= 2;
            if (mem.base != null && mem.base.isExtended()) rex |= 1;
        } else if (rm != null && rmCode(rm) >= 8) rex |= 1;
        if (rex != 0 || forceRex) f.put(0x40 | rex);
        for (int b : opcode) f.put(b);
        int dispField = -1;
        if (rm != null) {
            int r = reg & 7;
            if (mem == null) {
                f.put(0xC0 | r << 3 | (rmCode(rm) & 7));
            } else if (mem.isRipRelative()) {
                f.put(r << 3 | 5);
                dispField = f.length;
                putLE(f, 0, 4);
            } else if (mem.base == null) {
                f.put(r << 3 | 4);
                int index = mem.index == null ? 4 : mem.index.low3();
                f.put(scaleBits(mem.scale) << 6 | index << 3 | 5);
                putLE(f, mem.disp, 4);
            } else {
                int mod;
                if (mem.disp == 0 && mem.base.low3() != 5) mod = 0;       // rbp/r13 as base need a displacement
                else if (mem.disp == (byte) mem.disp) mod = 1;
                else mod = 2;
                boolean sib = mem.index != null || mem.base.low3() == 4;  // rsp/r12 as base need a SIB
                if (sib) {
                    f.put(mod << 6 | r << 3 | 4);
                    int index = mem.index == null ? 4 : mem.index.low3();
                    f.put(scaleBits(mem.scale) << 6 | index << 3 | mem.base.low3());
                } else {
                    f.put(mod << 6 | r << 3 | mem.base.low3());
                }
                if (mod == 1) f.put(mem.disp);
                else if (mod == 2) putLE(f, mem.disp, 4);
            }
        }
        if (immSize > 0) putLE(f, imm, immSize);
        if (dispField >= 0) {
            int end = f.length;
            if (mem.label != null) f.labelFields.add(new LabelField(dispField, end, mem.label));
            else f.relocFields.add(new RelocField(dispField, NativeCode.RelocationKind.REL32, mem.symbol,
                    (long) mem.disp - (end - (dispField + 4))));
        }
        assert f.length - start <= 15;
    }

    private void branch(Cond c, Label target, boolean near) {
        checkOpen();
        checkOwn(target);
        pieces.add(new Branch(c, target, near));
        current = null;
    }

    private void relBranch(int[] opcode, String symbol) {
        checkOpen();
        checkSymbol(symbol);
        Fixed f = fixed();
        for (int b : opcode) f.put(b);
        f.relocFields.add(new RelocField(f.length, NativeCode.RelocationKind.REL32, checkSymbol(symbol), 0));
        putLE(f, 0, 4);
    }

    private static int rmCode(Operand rm) {
        return switch (rm) {
            case Reg r -> r.code();
            case Xmm x -> x.code();
            case Mem m -> throw new AssertionError();
        };
    }

    private static int scaleBits(int scale) {
        return switch (scale) { case 1 -> 0; case 2 -> 1; case 4 -> 2; case 8 -> 3; default -> throw new AssertionError(); };
    }

    private static boolean byteRexNeeded(Operand o) { return o instanceof Reg r && r.byteViewNeedsRex(); }

    private static Operand checkGpr(Operand o) {
        if (Objects.requireNonNull(o, "operand") instanceof Xmm)
            throw new IllegalArgumentException("expected a general register or memory operand, not " + o);
        return o;
    }

    private static Operand checkXmmOrMem(Operand o) {
        if (Objects.requireNonNull(o, "operand") instanceof Reg)
            throw new IllegalArgumentException("expected an xmm register or memory operand, not " + o);
        return o;
    }

    private static void wordOrWider(Width w, String mnemonic) {
        if (w == Width.BYTE) throw new IllegalArgumentException(mnemonic + " has no byte form");
    }

    /** Checks that imm is representable at width w (signed or unsigned) and returns it, reduced
     *  to its sign-extended value at that width (or at 32 bits for QWORD, whose imm32 sign-extends). */
    private static long immFor(Width w, long imm) {
        int bits = w == Width.QWORD ? 32 : w.bytes() * 8;
        long min = -(1L << (bits - 1));
        long max = w == Width.QWORD ? (1L << 31) - 1 : (1L << bits) - 1;
        if (imm < min || imm > max)
            throw new IllegalArgumentException("immediate " + imm + " does not fit a " + w.name().toLowerCase() + " operand"
                    + (w == Width.QWORD ? " (64-bit operations take a sign-extended 32-bit immediate)" : ""));
        return (imm << (64 - bits)) >> (64 - bits);
    }

    private static String checkSymbol(String symbol) {
        if (Objects.requireNonNull(symbol, "symbol").isEmpty()) throw new IllegalArgumentException("empty symbol name");
        return symbol;
    }

    private static void putLE(Fixed f, long v, int n) {
        for (int i = 0; i < n; i++) f.put((int) (v >>> (8 * i)));
    }

    private static final int[][] NOPS = {
        {},
        {0x90},
        {0x66, 0x90},
        {0x0F, 0x1F, 0x00},
        {0x0F, 0x1F, 0x40, 0x00},
        {0x0F, 0x1F, 0x44, 0x00, 0x00},
        {0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00},
        {0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00},
        {0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
        {0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
    };

    private static void putNops(Fixed f, int size) {
        while (size > 0) {
            int n = Math.min(size, 9);
            for (int b : NOPS[n]) f.put(b);
            size -= n;
        }
    }

    private Fixed fixed() {
        if (current == null) {
            current = new Fixed();
            pieces.add(current);
        }
        return current;
    }

    private void checkOpen() {
        if (finished) throw new IllegalStateException("assembler already finished");
    }

    private void checkOwn(Label l) {
        Objects.requireNonNull(l, "label");
        if (l.owner != this) throw new IllegalArgumentException("label " + l + " belongs to another assembler");
    }
}
