package stjit.nativize;

import stjit.image.ObjectModel;
import stjit.x64.Assembler;
import stjit.x64.Cond;
import stjit.x64.Label;
import stjit.x64.Mem;
import stjit.x64.Reg;
import stjit.x64.Width;

import static stjit.x64.Reg.*;

/**
 * The LargeInteger magnitude loops as primitives over 64-bit limbs (docs/RUNTIME.md, section 10).
 * A magnitude is a byte object, least significant byte first; its storage is whole 8-byte slots
 * whose unused top bytes are zero, so it can be read as slots little-endian 64-bit limbs. The
 * receiver is the result, allocated (zeroed) by the Smalltalk caller with enough slots; the
 * primitives only fill it. Nothing here allocates or sends, so raw values may sit in registers
 * and below rsp. Any argument of the wrong kind or size fails into the Smalltalk body, which does
 * the same work a byte at a time.
 */
final class LargeMagnitudes {
    private LargeMagnitudes() {}

    // Scratch words below rsp, where no stack walk looks.
    private static final Mem A_SLOTS = Mem.of(RSP, -8), B_SLOTS = Mem.of(RSP, -16), C_SLOTS = Mem.of(RSP, -24);

    static void emit(Nativizer.MethodEmitter m, String name, Label fail) {
        Assembler a = m.a;
        // receiver: the result; temp 0: the magnitude a; temp 1: b or the small factor/divisor
        a.mov(RAX, m.self());
        byteObjectSlots(a, RAX, RCX, fail);
        a.mov(C_SLOTS, RCX);
        a.mov(RSI, m.temp(0));
        byteObjectSlots(a, RSI, RCX, fail);
        a.mov(A_SLOTS, RCX);
        boolean small = name.equals("largeMultiplySmall") || name.equals("largeDivideSmall");
        a.mov(RDI, m.temp(1));
        if (small) {
            // a positive SmallInteger
            a.test(Width.BYTE, RDI, 1);
            a.jcc(Cond.E, fail);
            a.sar(RDI, 1);
            a.jcc(Cond.LE, fail);
        } else {
            byteObjectSlots(a, RDI, RCX, fail);
            a.mov(B_SLOTS, RCX);
        }
        trimLeadingZeroLimbs(a, RSI, A_SLOTS);
        if (!small) trimLeadingZeroLimbs(a, RDI, B_SLOTS);
        // the result must have room: c >= a + b (multiply), a + 1 (small multiply), a (divide,
        // subtract), max(a, b) + 1 (add)
        a.mov(RCX, A_SLOTS);
        switch (name) {
            case "largeMultiply" -> a.add(RCX, B_SLOTS);
            case "largeMultiplySmall" -> a.add(RCX, 1);
            case "largeAdd" -> {
                Label aLonger = a.newLabel();
                a.cmp(RCX, B_SLOTS);
                a.jcc(Cond.AE, aLonger);
                a.mov(RCX, B_SLOTS);
                a.bind(aLonger);
                a.add(RCX, 1);
            }
            default -> { }
        }
        a.cmp(RCX, C_SLOTS);
        a.jcc(Cond.A, fail);
        a.lea(R10, Mem.of(RAX, 8));
        a.add(RSI, 8);
        if (!small) a.add(RDI, 8);
        switch (name) {
            case "largeMultiply" -> multiply(a);
            case "largeMultiplySmall" -> multiplySmall(a);
            case "largeDivideSmall" -> { divideSmall(a); m.returnValueInRax(); return; }
            case "largeAdd" -> add(a);
            default -> subtract(a);
        }
        a.mov(RAX, m.self());
        m.returnValueInRax();
    }

    /** slots := the slot count of the byte object in obj; fails for immediates and other formats. Clobbers rdx. */
    private static void byteObjectSlots(Assembler a, Reg obj, Reg slots, Label fail) {
        Label done = a.newLabel();
        a.test(Width.BYTE, obj, 7);
        a.jcc(Cond.NE, fail);
        a.mov(RDX, Mem.of(obj));
        a.shr(RDX, ObjectModel.FORMAT_SHIFT);
        a.and(Width.DWORD, RDX, (int) ObjectModel.FORMAT_MASK);
        a.cmp(Width.DWORD, RDX, ObjectModel.FORMAT_BYTES);
        a.jcc(Cond.B, fail);
        a.movzx(slots, Width.BYTE, Mem.of(obj, 7));
        a.cmp(Width.DWORD, slots, ObjectModel.OVERFLOW_SLOTS);
        a.jcc(Cond.NE, done);
        a.mov(slots, Mem.of(obj, -8));    // the overflow word: the count, its top byte 0xFF
        a.shl(slots, 8);
        a.shr(slots, 8);
        a.bind(done);
    }

    /** Lowers the limb count in slots while the top limb of the object at obj is zero. Clobbers rcx. */
    private static void trimLeadingZeroLimbs(Assembler a, Reg obj, Mem slots) {
        Label loop = a.newLabel(), done = a.newLabel();
        a.mov(RCX, slots);
        a.bind(loop);
        a.test(RCX, RCX);
        a.jcc(Cond.E, done);
        a.cmp(Mem.of(obj, RCX, 8, 0), 0);      // limb rcx - 1 is at obj + 8 + 8 (rcx - 1)
        a.jcc(Cond.NE, done);
        a.sub(RCX, 1);
        a.jmp(loop);
        a.bind(done);
        a.mov(slots, RCX);
    }

