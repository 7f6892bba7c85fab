package stjit.nativize;

import stjit.image.ClassIndex;
import stjit.image.Globals;
import stjit.image.Layout;
import stjit.image.ObjectModel;
import stjit.x64.Assembler;
import stjit.x64.Cond;
import stjit.x64.Label;
import stjit.x64.Mem;
import stjit.x64.Reg;
import stjit.x64.Width;
import stjit.x64.Xmm;

import java.util.Map;

import static stjit.x64.Reg.*;

/**
 * Named primitives (docs/RUNTIME.md, section 10). They run right after the frame is built: on
 * success they return from the method, on failure they fall through into the method body. Some are
 * inline templates; the others call their Smalltalk implementation in {@code Primitives} (class
 * side, kernel/Runtime), which answers {@code Intrinsics primitiveFailed} to fail.
 */
final class MethodPrimitive {
    private MethodPrimitive() {}

    /** Primitives implemented in Smalltalk: name to the selector of {@code Primitives class}, receiver first. */
    static final Map<String, String> IN_SMALLTALK = Map.ofEntries(
            Map.entry("basicNew", "basicNew:"),
            Map.entry("basicNew:", "basicNew:size:"),
            Map.entry("basicAt:", "basicAt:index:"),
            Map.entry("basicAt:put:", "basicAt:index:put:"),
            Map.entry("basicSize", "basicSize:"),
            Map.entry("instVarAt:", "instVarAt:index:"),
            Map.entry("instVarAt:put:", "instVarAt:index:put:"),
            Map.entry("shallowCopy", "shallowCopy:"),
            Map.entry("perform:", "perform:selector:"),
            Map.entry("perform:with:", "perform:selector:with:"),
            Map.entry("perform:with:with:", "perform:selector:with:with:"),
            Map.entry("perform:with:with:with:", "perform:selector:with:with:with:"),
            Map.entry("perform:withArguments:", "perform:selector:withArguments:"),
            Map.entry("valueWithArguments:", "value:withArguments:"),
            Map.entry("intBitShift", "intBitShift:by:"),
            Map.entry("charFromValue", "charFromValue:value:"),
            Map.entry("bytesEqual", "bytesEqual:to:"),
            Map.entry("bytesHash", "bytesHash:"),
            Map.entry("replaceFromToWithStartingAt", "replace:from:to:with:startingAt:"),
            Map.entry("asSymbol", "asSymbol:"),
            Map.entry("gcCollect", "gcCollect:"),
            Map.entry("become", "become:with:"),
            Map.entry("becomeForward", "becomeForward:with:"));

    static final java.util.Set<String> INLINE = java.util.Set.of("==", "class", "identityHash", "charValue",
            "intAdd", "intSub", "intMul", "intLess", "intGreater", "intLessEq", "intGreaterEq", "intEq", "intNotEq",
            "intDiv", "intMod", "intQuo", "intRem", "intBitAnd", "intBitOr", "intBitXor",
            "value", "value:", "value:value:", "value:value:value:", "value:value:value:value:",
            "floatAdd", "floatSub", "floatMul", "floatDiv",
            "floatLess", "floatGreater", "floatLessEq", "floatGreaterEq", "floatEq", "floatNotEq",
            "floatTruncated", "floatSqrt", "intAsFloat",
            "floatSin", "floatCos", "floatTan", "floatArcTan", "floatLn", "floatLog10", "floatExp", "floatPower",
            "floatSinQuadrant", "floatCosQuadrant", "floatTanQuadrant",
            "largeAdd", "largeSubtract", "largeMultiply", "largeMultiplySmall", "largeDivideSmall");

    static boolean isKnown(String name) { return INLINE.contains(name) || IN_SMALLTALK.containsKey(name); }

    static void emitIfAny(Nativizer.MethodEmitter m) {
        String name = m.info.primitive();
        if (name == null) return;
        Assembler a = m.a;
        Label fail = a.newLabel("primitiveFailed");
        int argc = m.code.numArgs();
        if (IN_SMALLTALK.containsKey(name)) {
            if (FAST_PATHS.contains(name)) {
                Label general = a.newLabel("general");
                fastPath(m, name, general);
                a.bind(general);
            }
            callSmalltalk(m, IN_SMALLTALK.get(name), argc, fail);
        } else if (INLINE.contains(name)) {
            inline(m, name, argc, fail);
        } else {
            m.fail("unknown primitive '" + name + "'");
        }
        a.bind(fail);
    }

    /**
     * Primitives of {@code Primitives class} that also get an inline template for their common
     * cases (pointer and byte objects, in-range SmallIntegers); anything else jumps on to the
     * Smalltalk implementation, which stays the reference.
     */
    static final java.util.Set<String> FAST_PATHS = java.util.Set.of("basicAt:", "basicAt:put:", "basicSize",
            "intBitShift", "charFromValue", "replaceFromToWithStartingAt", "basicNew");

