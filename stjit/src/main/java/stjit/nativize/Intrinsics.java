package stjit.nativize;

import stjit.x64.Assembler;
import stjit.x64.Mem;
import stjit.x64.Reg;
import stjit.x64.Width;

import java.util.List;

import static stjit.x64.Reg.*;

/**
 * Sends to the global {@code Intrinsics} that the nativizer expands inline (docs/RUNTIME.md,
 * section 9). Only kernel/Runtime uses them. At entry the stack holds the Intrinsics receiver slot
 * and the arguments; the expansion leaves the result in the receiver slot.
 */
final class Intrinsics {
    private Intrinsics() {}

    static final List<String> SELECTORS = List.of("wordAt:", "wordAt:put:", "oopAt:", "oopAt:put:", "byteAt:",
            "byteAt:put:", "int32At:", "int32At:put:", "addressOf:", "oopAtAddress:", "globals", "framePointer",
            "primitiveFailed", "exitToHost:", "nativize:", "syscall:", "syscall:with:", "syscall:with:with:",
            "syscall:with:with:with:", "syscall:with:with:with:with:", "syscall:with:with:with:with:with:",
            "syscall:with:with:with:with:with:with:", "resumeFrame:returning:", "roots", "copyFrom:to:words:",
            "send:to:", "send:to:with:", "send:to:with:with:", "send:to:with:with:with:", "send:to:with:with:with:with:",
            "win64:", "win64:with:", "win64:with:with:", "win64:with:with:with:", "win64:with:with:with:with:",
            "win64:with:with:with:with:with:", "win64:with:with:with:with:with:with:",
            "win64:with:with:with:with:with:with:with:", "win64:with:with:with:with:with:with:with:with:");

    /** The most arguments {@code Intrinsics win64: #F with: ...} passes. */
    static final int WIN64_MAX_ARGS = 8;

    static void emit(Nativizer.MethodEmitter m, String selector, int argc) {
        Assembler a = m.a;
        switch (selector) {
            case "wordAt:" -> { arg(a, RAX, 0, 1); untag(a, RAX); a.mov(RAX, Mem.of(RAX)); tag(a, RAX); }
            case "wordAt:put:" -> {
                arg(a, RAX, 0, 2); untag(a, RAX);
                arg(a, RCX, 1, 2); a.mov(RDX, RCX); untag(a, RDX);
                a.mov(Mem.of(RAX), RDX);
                a.mov(RAX, RCX);
            }
            case "oopAt:" -> { arg(a, RAX, 0, 1); untag(a, RAX); a.mov(RAX, Mem.of(RAX)); }
            case "oopAt:put:" -> {
                arg(a, RAX, 0, 2); untag(a, RAX);
                arg(a, RCX, 1, 2);
                a.mov(Mem.of(RAX), RCX);
                a.mov(RAX, RCX);
            }
            case "byteAt:" -> { arg(a, RAX, 0, 1); untag(a, RAX); a.movzx(RAX, Width.BYTE, Mem.of(RAX)); tag(a, RAX); }
            case "byteAt:put:" -> {
                arg(a, RAX, 0, 2); untag(a, RAX);
                arg(a, RCX, 1, 2); a.mov(RDX, RCX); untag(a, RDX);
                a.mov(Width.BYTE, Mem.of(RAX), RDX);
                a.mov(RAX, RCX);
            }
            case "int32At:" -> { arg(a, RAX, 0, 1); untag(a, RAX); a.mov(Width.DWORD, RAX, Mem.of(RAX)); tag(a, RAX); }
            case "int32At:put:" -> {
                arg(a, RAX, 0, 2); untag(a, RAX);
                arg(a, RCX, 1, 2); a.mov(RDX, RCX); untag(a, RDX);
                a.mov(Width.DWORD, Mem.of(RAX), RDX);
                a.mov(RAX, RCX);
            }
            case "addressOf:" -> { arg(a, RAX, 0, 1); tag(a, RAX); }
            case "oopAtAddress:" -> { arg(a, RAX, 0, 1); untag(a, RAX); }
            case "globals" -> { a.mov(RAX, R15); tag(a, RAX); }
            case "framePointer" -> { a.mov(RAX, RBP); tag(a, RAX); }
            case "primitiveFailed" -> a.movImm64(RAX, "heap:roots", 0);
            case "exitToHost:" -> { arg(a, RAX, 0, 1); a.jmp(RuntimeSymbols.EXIT_TO_HOST); }
            case "nativize:" -> { arg(a, RAX, 0, 1); a.call(RuntimeSymbols.JIT_TRAMPOLINE); }
            case "resumeFrame:returning:" -> {
                // Return `value` from the frame whose rbp is given: the non-local return's last step.
                arg(a, RCX, 0, 2); untag(a, RCX);
                arg(a, RAX, 1, 2);
                a.mov(RSP, RCX);
                a.pop(RBP);
                a.ret();
            }
            case "roots" -> a.movImm64(RAX, "heap:roots", 0);
            case "copyFrom:to:words:" -> {
                // A raw copy: words keep all 64 bits (wordAt: would lose the top one to the tag).
                arg(a, RSI, 0, 3); untag(a, RSI);
                arg(a, RDI, 1, 3); untag(a, RDI);
                arg(a, RCX, 2, 3); untag(a, RCX);
                a.repMovsq();
                arg(a, RAX, 1, 3);
            }
            default -> {
                if (selector.startsWith("send:to:")) dynamicSend(a, argc - 2);
                else if (selector.startsWith("syscall:")) syscall(a, argc);
                else if (selector.startsWith("win64:")) win64(m, argc);
                else m.fail("unknown intrinsic Intrinsics " + selector);
            }
        }
        if (argc > 0) a.add(RSP, 8L * argc);
        a.mov(Mem.of(RSP), RAX);
    }