    /** c := a * b, schoolbook over limbs; c is zero on entry. rsi = a, rdi = b, r10 = c. */
    private static void multiply(Assembler a) {
        Label outer = a.newLabel(), inner = a.newLabel(), innerDone = a.newLabel(), next = a.newLabel(), done = a.newLabel();
        a.xor(R11, R11);                         // i
        a.bind(outer);
        a.cmp(R11, A_SLOTS);
        a.jcc(Cond.AE, done);
        a.mov(R8, Mem.of(RSI, R11, 8, 0));       // a[i]
        a.test(R8, R8);
        a.jcc(Cond.E, next);
        a.xor(R9, R9);                           // carry
        a.xor(RCX, RCX);                         // j
        a.bind(inner);
        a.cmp(RCX, B_SLOTS);
        a.jcc(Cond.AE, innerDone);
        a.mov(RAX, Mem.of(RDI, RCX, 8, 0));
        a.mul(R8);                               // rdx:rax = a[i] * b[j]
        a.add(RAX, R9);
        a.adc(RDX, 0);
        a.add(RAX, Mem.of(R10, RCX, 8, 0));      // + c[i + j] (r10 = c + i)
        a.adc(RDX, 0);
        a.mov(Mem.of(R10, RCX, 8, 0), RAX);
        a.mov(R9, RDX);
        a.add(RCX, 1);
        a.jmp(inner);
        a.bind(innerDone);
        a.mov(Mem.of(R10, RCX, 8, 0), R9);       // c[i + |b|], untouched so far
        a.bind(next);
        a.add(R10, 8);
        a.add(R11, 1);
        a.jmp(outer);
        a.bind(done);
    }

    /** c := a * k for a positive k in rdi. */
    private static void multiplySmall(Assembler a) {
        Label loop = a.newLabel(), done = a.newLabel();
        a.xor(R11, R11);
        a.xor(RCX, RCX);                         // carry
        a.bind(loop);
        a.cmp(R11, A_SLOTS);
        a.jcc(Cond.AE, done);
        a.mov(RAX, Mem.of(RSI, R11, 8, 0));
        a.mul(RDI);
        a.add(RAX, RCX);
        a.adc(RDX, 0);
        a.mov(Mem.of(R10, R11, 8, 0), RAX);
        a.mov(RCX, RDX);
        a.add(R11, 1);
        a.jmp(loop);
        a.bind(done);
        a.mov(Mem.of(R10, R11, 8, 0), RCX);
    }

    /** c := a // k for a positive k in rdi, from the top limb down; rax := the remainder, tagged. */
    private static void divideSmall(Assembler a) {
        Label loop = a.newLabel(), done = a.newLabel();
        a.mov(R11, A_SLOTS);
        a.xor(RDX, RDX);                         // the running remainder, always below k
        a.bind(loop);
        a.test(R11, R11);
        a.jcc(Cond.E, done);
        a.sub(R11, 1);
        a.mov(RAX, Mem.of(RSI, R11, 8, 0));
        a.div(RDI);
        a.mov(Mem.of(R10, R11, 8, 0), RAX);
        a.jmp(loop);
        a.bind(done);
        a.lea(RAX, Mem.of(null, RDX, 2, 1));
    }

    /** c := a + b. */
    private static void add(Assembler a) {
        Label loop = a.newLabel(), done = a.newLabel(), aDone = a.newLabel(), bDone = a.newLabel();
        a.mov(R9, A_SLOTS);                      // n = max(|a|, |b|)
        a.cmp(R9, B_SLOTS);
        Label keep = a.newLabel();
        a.jcc(Cond.AE, keep);
        a.mov(R9, B_SLOTS);
        a.bind(keep);
        a.xor(R11, R11);
        a.xor(RCX, RCX);                         // carry, 0 or 1
        a.bind(loop);
        a.cmp(R11, R9);
        a.jcc(Cond.AE, done);
        a.xor(RAX, RAX);
        a.cmp(R11, A_SLOTS);
        a.jcc(Cond.AE, aDone);
        a.mov(RAX, Mem.of(RSI, R11, 8, 0));
        a.bind(aDone);
        a.xor(RDX, RDX);
        a.cmp(R11, B_SLOTS);
        a.jcc(Cond.AE, bDone);
        a.mov(RDX, Mem.of(RDI, R11, 8, 0));
        a.bind(bDone);
        a.xor(R8, R8);
        a.add(RAX, RCX);
        a.adc(R8, 0);
        a.add(RAX, RDX);
        a.adc(R8, 0);
        a.mov(RCX, R8);
        a.mov(Mem.of(R10, R11, 8, 0), RAX);
        a.add(R11, 1);
        a.jmp(loop);
        a.bind(done);
        a.mov(Mem.of(R10, R11, 8, 0), RCX);
    }

    /** c := a - b, where b's magnitude is at most a's (its limbs beyond |a| are zero). */
    private static void subtract(Assembler a) {
        Label loop = a.newLabel(), done = a.newLabel(), bDone = a.newLabel();
        a.xor(R11, R11);
        a.xor(RCX, RCX);                         // borrow, 0 or 1
        a.bind(loop);
        a.cmp(R11, A_SLOTS);
        a.jcc(Cond.AE, done);
        a.mov(RAX, Mem.of(RSI, R11, 8, 0));
        a.xor(RDX, RDX);
        a.cmp(R11, B_SLOTS);
        a.jcc(Cond.AE, bDone);
        a.mov(RDX, Mem.of(RDI, R11, 8, 0));
        a.bind(bDone);
        a.xor(R8, R8);
        a.sub(RAX, RCX);
        a.adc(R8, 0);
        a.sub(RAX, RDX);
        a.adc(R8, 0);
        a.mov(RCX, R8);
        a.mov(Mem.of(R10, R11, 8, 0), RAX);
        a.add(R11, 1);
        a.jmp(loop);
        a.bind(done);
    }
}