    private static void fastPath(Nativizer.MethodEmitter m, String name, Label general) {
        Assembler a = m.a;
        a.mov(RAX, m.self());
        if (m.code.numArgs() > 0) a.mov(RDX, m.temp(0));
        switch (name) {
            case "basicSize" -> {
                Label bytes = a.newLabel(), done = a.newLabel();
                indexedLayout(a, general, bytes);
                a.bind(bytes);
                a.bind(done);
                a.lea(RAX, Mem.of(RCX, RCX, 1, 1));
            }
            case "basicAt:", "basicAt:put:" -> {
                boolean store = name.equals("basicAt:put:");
                Label bytes = a.newLabel();
                a.test(Width.BYTE, RDX, 1);
                a.jcc(Cond.E, general);
                indexedLayout(a, general, bytes);
                // pointers: rcx = indexed size, rsi = offset of the first indexed slot
                a.mov(R9, RDX);
                a.sar(R9, 1);
                a.cmp(R9, 1);
                a.jcc(Cond.L, general);
                a.cmp(R9, RCX);
                a.jcc(Cond.G, general);
                a.add(RSI, RAX);
                if (store) {
                    a.mov(RDI, m.temp(1));
                    a.mov(Mem.of(RSI, R9, 8, -8), RDI);
                    m.writeBarrier(RAX, RDI);
                    a.mov(RAX, RDI);
                } else {
                    a.mov(RAX, Mem.of(RSI, R9, 8, -8));
                }
                m.returnValueInRax();
                a.bind(bytes);
                // bytes: rcx = size in bytes
                a.mov(R9, RDX);
                a.sar(R9, 1);
                a.cmp(R9, 1);
                a.jcc(Cond.L, general);
                a.cmp(R9, RCX);
                a.jcc(Cond.G, general);
                if (store) {
                    a.mov(RDI, m.temp(1));
                    a.test(Width.BYTE, RDI, 1);
                    a.jcc(Cond.E, general);
                    a.mov(RCX, RDI);
                    a.sar(RCX, 1);
                    a.cmp(RCX, 255);
                    a.jcc(Cond.A, general); // unsigned: negative values too
                    a.mov(Width.BYTE, Mem.of(RAX, R9, 1, 7), RCX);
                    a.mov(RAX, RDI);
                } else {
                    a.movzx(RAX, Width.BYTE, Mem.of(RAX, R9, 1, 7));
                    a.lea(RAX, Mem.of(RAX, RAX, 1, 1));
                }
            }
            case "intBitShift" -> {
                // rax = receiver (a SmallInteger), rdx = shift; shifts by 0..62 either way
                Label right = a.newLabel(), done = a.newLabel();
                a.test(Width.BYTE, RDX, 1);
                a.jcc(Cond.E, general);
                a.mov(RCX, RDX);
                a.sar(RCX, 1);
                a.jcc(Cond.S, right);
                a.cmp(RCX, 62);
                a.jcc(Cond.A, general);
                a.mov(R8, RAX);
                a.sub(R8, 1);          // 2v
                a.mov(R9, R8);
                a.shlCl(R8);
                a.mov(R10, R8);
                a.sarCl(R10);          // back: must give 2v again, else bits were lost
                a.cmp(R10, R9);
                a.jcc(Cond.NE, general);
                a.lea(RAX, Mem.of(R8, 1));
                a.jmp(done);
                a.bind(right);
                Label inRange = a.newLabel();
                a.neg(RCX);
                a.cmp(RCX, 63);
                a.jcc(Cond.B, inRange);
                a.mov(RCX, 63); // all bits out: 0 or -1
                a.bind(inRange);
                a.mov(R8, RAX);
                a.sar(R8, 1);
                a.sarCl(R8);
                a.lea(RAX, Mem.of(R8, R8, 1, 1));
                a.bind(done);
            }
            case "charFromValue" -> {
                // rdx = a code point 0..0x10FFFF
                a.test(Width.BYTE, RDX, 1);
                a.jcc(Cond.E, general);
                a.mov(RCX, RDX);
                a.sar(RCX, 1);
                a.cmp(RCX, 0x10FFFF);
                a.jcc(Cond.A, general);
                a.shl(RCX, 3);
                a.lea(RAX, Mem.of(RCX, 2));
            }
            case "replaceFromToWithStartingAt" -> { replaceFast(m, general); return; }
            case "basicNew" -> basicNewFast(m, general);
            default -> m.fail("no fast path for primitive '" + name + "'");
        }
        m.returnValueInRax();
    }

