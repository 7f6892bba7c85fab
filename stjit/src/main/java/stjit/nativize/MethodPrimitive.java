package stjit.nativize;

import stjit.image.Layout;
import stjit.image.ObjectModel;
import stjit.x64.Assembler;
import stjit.x64.Cond;
import stjit.x64.Label;
import stjit.x64.Mem;
import stjit.x64.Reg;
import stjit.x64.Width;

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
            "value", "value:", "value:value:", "value:value:value:", "value:value:value:value:");

    static boolean isKnown(String name) { return INLINE.contains(name) || IN_SMALLTALK.containsKey(name); }

    static void emitIfAny(Nativizer.MethodEmitter m) {
        String name = m.info.primitive();
        if (name == null) return;
        Assembler a = m.a;
        Label fail = a.newLabel("primitiveFailed");
        int argc = m.code.numArgs();
        if (IN_SMALLTALK.containsKey(name)) {
            callSmalltalk(m, IN_SMALLTALK.get(name), argc, fail);
        } else if (INLINE.contains(name)) {
            inline(m, name, argc, fail);
        } else {
            m.fail("unknown primitive '" + name + "'");
        }
        a.bind(fail);
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
            default -> smallInteger(m, name, fail);
        }
        m.returnValueInRax();
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