    /**
     * {@code Intrinsics send: selector to: receiver with: ...}: a send whose selector is only known
     * at run time (perform:). It goes through the miss stub every time, with no cache cell (rdx =
     * 0), so nothing is patched.
     */
    private static void dynamicSend(Assembler a, int n) {
        // stack: selector, receiver, arg 1..n (top); copy receiver and args into a fresh frame layout
        for (int k = 0; k <= n; k++) a.push(Mem.of(RSP, 8 * n));
        a.mov(RAX, Mem.of(RSP, 8 * n));
        a.mov(R10, Mem.of(RSP, 16 * (n + 1)));
        a.xor(RDX, RDX);
        a.call(RuntimeSymbols.SEND_MISS);
        a.add(RSP, 8L * (n + 1));
    }

    private static final Reg[] SYSCALL_ARGS = {RDI, RSI, RDX, R10, R8, R9};

    /** Linux syscall: SmallInteger arguments are untagged, heap objects pass their address. */
    private static void syscall(Assembler a, int argc) {
        for (int i = 1; i < argc; i++) {
            Reg r = SYSCALL_ARGS[i - 1];
            arg(a, r, i, argc);
            var heap = a.newLabel();
            a.test(Width.BYTE, r, 1);
            a.jcc(stjit.x64.Cond.E, heap);
            a.sar(r, 1);
            a.bind(heap);
        }
        arg(a, RAX, 0, argc);
        untag(a, RAX);
        a.syscall();
        tag(a, RAX);
    }

    private static final Reg[] WIN64_ARGS = {RCX, RDX, R8, R9};

    /**
     * {@code Intrinsics win64: #Function with: ...}: a call of the imported function through its
     * import address table slot ({@code call [rip + __imp_Function]}, resolved by stlink for
     * windows-x64) with the Microsoft x64 convention: the first four arguments in rcx, rdx, r8,
     * r9, the others on the stack above 32 bytes of shadow space, rsp 16-byte aligned at the call.
     * Arguments convert as for syscall:; the answer is rax, tagged (a BOOL or DWORD result has
     * undefined upper bits: the caller masks it). rbx keeps the Smalltalk stack pointer: the
     * callee preserves it, and Smalltalk code does not use it.
     */
    private static void win64(Nativizer.MethodEmitter m, int argc) {
        Assembler a = m.a;
        String named = m.pushedAt(m.depth - argc);
        if (named == null || !named.startsWith(Nativizer.MethodEmitter.SYMBOL)) {
            m.fail("Intrinsics win64: needs a literal Symbol naming the function");
            return;
        }
        String function = named.substring(Nativizer.MethodEmitter.SYMBOL.length());
        int n = argc - 1;
        int frame = 32 + 8 * Math.max(0, n - 4);
        frame = (frame + 15) & -16;
        a.mov(RBX, RSP);
        a.sub(RSP, frame);
        a.and(RSP, -16);
        for (int i = n - 1; i >= 0; i--) {
            Reg r = i < 4 ? WIN64_ARGS[i] : RAX;
            a.mov(r, Mem.of(RBX, 8 * (n - 1 - i)));
            var heap = a.newLabel();
            a.test(Width.BYTE, r, 1);
            a.jcc(stjit.x64.Cond.E, heap);
            a.sar(r, 1);
            a.bind(heap);
            if (i >= 4) a.mov(Mem.of(RSP, 32 + 8 * (i - 4)), RAX);
        }
        a.call(Mem.rip("__imp_" + function));
        a.mov(RSP, RBX);
        tag(a, RAX);
    }

    private static void arg(Assembler a, Reg r, int i, int argc) { a.mov(r, Mem.of(RSP, 8 * (argc - 1 - i))); }

    private static void untag(Assembler a, Reg r) { a.sar(r, 1); }

    private static void tag(Assembler a, Reg r) { a.shl(r, 1); a.or(r, 1); }
}