    /**
     * basicNew for a fixed class of fewer than 255 named slots while new space has room: a bump
     * allocation with the header of Primitives class>>instantiate:slots:format:fill: and the slots
     * set to nil. A full new space (or gc torture, which keeps the limit low) takes the Smalltalk
     * path, which collects.
     */
    private static void basicNewFast(Nativizer.MethodEmitter m, Label general) {
        Assembler a = m.a;
        Label atLeastOne = a.newLabel(), fill = a.newLabel(), filled = a.newLabel();
        // rax = the class
        a.mov(RCX, Mem.of(RAX, Layout.slotOffset(Layout.BEHAVIOR_SPEC)));
        a.sar(RCX, 1);
        a.mov(R8, RCX);
        a.shr(R8, 16);
        a.cmp(R8, 1);
        a.jcc(Cond.A, general);            // indexable: basicNew fails
        a.and(Width.DWORD, RCX, 0xFFFF);   // named slots
        a.cmp(RCX, ObjectModel.OVERFLOW_SLOTS);
        a.jcc(Cond.AE, general);
        a.mov(R9, RCX);
        a.cmp(R9, 1);
        a.jcc(Cond.AE, atLeastOne);
        a.mov(R9, 1);                      // every object has room for a forwarding pointer
        a.bind(atLeastOne);
        a.lea(R9, Mem.of(null, R9, 8, 8));
        a.mov(RDI, Mem.of(R15, Globals.ALLOC_PTR));
        a.lea(RDX, Mem.of(RDI, R9, 1, 0));
        a.cmp(RDX, Mem.of(R15, Globals.ALLOC_LIMIT));
        a.jcc(Cond.A, general);
        a.mov(Mem.of(R15, Globals.ALLOC_PTR), RDX);
        // header: class index | format 1 | identity hash from the address | slot count
        a.mov(R8, RDI);
        a.shl(R8, ObjectModel.HASH_SHIFT - 3);
        a.movImm64(RDX, ObjectModel.HASH_MASK << ObjectModel.HASH_SHIFT);
        a.and(R8, RDX);
        a.mov(RDX, Mem.of(RAX, Layout.slotOffset(Layout.BEHAVIOR_INDEX)));
        a.sar(RDX, 1);
        a.or(R8, RDX);
        a.mov(RDX, RCX);
        a.shl(RDX, ObjectModel.SLOTS_SHIFT);
        a.or(R8, RDX);
        a.movImm64(RDX, (long) ObjectModel.FORMAT_FIXED << ObjectModel.FORMAT_SHIFT);
        a.or(R8, RDX);
        a.mov(Mem.of(RDI), R8);
        a.mov(Mem.of(RDI, 8), 0);          // the padding slot of an object without slots
        m.loadNil(RDX);
        a.bind(fill);
        a.test(RCX, RCX);
        a.jcc(Cond.E, filled);
        a.mov(Mem.of(RDI, RCX, 8, 0), RDX);
        a.sub(RCX, 1);
        a.jmp(fill);
        a.bind(filled);
        a.mov(RAX, RDI);
    }

    /**
     * replaceFrom: start to: stop with: source startingAt: sourceStart, for a non-empty range
     * between two pointer objects or two byte objects: one block copy. Overlap within one object
     * is handled only when copying forwards is right (the destination starts no later than the
     * source); the Smalltalk implementation does the rest.
     */
    private static void replaceFast(Nativizer.MethodEmitter m, Label general) {
        Assembler a = m.a;
        Label sourceBytes = a.newLabel(), destinationBytes = a.newLabel();
        a.mov(RAX, m.temp(2));
        indexedLayout(a, general, sourceBytes);
        a.mov(R10, RCX);
        a.mov(R11, RSI);
        a.mov(RAX, m.self());
        indexedLayout(a, general, general);
        blockCopy(m, general, 8);
        a.bind(sourceBytes);
        a.mov(R10, RCX);
        a.mov(R11, 8);
        a.mov(RAX, m.self());
        indexedLayout(a, general, destinationBytes);
        a.jmp(general);
        a.bind(destinationBytes);
        a.mov(RSI, 8);
        blockCopy(m, general, 1);
    }

    /**
     * rax = destination, rcx/rsi = its size and first element offset, r10/r11 the source's, in
     * elements of {@code scale} bytes. Checks the range, copies, and returns the receiver.
     */
    private static void blockCopy(Nativizer.MethodEmitter m, Label general, int scale) {
        Assembler a = m.a;
        Label forwards = a.newLabel();
        a.mov(RDX, m.temp(0));  // start
        a.mov(R8, m.temp(1));   // stop
        a.mov(R9, m.temp(3));   // sourceStart
        a.mov(RDI, RDX);
        a.and(RDI, R8);
        a.and(RDI, R9);
        a.test(Width.BYTE, RDI, 1);
        a.jcc(Cond.E, general);
        a.sar(RDX, 1);
        a.sar(R8, 1);
        a.sar(R9, 1);
        a.cmp(RDX, 1);
        a.jcc(Cond.L, general);
        a.cmp(R8, RDX);
        a.jcc(Cond.L, general);   // empty: the Smalltalk checks decide
        a.cmp(R8, RCX);
        a.jcc(Cond.G, general);
        a.cmp(R9, 1);
        a.jcc(Cond.L, general);
        a.sub(R8, RDX);           // stop - start
        a.lea(RDI, Mem.of(R9, R8, 1, 0));
        a.cmp(RDI, R10);
        a.jcc(Cond.G, general);
        a.lea(RCX, Mem.of(R8, 1)); // the count
        a.cmp(RAX, m.temp(2));
        a.jcc(Cond.NE, forwards);
        a.cmp(R9, RDX);
        a.jcc(Cond.L, general);   // the same object, copying backwards
        a.bind(forwards);
        a.add(RSI, RAX);
        a.lea(RDI, Mem.of(RSI, RDX, scale, -scale));
        a.mov(R8, m.temp(2));
        a.add(R8, R11);
        a.lea(RSI, Mem.of(R8, R9, scale, -scale));
        if (scale == 8) a.repMovsq(); else a.repMovsb();
        a.mov(RAX, m.self());
        if (scale == 8) m.rememberIfOld(RAX);
        m.returnValueInRax();
    }

    /**
     * For the heap object in rax: rcx := its indexed size and, for an indexable pointer object
     * (format 2), rsi := the offset of its first indexed slot from the header, falling through; a
     * byte object (formats 16-23) jumps to {@code bytes} with rcx := its size in bytes; anything
     * else (an immediate, fixed, weak or word object) jumps to {@code general}. Clobbers r8, rdi.
     */
    static void indexedLayout(Assembler a, Label general, Label bytes) {
        Label counted = a.newLabel(), pointers = a.newLabel();
        a.test(Width.BYTE, RAX, 7);
        a.jcc(Cond.NE, general);
        a.movzx(RCX, Width.BYTE, Mem.of(RAX, 7));
        a.cmp(Width.DWORD, RCX, ObjectModel.OVERFLOW_SLOTS);
        a.jcc(Cond.NE, counted);
        a.mov(RCX, Mem.of(RAX, -8));
        a.shl(RCX, 8);
        a.shr(RCX, 8);
        a.bind(counted);
        a.movzx(R8, Width.BYTE, Mem.of(RAX, 3));
        a.and(Width.DWORD, R8, (int) ObjectModel.FORMAT_MASK);
        a.cmp(Width.DWORD, R8, ObjectModel.FORMAT_POINTERS);
        a.jcc(Cond.E, pointers);
        a.cmp(Width.DWORD, R8, ObjectModel.FORMAT_BYTES);
        a.jcc(Cond.B, general);
        a.shl(RCX, 3);
        a.and(Width.DWORD, R8, 7);
        a.sub(RCX, R8);
        a.jmp(bytes);
        a.bind(pointers);
        // named slots: the low 16 bits of the class's instanceSpec (a SmallInteger)
        a.mov(Width.DWORD, R8, Mem.of(RAX));
        a.and(Width.DWORD, R8, (int) ObjectModel.CLASS_INDEX_MASK);
        classAt(a, RDI, R8);
        a.mov(RDI, Mem.of(RDI, Layout.slotOffset(Layout.BEHAVIOR_SPEC)));
        a.shr(RDI, 1);
        a.and(Width.DWORD, RDI, 0xFFFF);
        a.sub(RCX, RDI);
        a.lea(RSI, Mem.of(null, RDI, 8, 8));
    }

    private static void callSmalltalk(Nativizer.MethodEmitter m, String selector, int argc, Label fail) {
        Assembler a = m.a;
        if (selector.chars().filter(c -> c == ':').count() != argc + 1)
            m.fail("primitive implementation Primitives class>>" + selector + " takes " + argc + " arguments plus the receiver");
        a.movImm64(RAX, "class:Primitives", 0);
        a.push(RAX);
        a.push(m.self());
        for (int i = 0; i < argc; i++) a.push(m.temp(i));
        a.mov(RAX, Mem.of(RSP, 8 * (argc + 1)));
        a.movImm64(RCX, "Primitives class>>" + selector, RuntimeSymbols.UNCHECKED_OFFSET);
        a.call(RCX);
        a.add(RSP, 8L * (argc + 2));
        a.movImm64(RCX, "heap:roots", 0);
        a.cmp(RAX, RCX);
        a.jcc(Cond.E, fail);
        m.returnValueInRax();
    }

    private static void inline(Nativizer.MethodEmitter m, String name, int argc, Label fail) {
        Assembler a = m.a;
        a.mov(RAX, m.self());
        if (argc > 0) a.mov(RDX, m.temp(0));
        switch (name) {
            case "==" -> { a.cmp(RAX, RDX); m.booleanFromFlags(Cond.E); }
            case "class" -> { classIndex(a, RCX, RAX); classAt(a, RAX, RCX); }
            case "identityHash" -> {
                Label imm = a.newLabel(), done = a.newLabel();
                a.test(Width.BYTE, RAX, 7);
                a.jcc(Cond.NE, imm);
                a.mov(RAX, Mem.of(RAX));
                a.shr(RAX, ObjectModel.HASH_SHIFT);
                a.and(Width.DWORD, RAX, ObjectModel.HASH_MASK);
                a.shl(RAX, 1);
                a.or(RAX, 1);
                a.jmp(done);
                a.bind(imm);
                a.or(RAX, 1);
                a.bind(done);
            }
            case "charValue" -> { a.shr(RAX, 3); a.shl(RAX, 1); a.or(RAX, 1); }
            case "value", "value:", "value:value:", "value:value:value:", "value:value:value:value:" -> {
                a.mov(RCX, Mem.of(RAX, Layout.slotOffset(Layout.BC_NUM_ARGS)));
                a.cmp(RCX, ObjectModel.smallInt(argc));
                a.jcc(Cond.NE, fail);
                // Tail-call the block: it reuses this method's arguments, already in place.
                a.mov(RSP, RBP);
                a.pop(RBP);
                a.mov(RCX, Mem.of(RAX, Layout.slotOffset(Layout.BC_BLOCK)));
                a.mov(RCX, Mem.of(RCX, Layout.slotOffset(Layout.CB_NATIVE_ENTRY)));
                a.jmp(RCX); // entry + 1: past the block's leading nop
                return;
            }
            default -> {
                if (name.startsWith("float") || name.equals("intAsFloat")) floatPrimitive(m, name, fail);
                else if (name.startsWith("large")) LargeMagnitudes.emit(m, name, fail);
                else smallInteger(m, name, fail);
            }
        }
        m.returnValueInRax();
    }

    /** SmallIntegers beyond 2^53 do not all convert exactly: the Smalltalk bodies handle them. */
    private static final long EXACT_DOUBLE_INT = 1L << 53;

    /**
     * IEEE double arithmetic on boxed Floats with SSE2 (the receiver is a Float, by the method's
     * class). The argument may be a Float or a SmallInteger of at most 53 bits, which converts
     * exactly; anything else fails into the method body, which coerces. A result Float is
     * allocated before its value is computed, so that the operands are reread from the frame
     * after a collection may have moved them.
     */
    private static void floatPrimitive(Nativizer.MethodEmitter m, String name, Label fail) {
        Assembler a = m.a;
        switch (name) {
            case "intAsFloat" -> {
                newFloat(m);
                a.mov(RCX, m.self());
                a.sar(RCX, 1);
                a.cvtsi2sd(Xmm.XMM0, RCX);
                a.movsd(Mem.of(RAX, 8), Xmm.XMM0);
            }
            case "floatSqrt" -> {
                newFloat(m);
                a.mov(RCX, m.self());
                a.sqrtsd(Xmm.XMM0, Mem.of(RCX, 8));
                a.movsd(Mem.of(RAX, 8), Xmm.XMM0);
            }
            case "floatTruncated" -> {
                // cvttsd2si answers 2^63 for NaN, infinities and out-of-range values; anything
                // outside the SmallInteger range fails into the body (LargeIntegers, errors).
                a.cvttsd2si(RAX, Mem.of(RAX, 8));
                a.mov(RCX, RAX);
                a.shl(RCX, 1);
                a.sar(RCX, 1);
                a.cmp(RCX, RAX);
                a.jcc(Cond.NE, fail);
                a.shl(RAX, 1);
                a.or(RAX, 1);
            }
            case "floatSin", "floatCos", "floatTan", "floatArcTan", "floatLn", "floatLog10", "floatExp" -> {
                if (!name.equals("floatLn") && !name.equals("floatLog10") && !name.equals("floatArcTan"))
                    failUnlessBelow2To63(a, RAX, fail);
                newFloat(m);
                a.mov(RCX, m.self());
                x87Begin(a);
                switch (name) {
                    case "floatSin" -> { a.fld(Mem.of(RCX, 8)); a.fsin(); }
                    case "floatCos" -> { a.fld(Mem.of(RCX, 8)); a.fcos(); }
                    case "floatTan" -> { a.fld(Mem.of(RCX, 8)); a.fptan(); a.fstpSt(0); }
                    case "floatArcTan" -> { a.fld(Mem.of(RCX, 8)); a.fld1(); a.fpatan(); }
                    case "floatLn" -> { a.fldln2(); a.fld(Mem.of(RCX, 8)); a.fyl2x(); }
                    case "floatLog10" -> { a.fldlg2(); a.fld(Mem.of(RCX, 8)); a.fyl2x(); }
                    default -> { a.fldl2e(); a.fmul(Mem.of(RCX, 8)); twoToTheSt0(a); }
                }
                x87End(a);
            }
            case "floatSinQuadrant", "floatCosQuadrant", "floatTanQuadrant" -> {
                // self - k pi/2 in extended precision (pi/2 in three parts, Cody and Waite), then
                // the function: the receiver is below 1e6 and k is its nearest quadrant, so every
                // product k * part but the last is exact. The parts and k are stored below rsp,
                // where no stack walk looks.
                a.test(Width.BYTE, RDX, 1);
                a.jcc(Cond.E, fail);
                newFloat(m);
                a.mov(RCX, m.self());
                a.mov(RDX, m.temp(0));
                a.sar(RDX, 1);
                a.mov(Mem.of(RSP, -32), RDX);
                double[] halfPiParts = {1.5707963267341256, 6.077100506303966e-11, 2.0222662487959506e-21};
                for (int i = 0; i < 3; i++) {
                    a.movImm64(R8, Double.doubleToRawLongBits(halfPiParts[i]));
                    a.mov(Mem.of(RSP, -8 - 8 * i), R8);
                }
                x87Begin(a);
                a.fild(Mem.of(RSP, -32));     // k
                a.fld(Mem.of(RCX, 8));         // x, k
                for (int i = 0; i < 3; i++) {
                    a.fldSt(1);                // k, r, k
                    a.fmul(Mem.of(RSP, -8 - 8 * i));
                    a.fxch(1);                 // r, k * part, k
                    a.fsubSt0(1);              // r - k * part, k * part, k
                    a.fstpSt(1);               // r, k
                }
                a.fstpSt(1);                   // r
                switch (name) {
                    case "floatSinQuadrant" -> a.fsin();
                    case "floatCosQuadrant" -> a.fcos();
                    default -> {
                        // tan(r + k pi/2) is tan r for an even k, -1 / tan r for an odd one.
                        Label even = a.newLabel(), done = a.newLabel();
                        a.fptan();                 // 1, tan r
                        a.test(Width.BYTE, Mem.of(RSP, -32), 1);
                        a.jcc(Cond.E, even);
                        a.fdivSt0(1);              // 1 / tan r, tan r
                        a.fchs();
                        a.fstpSt(1);
                        a.jmp(done);
                        a.bind(even);
                        a.fstpSt(0);
                        a.bind(done);
                    }
                }
                x87End(a);
            }
            case "floatPower" -> {
                // x raisedTo: y for x > 0 and a Float y, as 2^(y log2 x) in extended precision;
                // the body handles integer exponents (exactly) and the other cases.
                a.test(Width.BYTE, RDX, 7);
                a.jcc(Cond.NE, fail);
                a.mov(Width.DWORD, RCX, Mem.of(RDX));
                a.and(Width.DWORD, RCX, ObjectModel.CLASS_INDEX_MASK);
                a.cmp(Width.DWORD, RCX, ClassIndex.FLOAT);
                a.jcc(Cond.NE, fail);
                failUnlessBelow2To63(a, RDX, fail);
                a.xorpd(Xmm.XMM1, Xmm.XMM1);
                a.ucomisd(Xmm.XMM1, Mem.of(RAX, 8));
                a.jcc(Cond.AE, fail);   // x <= 0 (a NaN x goes on and answers NaN)
                newFloat(m);
                a.mov(RCX, m.self());
                a.mov(RDX, m.temp(0));
                x87Begin(a);
                a.fld(Mem.of(RDX, 8));
                a.fld(Mem.of(RCX, 8));
                a.fyl2x();
                twoToTheSt0(a);
                x87End(a);
            }
            case "floatAdd", "floatSub", "floatMul", "floatDiv" -> {
                checkFloatOperand(a, RDX, fail);
                if (name.equals("floatDiv")) failOnZero(a, RDX, fail);
                newFloat(m);
                a.mov(RCX, m.self());
                a.movsd(Xmm.XMM0, Mem.of(RCX, 8));
                a.mov(RDX, m.temp(0));
                loadDouble(a, Xmm.XMM1, RDX);
                switch (name) {
                    case "floatAdd" -> a.addsd(Xmm.XMM0, Xmm.XMM1);
                    case "floatSub" -> a.subsd(Xmm.XMM0, Xmm.XMM1);
                    case "floatMul" -> a.mulsd(Xmm.XMM0, Xmm.XMM1);
                    default -> a.divsd(Xmm.XMM0, Xmm.XMM1);
                }
                a.movsd(Mem.of(RAX, 8), Xmm.XMM0);
            }
            default -> {
                // Comparisons: ucomisd marks an unordered (NaN) pair with ZF = PF = CF = 1, so
                // "above" and "above or equal" are false for it, and = / ~= test PF explicitly.
                checkFloatOperand(a, RDX, fail);
                a.movsd(Xmm.XMM0, Mem.of(RAX, 8));
                loadDouble(a, Xmm.XMM1, RDX);
                switch (name) {
                    case "floatLess" -> { a.ucomisd(Xmm.XMM1, Xmm.XMM0); m.booleanFromFlags(Cond.A); }
                    case "floatGreater" -> { a.ucomisd(Xmm.XMM0, Xmm.XMM1); m.booleanFromFlags(Cond.A); }
                    case "floatLessEq" -> { a.ucomisd(Xmm.XMM1, Xmm.XMM0); m.booleanFromFlags(Cond.AE); }
                    case "floatGreaterEq" -> { a.ucomisd(Xmm.XMM0, Xmm.XMM1); m.booleanFromFlags(Cond.AE); }
                    case "floatEq" -> {
                        a.ucomisd(Xmm.XMM0, Xmm.XMM1);
                        m.booleanFromFlags(Cond.E);
                        a.movImm64(RDX, "heap:false", 0);
                        a.cmov(Cond.P, RAX, RDX);
                    }
                    case "floatNotEq" -> {
                        a.ucomisd(Xmm.XMM0, Xmm.XMM1);
                        m.booleanFromFlags(Cond.NE);
                        a.movImm64(RDX, "heap:true", 0);
                        a.cmov(Cond.P, RAX, RDX);
                    }
                    default -> m.fail("unknown primitive '" + name + "'");
                }
            }
        }
    }

    /** Fails unless the oop in r is a Float or a SmallInteger that converts to a double exactly. Clobbers rcx, r8. */
    private static void checkFloatOperand(Assembler a, Reg r, Label fail) {
        Label integer = a.newLabel(), ok = a.newLabel();
        a.test(Width.BYTE, r, 1);
        a.jcc(Cond.NE, integer);
        a.test(Width.BYTE, r, 7);
        a.jcc(Cond.NE, fail);
        a.mov(Width.DWORD, RCX, Mem.of(r));
        a.and(Width.DWORD, RCX, ObjectModel.CLASS_INDEX_MASK);
        a.cmp(Width.DWORD, RCX, ClassIndex.FLOAT);
        a.jcc(Cond.NE, fail);
        a.jmp(ok);
        a.bind(integer);
        jumpUnlessExactDouble(a, r, fail);
        a.bind(ok);
    }

    /**
     * To {@code fail} unless the SmallInteger in r has at most 53 bits, so that it converts to a
     * double exactly (|n| <= 2^53, tested as one unsigned compare). Clobbers rcx, r8.
     */
    static void jumpUnlessExactDouble(Assembler a, Reg r, Label fail) {
        a.mov(RCX, r);
        a.sar(RCX, 1);
        a.movImm64(R8, EXACT_DOUBLE_INT);
        a.add(RCX, R8);
        a.add(R8, R8);
        a.cmp(RCX, R8);
        a.jcc(Cond.A, fail);
    }

    /** Fails unless the Float in r has a magnitude below 2^63 (so not NaN or infinite). Clobbers rcx, r8, xmm0. */
    private static void failUnlessBelow2To63(Assembler a, Reg r, Label fail) {
        a.movsd(Xmm.XMM0, Mem.of(r, 8));
        a.cvttsd2si(RCX, Xmm.XMM0);
        a.movImm64(R8, Long.MIN_VALUE);
        a.cmp(RCX, R8);
        a.jcc(Cond.E, fail);
    }

    /**
     * Switches the x87 unit to extended precision, round to nearest, all exceptions masked, saving
     * its control word in the new Float at rax (whose value slot is free until x87End): Windows
     * starts threads in double precision, and the results must not depend on the OS.
     */
    private static void x87Begin(Assembler a) {
        a.fnstcw(Mem.of(RAX, 8));
        a.mov(Width.WORD, Mem.of(RAX, 12), 0x037F);
        a.fldcw(Mem.of(RAX, 12));
    }

    /** Restores the control word and stores st(0), the result, into the new Float at rax. */
    private static void x87End(Assembler a) {
        a.fldcw(Mem.of(RAX, 8));
        a.fstp(Mem.of(RAX, 8));
    }

    /** st(0) := 2^st(0): the integer part by fscale, the fraction (|f| <= 0.5) by f2xm1. */
    private static void twoToTheSt0(Assembler a) {
        a.fldSt(0);
        a.frndint();        // st0 = n, st1 = t
        a.fxch(1);
        a.fsubSt0(1);       // st0 = t - n, st1 = n
        a.f2xm1();
        a.fld1();
        a.faddp(1);         // st0 = 2^(t-n), st1 = n
        a.fscale();
        a.fstpSt(1);        // st0 = 2^t
    }

    /** Fails when the checked operand in r is 0 or a Float zero of either sign: division signals ZeroDivide. Clobbers rcx. */
    private static void failOnZero(Assembler a, Reg r, Label fail) {
        Label nonZero = a.newLabel();
        a.cmp(r, ObjectModel.smallInt(0));
        a.jcc(Cond.E, fail);
        a.test(Width.BYTE, r, 1);
        a.jcc(Cond.NE, nonZero);
        a.mov(RCX, Mem.of(r, 8));
        a.shl(RCX, 1);
        a.jcc(Cond.E, fail);
        a.bind(nonZero);
    }

    /** xmm := the double value of the oop in r, a Float or a SmallInteger (checked before). Clobbers r. */
    private static void loadDouble(Assembler a, Xmm x, Reg r) {
        Label integer = a.newLabel(), done = a.newLabel();
        a.test(Width.BYTE, r, 1);
        a.jcc(Cond.NE, integer);
        a.movsd(x, Mem.of(r, 8));
        a.jmp(done);
        a.bind(integer);
        a.sar(r, 1);
        a.cvtsi2sd(x, r);
        a.bind(done);
    }

    /** rax := a new Float, its value still to be stored at [rax + 8]. */
    private static void newFloat(Nativizer.MethodEmitter m) {
        m.allocate(ClassIndex.FLOAT, ObjectModel.byteFormat(8), 1);
    }

    private static void smallInteger(Nativizer.MethodEmitter m, String name, Label fail) {
        Assembler a = m.a;
        // rax = receiver (a SmallInteger, by the method's class), rdx = argument
        a.test(Width.BYTE, RDX, 1);
        a.jcc(Cond.E, fail);
        switch (name) {
            case "intAdd" -> { a.sub(RAX, 1); a.add(RAX, RDX); a.jcc(Cond.O, fail); }
            case "intSub" -> { a.sub(RAX, RDX); a.jcc(Cond.O, fail); a.add(RAX, 1); }
            case "intMul" -> { a.sar(RAX, 1); a.sub(RDX, 1); a.imul(RAX, RDX); a.jcc(Cond.O, fail); a.or(RAX, 1); }
            case "intBitAnd" -> a.and(RAX, RDX);
            case "intBitOr" -> a.or(RAX, RDX);
            case "intBitXor" -> { a.xor(RAX, RDX); a.or(RAX, 1); }
            case "intLess", "intGreater", "intLessEq", "intGreaterEq", "intEq", "intNotEq" -> {
                Cond c = switch (name) {
                    case "intLess" -> Cond.L; case "intGreater" -> Cond.G; case "intLessEq" -> Cond.LE;
                    case "intGreaterEq" -> Cond.GE; case "intEq" -> Cond.E; default -> Cond.NE;
                };
                a.cmp(RAX, RDX);
                m.booleanFromFlags(c);
            }
            case "intDiv", "intMod", "intQuo", "intRem" -> {
                a.sar(RAX, 1);
                a.mov(RCX, RDX);
                a.sar(RCX, 1);
                a.jcc(Cond.E, fail); // zero divisor (sar sets ZF on a zero result)
                // MIN / -1 overflows idiv: fail and let the body (LargeIntegers) handle it.
                Label ok = a.newLabel();
                a.cmp(RCX, -1);
                a.jcc(Cond.NE, ok);
                a.movImm64(R8, ObjectModel.MIN_SMALLINT);
                a.cmp(RAX, R8);
                a.jcc(Cond.E, fail);
                a.bind(ok);
                a.cqo();
                a.idiv(RCX);
                if (name.equals("intDiv") || name.equals("intMod")) {
                    // floor: when the remainder is non-zero and its sign differs from the divisor's
                    Label exact = a.newLabel();
                    a.test(RDX, RDX);
                    a.jcc(Cond.E, exact);
                    a.mov(R8, RDX);
                    a.xor(R8, RCX);
                    a.jcc(Cond.NS, exact);
                    a.sub(RAX, 1);
                    a.add(RDX, RCX);
                    a.bind(exact);
                }
                if (name.equals("intMod") || name.equals("intRem")) a.mov(RAX, RDX);
                a.shl(RAX, 1);
                a.or(RAX, 1);
            }
            default -> m.fail("unknown primitive '" + name + "'");
        }
    }

    /** dst(32-bit) := class index of the oop in src (RUNTIME.md section 1). Clobbers nothing else. */
    static void classIndex(Assembler a, Reg dst, Reg src) {
        Label done = a.newLabel(), heap = a.newLabel();
        a.mov(Width.DWORD, dst, src);
        a.and(Width.DWORD, dst, 1);
        a.jcc(Cond.NE, done);
        a.mov(Width.DWORD, dst, src);
        a.and(Width.DWORD, dst, 7);
        a.jcc(Cond.E, heap);
        a.jmp(done);
        a.bind(heap);
        a.mov(Width.DWORD, dst, Mem.of(src));
        a.and(Width.DWORD, dst, ObjectModel.CLASS_INDEX_MASK);
        a.bind(done);
    }

    /** dst := the class at index (register) from the class table. */
    static void classAt(Assembler a, Reg dst, Reg index) {
        a.movImm64(dst, "heap:roots", 0);
        a.mov(dst, Mem.of(dst, Layout.slotOffset(Layout.ROOTS_CLASS_TABLE)));
        a.mov(dst, Mem.of(dst, index, 8, 8));
    }
}
