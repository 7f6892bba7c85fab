package stjit.nativize;

import stjit.image.Globals;
import stjit.image.Layout;
import stjit.image.ObjectModel;
import stjit.x64.Assembled;
import stjit.x64.Assembler;
import stjit.x64.Cond;
import stjit.x64.Label;
import stjit.x64.Mem;
import stjit.x64.Width;

import java.util.ArrayList;
import java.util.List;

import static stjit.x64.Reg.*;

/**
 * The Java-emitted templates around Smalltalk code (docs/RUNTIME.md, sections 6–8, 13): the
 * process entry and exit, the send-miss paths into the Smalltalk lookup, the allocation slow path,
 * the stack-overflow path, non-local return, and the trampoline that switches to the native stack
 * for the nativizer upcall. Every frame a stub builds holds only oops ({@code [rbp-8]} is the
 * SmallInteger 0, marking a stub frame), so the GC's stack walk stays exact.
 */
public final class Stubs {
    private Stubs() {}

    /** The stubs as one code blob with a symbol per stub. */
    public record Code(Assembled code, List<Nativizer.Entry> entries) {}

    private static final long STUB_MARKER = 1; // SmallInteger 0

    /** Bytes between the stack limit and the guard page kept for reporting a stack overflow. */
    public static final int STACK_RESERVE = 64 * 1024;

    public static Code emit() {
        Assembler a = new Assembler();
        List<Object[]> labels = new ArrayList<>();
        stub(a, labels, RuntimeSymbols.ENTRY, () -> entry(a));
        stub(a, labels, RuntimeSymbols.EXIT_TO_HOST, () -> exitToHost(a));
        stub(a, labels, RuntimeSymbols.SEND_MISS, () -> sendMiss(a, false));
        stub(a, labels, RuntimeSymbols.SUPER_SEND_MISS, () -> sendMiss(a, true));
        stub(a, labels, RuntimeSymbols.ALLOC_SLOW, () -> allocSlow(a));
        stub(a, labels, RuntimeSymbols.REMEMBER, () -> remember(a));
        stub(a, labels, RuntimeSymbols.STACK_OVERFLOW, () -> stackOverflow(a));
        stub(a, labels, RuntimeSymbols.NON_LOCAL_RETURN, () -> nonLocalReturn(a));
        stub(a, labels, RuntimeSymbols.JIT_TRAMPOLINE, () -> jitTrampoline(a));
        Assembled code = a.finish();
        List<Nativizer.Entry> entries = new ArrayList<>();
        for (Object[] l : labels) entries.add(new Nativizer.Entry((String) l[0], code.offsetOf((Label) l[1]), null));
        return new Code(code, entries);
    }

    /**
     * {@code _start}, the process entry of a linked executable (Linux): sets up the globals block
     * (in the zero fill after the heap image, see HeapImage.zeroFillLayout), takes argc/argv
     * from the initial stack, keeps the process stack as the Smalltalk stack with its limit 7 MiB
     * below the top (the kernel's default stack limit is 8 MiB), and calls Runtime class>>start.
     */
    public static Code emitElfStart() { return emitStart(false); }

    /**
     * {@code _start} of a PE executable (Windows x64): the same set-up as on Linux, except that
     * there is no argc/argv (OS class>>arguments splits GetCommandLineW), the stack's 8 MiB are
     * the PE header's reserve, and the process ends with kernel32's ExitProcess.
     */
    public static Code emitWindowsStart() { return emitStart(true); }

    private static Code emitStart(boolean windows) {
        Assembler a = new Assembler();
        List<Object[]> labels = new ArrayList<>();
        stub(a, labels, "_start", () -> {
            a.movImm64(R15, "heap:globals", 0);
            if (windows) {
                a.xor(RAX, RAX);
                a.mov(Mem.of(R15, Globals.ARGC), RAX);
                a.mov(Mem.of(R15, Globals.ARGV), RAX);
            } else {
                a.mov(RAX, Mem.of(RSP));
                a.sub(RAX, 1);
                a.mov(Mem.of(R15, Globals.ARGC), RAX);
                a.lea(RAX, Mem.of(RSP, 16));
                a.mov(Mem.of(R15, Globals.ARGV), RAX);
            }
            setGlobal(a, Globals.ALLOC_PTR, "heap:space0");
            setGlobal(a, Globals.NEW_SPACE_START, "heap:space0");
            setGlobal(a, Globals.ALLOC_LIMIT, "heap:space0End");
            setGlobal(a, Globals.NEW_SPACE_END, "heap:space0End");
            setGlobal(a, Globals.SURVIVOR_START, "heap:space1");
            setGlobal(a, Globals.SURVIVOR_END, "heap:space1End");
            setGlobal(a, Globals.IMAGE_START, "heap:start");
            setGlobal(a, Globals.IMAGE_END, "heap:end");
            a.mov(Mem.of(R15, Globals.STACK_BASE), RSP);
            a.mov(RAX, RSP);
            a.sub(RAX, 7L << 20);
            a.mov(Mem.of(R15, Globals.STACK_LIMIT), RAX);
            a.mov(Mem.of(R15, Globals.NORMAL_STACK_LIMIT), RAX);
            if (windows) {
                installConsoleCtrlHandler(a);
            } else {
                installSignalHandler(a, 2, "elf:onSigint", SA_RESTORER);   // SIGINT
                installAlternateStack(a);
                for (int signal : new int[] {4, 7, 8, 11}) // SIGILL, SIGBUS, SIGFPE, SIGSEGV
                    installSignalHandler(a, signal, "elf:onFault", SA_RESTORER | SA_SIGINFO | SA_ONSTACK);
            }
            a.xor(RBP, RBP);
            a.and(RSP, -16);
            a.movImm64(RAX, "class:Runtime", 0);
            a.push(RAX);
            callUnchecked(a, "Runtime class>>start"); // rax is the receiver
            if (windows) {
                a.and(RSP, -16);
                a.sub(RSP, 32);
                a.xor(RCX, RCX);
                a.call(Mem.rip("__imp_ExitProcess"));
                a.int3();
            } else {
                a.xor(RDI, RDI);
                a.mov(RAX, 231);
                a.syscall();
            }
        });
        if (windows) {
            // Ctrl-C and Ctrl-Break, as on Linux: an interrupt with status 130, or at once on the
            // second. Windows runs the handler on a thread of its own, with the Win64 ABI.
            stub(a, labels, "win:onCtrlC", () -> {
                Label again = a.newLabel(), notOurs = a.newLabel();
                a.cmp(RCX, 1); // CTRL_C_EVENT 0, CTRL_BREAK_EVENT 1
                a.jcc(Cond.A, notOurs);
                a.movImm64(RAX, "heap:globals", 0);
                a.cmp(Mem.of(RAX, Globals.INTERRUPT), 0);
                a.jcc(Cond.NE, again);
                a.mov(Mem.of(RAX, Globals.INTERRUPT), 130);
                a.mov(Mem.of(RAX, Globals.STACK_LIMIT), -1);
                a.mov(RAX, 1);
                a.ret();
                a.bind(again);
                a.sub(RSP, 40);
                a.mov(RCX, 130);
                a.call(Mem.rip("__imp_ExitProcess"));
                a.bind(notOurs);
                a.xor(RAX, RAX);
                a.ret();
            });
        } else {
        // Ctrl-C: ask for an interrupt (status 130), which the next prologue or loop back edge
        // takes (Runtime class>>interrupted: prints a backtrace); a second one before the first
        // was taken ends the process at once.
        stub(a, labels, "elf:onSigint", () -> {
            Label again = a.newLabel();
            a.movImm64(RAX, "heap:globals", 0);
            a.cmp(Mem.of(RAX, Globals.INTERRUPT), 0);
            a.jcc(Cond.NE, again);
            a.mov(Mem.of(RAX, Globals.INTERRUPT), 130);
            a.mov(Mem.of(RAX, Globals.STACK_LIMIT), -1);
            a.ret();
            a.bind(again);
            a.mov(RDI, 130);
            a.mov(RAX, 231);
            a.syscall();
        });
        // A native fault (a bug): the handler, on its own stack, rewrites the interrupted context so
        // that rt_sigreturn resumes in elf:faulted on the Smalltalk stack, as if the faulting code
        // had called it; a fault while reporting one ends the process at once.
        stub(a, labels, "elf:onFault", () -> onFault(a, () -> a.movImm64(RAX, "heap:globals", 0), "elf:faulted", "elf:faultAgain"));
        // rdi = the signal, rsi = the faulting pc, rbp and rsp those of the faulting code: a stub
        // frame whose return address is the pc, then Runtime class>>nativeFault:at: (no return).
        stub(a, labels, "elf:faulted", () -> faulted(a));
        stub(a, labels, "elf:faultAgain", () -> a.bytes(FAULT_AGAIN));
        stub(a, labels, "elf:sigreturn", () -> {
            a.mov(RAX, 15); // rt_sigreturn
            a.syscall();
        });
        }
        Assembled code = a.finish();
        List<Nativizer.Entry> entries = new ArrayList<>();
        for (Object[] l : labels) entries.add(new Nativizer.Entry((String) l[0], code.offsetOf((Label) l[1]), null));
        return new Code(code, entries);
    }

    /** SetConsoleCtrlHandler(win:onCtrlC, TRUE), from _start (where rsp is 8 off a 16-byte boundary). */
    private static void installConsoleCtrlHandler(Assembler a) {
        a.sub(RSP, 40);
        a.lea(RCX, Mem.rip("win:onCtrlC"));
        a.mov(RDX, 1);
        a.call(Mem.rip("__imp_SetConsoleCtrlHandler"));
        a.add(RSP, 40);
    }

    /**
     * The body of a fault handler {@code void handler(int signal, siginfo_t *, ucontext_t *)}:
     * rewrites the interrupted context so that the return from the signal resumes at
     * {@code faulted} with rdi = the signal, rsi = the faulting pc, r15 = the globals (loaded into
     * rax by {@code loadGlobals}); a second fault writes {@code againMessage} and exits.
     */
    private static void onFault(Assembler a, Runnable loadGlobals, String faulted, String againMessage) {
        Label again = a.newLabel();
        loadGlobals.run();
        a.cmp(Mem.of(RAX, Globals.FAULT), 0);
        a.jcc(Cond.NE, again);
        a.mov(Mem.of(RAX, Globals.FAULT), RDI);
        a.mov(RCX, Mem.of(RDX, UC_RIP));
        a.mov(Mem.of(RDX, UC_RDI), RDI);
        a.mov(Mem.of(RDX, UC_RSI), RCX);
        a.mov(Mem.of(RDX, UC_R15), RAX);
        a.movImm64(R9, faulted, 0);
        a.mov(Mem.of(RDX, UC_RIP), R9);
        a.ret();
        a.bind(again);
        a.mov(RDI, 2);
        a.movImm64(RSI, againMessage, 0);
        a.mov(RDX, FAULT_AGAIN.length);
        a.mov(RAX, 1); // write
        a.syscall();
        a.mov(RDI, NATIVE_FAULT_STATUS);
        a.mov(RAX, 231);
        a.syscall();
    }

    private static void faulted(Assembler a) {
        a.push(RSI);
        a.push(RBP);
        a.mov(RBP, RSP);
        a.push(STUB_MARKER);
        a.push(STUB_MARKER);
        a.shl(RDI, 1);
        a.or(RDI, 1);
        a.shl(RSI, 1);
        a.or(RSI, 1);
        a.movImm64(RAX, "class:Runtime", 0);
        a.push(RAX);
        a.push(RDI);
        a.push(RSI);
        callUnchecked(a, "Runtime class>>nativeFault:at:");
        a.mov(RDI, NATIVE_FAULT_STATUS);
        a.mov(RAX, 231);
        a.syscall();
    }

    /**
     * strun's fault handler, installed with sigaction over the JVM's own: a fault whose pc lies
     * in the code zone [codeStart, codeEnd) is Smalltalk's and is reported as in an executable;
     * any other goes on to the JVM's handler, whose address is in the word at
     * {@code previousHandlerCell} (HotSpot relies on SIGSEGV for null checks and safepoints).
     */
    public static Code emitHostedFaultHandler(int signal, long globals, long codeStart, long codeEnd, long previousHandlerCell) {
        Assembler a = new Assembler();
        List<Object[]> labels = new ArrayList<>();
        String faulted = "host:faulted:" + signal, again = "host:faultAgain:" + signal;
        stub(a, labels, "host:onFault:" + signal, () -> {
            Label chain = a.newLabel();
            a.mov(RAX, Mem.of(RDX, UC_RIP));
            a.movImm64(RCX, codeStart);
            a.cmp(RAX, RCX);
            a.jcc(Cond.B, chain);
            a.movImm64(RCX, codeEnd);
            a.cmp(RAX, RCX);
            a.jcc(Cond.AE, chain);
            onFault(a, () -> a.movImm64(RAX, globals), faulted, again);
            a.bind(chain);
            a.movImm64(RAX, previousHandlerCell);
            a.jmp(Mem.of(RAX));
        });
        stub(a, labels, faulted, () -> faulted(a));
        stub(a, labels, again, () -> a.bytes(FAULT_AGAIN));
        Assembled code = a.finish();
        List<Nativizer.Entry> entries = new ArrayList<>();
        for (Object[] l : labels) entries.add(new Nativizer.Entry((String) l[0], code.offsetOf((Label) l[1]), null));
        return new Code(code, entries);
    }

    private static final int SA_SIGINFO = 4, SA_ONSTACK = 0x08000000, SA_RESTORER = 0x04000000;
    /** The exit status after a native fault (as abort(3)'s 128 + SIGABRT, which no other path uses). */
    public static final int NATIVE_FAULT_STATUS = 134;
    private static final byte[] FAULT_AGAIN =
            "fatal: a native fault while reporting a native fault\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Offsets in the kernel's ucontext_t (x86-64): uc_mcontext.gregs at 40, REG_R15 7, RDI 8, RSI 9, RIP 16. */
    private static final int UC_R15 = 40 + 8 * 7, UC_RDI = 40 + 8 * 8, UC_RSI = 40 + 8 * 9, UC_RIP = 40 + 8 * 16;
    private static final int ALTERNATE_STACK = 64 * 1024;

    /** mmap a stack for the fault handler and sigaltstack it, from _start. */
    private static void installAlternateStack(Assembler a) {
        a.xor(RDI, RDI);
        a.mov(RSI, ALTERNATE_STACK);
        a.mov(RDX, 3);    // PROT_READ | PROT_WRITE
        a.mov(R10, 0x22); // MAP_PRIVATE | MAP_ANONYMOUS
        a.mov(R8, -1);
        a.xor(R9, R9);
        a.mov(RAX, 9);    // mmap
        a.syscall();
        a.sub(RSP, 32);
        a.mov(Mem.of(RSP, 0), RAX);
        a.mov(Mem.of(RSP, 8), 0);
        a.mov(Mem.of(RSP, 16), ALTERNATE_STACK);
        a.mov(RDI, RSP);
        a.xor(RSI, RSI);
        a.mov(RAX, 131);  // sigaltstack
        a.syscall();
        a.add(RSP, 32);
    }

    /** rt_sigaction(signal, {handler, flags, elf:sigreturn, no mask}, NULL, 8), from _start. */
    private static void installSignalHandler(Assembler a, int signal, String handler, int flags) {
        a.sub(RSP, 32);
        a.movImm64(RAX, handler, 0);
        a.mov(Mem.of(RSP, 0), RAX);
        a.mov(Mem.of(RSP, 8), flags); // never SA_RESTART, so that a blocked read returns at SIGINT
        a.movImm64(RAX, "elf:sigreturn", 0);
        a.mov(Mem.of(RSP, 16), RAX);
        a.mov(Mem.of(RSP, 24), 0);
        a.mov(RDI, signal);
        a.mov(RSI, RSP);
        a.xor(RDX, RDX);
        a.mov(R10, 8);
        a.mov(RAX, 13); // rt_sigaction
        a.syscall();
        a.add(RSP, 32);
    }

    private static void setGlobal(Assembler a, int offset, String symbol) {
        a.movImm64(RAX, symbol, 0);
        a.mov(Mem.of(R15, offset), RAX);
    }

    private static void stub(Assembler a, List<Object[]> labels, String name, Runnable body) {
        a.align(16);
        Label l = a.newLabel(name);
        a.bind(l);
        labels.add(new Object[] {name, l});
        body.run();
    }

    private static void callUnchecked(Assembler a, String method) {
        a.movImm64(RCX, method, RuntimeSymbols.UNCHECKED_OFFSET);
        a.call(RCX);
    }

    /**
     * {@code long entry(globals, stackTop, receiver, uncheckedEntry)} with the System V ABI: saves
     * the host's callee-saved registers and stack pointer, switches to the Smalltalk stack and
     * calls the method. The first Smalltalk frame saves rbp = 0, which ends the stack walk.
     */
    private static void entry(Assembler a) {
        a.push(RBX);
        a.push(RBP);
        a.push(R12);
        a.push(R13);
        a.push(R14);
        a.push(R15);
        a.mov(R15, RDI);
        a.mov(Mem.of(R15, Globals.NATIVE_RSP), RSP);
        a.mov(RSP, RSI);
        a.xor(RBP, RBP);
        a.push(RDX);
        a.mov(RAX, RDX);
        a.call(RCX);
        a.mov(Mem.of(R15, Globals.EXIT_CODE), RAX);
        a.mov(RSP, Mem.of(R15, Globals.NATIVE_RSP));
        restoreHost(a);
    }

    private static void restoreHost(Assembler a) {
        a.pop(R15);
        a.pop(R14);
        a.pop(R13);
        a.pop(R12);
        a.pop(RBP);
        a.pop(RBX);
        a.ret();
    }

    /** rax = the exit status (an oop): abandons the Smalltalk stack and returns from the entry stub. */
    private static void exitToHost(Assembler a) {
        a.mov(Mem.of(R15, Globals.EXIT_CODE), RAX);
        a.mov(RSP, Mem.of(R15, Globals.NATIVE_RSP));
        restoreHost(a);
    }

    /**
     * Entered from a checked entry whose class test failed, or from a send site's first call:
     * rax = receiver, r10 = selector, rdx = the site's send-cache cell (for a super send its first
     * slot holds the class where the lookup starts), [rsp] = the return address into the site,
     * the arguments above it. The Smalltalk lookup answers the
     * method (its native entry is set and the site re-patched), or nil when it handled the send
     * itself (doesNotUnderstand:) and left the result in this frame's receiver slot.
     */
    private static void sendMiss(Assembler a, boolean isSuper) {
        Label handled = a.newLabel(), lookup = a.newLabel();
        a.nop(); // send caches hold this address + 1
        if (!isSuper) probeMethodCache(a, lookup);
        a.bind(lookup);
        a.push(RBP);
        a.mov(RBP, RSP);
        a.push(STUB_MARKER);
        a.push(RAX);
        a.movImm64(RCX, "class:Runtime", 0);
        a.push(RCX);
        a.push(R10);
        a.push(RAX);
        a.shl(RDX, 1); // the cell's address, tagged: it lies in the image, which never moves
        a.or(RDX, 1);
        a.push(RDX);
        a.lea(RCX, Mem.of(RBP, 0));
        a.shl(RCX, 1);
        a.or(RCX, 1);
        a.push(RCX);
        int argc = 4;
        a.mov(RAX, Mem.of(RSP, 8 * argc));
        callUnchecked(a, isSuper ? RuntimeSymbols.SUPER_LOOKUP : RuntimeSymbols.LOOKUP);
        a.add(RSP, 8L * (argc + 1));
        a.movImm64(RCX, "heap:nil", 0);
        a.cmp(RAX, RCX);
        a.jcc(Cond.E, handled);
        a.mov(RCX, Mem.of(RAX, Layout.slotOffset(Layout.CM_NATIVE_ENTRY)));
        a.add(RCX, RuntimeSymbols.UNCHECKED_OFFSET - 1); // entry + 1 holds; jump to the unchecked entry
        a.mov(RAX, Mem.of(RBP, -16));
        a.mov(RSP, RBP);
        a.pop(RBP);
        a.jmp(RCX);
        a.bind(handled);
        a.mov(RAX, Mem.of(RBP, -16));
        a.mov(RSP, RBP);
        a.pop(RBP);
        a.ret();
    }

    /**
     * The global method cache probe of stub:sendMiss (Globals.METHOD_CACHE): on a hit the send's
     * cell is refilled with the receiver's class and the cached target, and the stub jumps to the
     * target's unchecked entry, with no frame and no Smalltalk; otherwise it goes on to
     * {@code lookup}. Sends without a cell (perform:, rdx = 0) always go on: their selector may be
     * a Symbol made at run time, which can move, so the lookup never caches it.
     */
    private static void probeMethodCache(Assembler a, Label lookup) {
        Label heap = a.newLabel(), classKnown = a.newLabel();
        a.test(RDX, RDX);
        a.jcc(Cond.E, lookup);
        // ecx := the receiver's class index (RUNTIME.md section 1)
        a.mov(Width.DWORD, RCX, RAX);
        a.and(Width.DWORD, RCX, 1);
        a.jcc(Cond.NE, classKnown);
        a.mov(Width.DWORD, RCX, RAX);
        a.and(Width.DWORD, RCX, 7);
        a.jcc(Cond.NE, classKnown);
        a.bind(heap);
        a.mov(Width.DWORD, RCX, Mem.of(RAX));
        a.and(Width.DWORD, RCX, ObjectModel.CLASS_INDEX_MASK);
        a.bind(classKnown);
        int mask = (Globals.METHOD_CACHE_ENTRIES - 1) << 3;
        a.mov(R8, R10);
        a.and(R8, mask);
        a.lea(R8, Mem.of(R8, RCX, 8, 0));
        a.and(R8, mask);
        a.shl(R8, 2); // 32-byte entries
        a.lea(R8, Mem.of(R15, R8, 1, Globals.METHOD_CACHE));
        a.cmp(R10, Mem.of(R8));
        a.jcc(Cond.NE, lookup);
        a.cmp(RCX, Mem.of(R8, 8));
        a.jcc(Cond.NE, lookup);
        a.lea(R9, Mem.of(RCX, RCX, 1, 1)); // the class index as a SmallInteger
        a.mov(Mem.of(RDX), R9);
        a.mov(R9, Mem.of(R8, 16));
        a.mov(Mem.of(RDX, 8), R9);
        a.add(R9, RuntimeSymbols.UNCHECKED_OFFSET - 1); // entry + 1 is cached; jump to the unchecked entry
        a.jmp(R9);
    }

    /** rcx = bytes wanted (raw). Answers rax = the address of that many fresh bytes, bumped. */
    private static void allocSlow(Assembler a) {
        a.push(RBP);
        a.mov(RBP, RSP);
        a.push(STUB_MARKER);
        a.push(STUB_MARKER);
        a.shl(RCX, 1);
        a.or(RCX, 1);
        a.movImm64(RAX, "class:Memory", 0);
        a.push(RAX);
        a.push(RCX);
        callUnchecked(a, RuntimeSymbols.COLLECT);
        a.sar(RAX, 1);
        a.mov(RSP, RBP);
        a.pop(RBP);
        a.ret();
    }

    /**
     * The write barrier's slow path (Nativizer.writeBarrier): rdx = an old object that now holds
     * a young pointer. Sets its remembered bit and appends it to the remembered set; a full set
     * is left full (the bit stays set) and the next scavenge rebuilds it from the bits
     * (Memory class>>rebuildRememberedSet). Preserves every register but the flags.
     */
    private static void remember(Assembler a) {
        Label full = a.newLabel();
        a.or(Width.DWORD, Mem.of(RDX), 1L << ObjectModel.REMEMBERED_BIT);
        a.push(RCX);
        a.mov(RCX, Mem.of(R15, Globals.REMEMBERED_NEXT));
        a.cmp(RCX, Mem.of(R15, Globals.REMEMBERED_LIMIT));
        a.jcc(Cond.AE, full);
        a.mov(Mem.of(RCX), RDX);
        a.add(RCX, 8);
        a.mov(Mem.of(R15, Globals.REMEMBERED_NEXT), RCX);
        a.bind(full);
        a.pop(RCX);
        a.ret();
    }

    /**
     * Called from a prologue or a loop back edge whose stack check failed: either the stack is
     * exhausted, or an interrupt is pending (Globals.INTERRUPT, with the limit set to all ones by
     * whoever asked). Hands over to Smalltalk, which reports it.
     */
    private static void stackOverflow(Assembler a) {
        Label overflow = a.newLabel(), rearm = a.newLabel(), done = a.newLabel();
        a.push(RBP);
        a.mov(RBP, RSP);
        a.push(STUB_MARKER);
        a.push(STUB_MARKER);
        a.cmp(Mem.of(R15, Globals.INTERRUPT), 0);
        a.jcc(Cond.E, overflow);
        // An interrupt: the normal limit is back (less the reserve, in case the stack is nearly
        // exhausted too), the request is taken, and Runtime class>>interrupted: gets its status.
        a.mov(RAX, Mem.of(R15, Globals.NORMAL_STACK_LIMIT));
        a.sub(RAX, STACK_RESERVE);
        a.mov(Mem.of(R15, Globals.STACK_LIMIT), RAX);
        a.mov(RCX, Mem.of(R15, Globals.INTERRUPT));
        a.mov(Mem.of(R15, Globals.INTERRUPT), 0);
        a.shl(RCX, 1);
        a.or(RCX, 1);
        a.movImm64(RAX, "class:Runtime", 0);
        a.push(RAX);
        a.push(RCX);
        callUnchecked(a, RuntimeSymbols.INTERRUPTED);
        a.mov(RAX, Mem.of(R15, Globals.NORMAL_STACK_LIMIT));
        a.mov(Mem.of(R15, Globals.STACK_LIMIT), RAX);
        a.jmp(rearm);
        a.bind(overflow);
        // Lend the handler the reserve below the limit, or its own prologue would overflow again.
        a.sub(Mem.of(R15, Globals.STACK_LIMIT), STACK_RESERVE);
        a.movImm64(RAX, "class:Runtime", 0);
        a.push(RAX);
        callUnchecked(a, RuntimeSymbols.STACK_OVERFLOWED);
        a.add(Mem.of(R15, Globals.STACK_LIMIT), STACK_RESERVE);
        a.bind(rearm);
        armPendingInterrupt(a, done);
        a.bind(done);
        a.mov(RSP, RBP);
        a.pop(RBP);
        a.ret();
    }

    /**
     * Code that has just put the stack limit back must not lose an interrupt requested meanwhile
     * (or deferred by Runtime class>>interrupted:): set the limit to all ones again if one is pending.
     */
    private static void armPendingInterrupt(Assembler a, Label done) {
        a.cmp(Mem.of(R15, Globals.INTERRUPT), 0);
        a.jcc(Cond.E, done);
        a.mov(Mem.of(R15, Globals.STACK_LIMIT), -1);
    }

    /**
     * rax = the value, rdx = the closure. Walks the frame chain for the closure's home frame; if
     * it is live, returns the value from it, else asks Smalltalk to signal BlockCannotReturn.
     */
    private static void nonLocalReturn(Assembler a) {
        Label loop = a.newLabel(), found = a.newLabel(), dead = a.newLabel();
        a.mov(RCX, Mem.of(RDX, Layout.slotOffset(Layout.BC_HOME)));
        a.sar(RCX, 1);
        a.mov(R8, RBP);
        a.bind(loop);
        a.test(R8, R8);
        a.jcc(Cond.E, dead);
        a.cmp(R8, RCX);
        a.jcc(Cond.E, found);
        a.mov(R8, Mem.of(R8));
        a.jmp(loop);
        a.bind(found);
        // The frame at that address must still be an activation of the block's home method.
        a.mov(R9, Mem.of(RDX, Layout.slotOffset(Layout.BC_BLOCK)));
        a.mov(R9, Mem.of(R9, Layout.slotOffset(Layout.CB_OUTER)));
        a.cmp(R9, Mem.of(RCX, -8));
        a.jcc(Cond.NE, dead);
        // Run the ensure: blocks of the frames being cut (Runtime class>>unwindTo:), then return
        // the value from the home frame.
        a.push(RBP);
        a.mov(RBP, RSP);
        a.push(STUB_MARKER);
        a.push(RAX);
        a.push(RDX);
        a.movImm64(R8, "class:Runtime", 0);
        a.push(R8);
        a.shl(RCX, 1);
        a.or(RCX, 1);
        a.push(RCX);
        a.mov(RAX, R8);
        callUnchecked(a, RuntimeSymbols.UNWIND);
        a.mov(RAX, Mem.of(RBP, -16));
        a.mov(RDX, Mem.of(RBP, -24));
        a.mov(RCX, Mem.of(RDX, Layout.slotOffset(Layout.BC_HOME)));
        a.sar(RCX, 1);
        a.mov(RSP, RCX);
        // The frames left behind may have been handling a stack overflow: the limit is back.
        a.mov(R8, Mem.of(R15, Globals.NORMAL_STACK_LIMIT));
        a.mov(Mem.of(R15, Globals.STACK_LIMIT), R8);
        Label returnNow = a.newLabel();
        armPendingInterrupt(a, returnNow);
        a.bind(returnNow);
        a.pop(RBP);
        a.ret();
        a.bind(dead);
        a.push(RBP);
        a.mov(RBP, RSP);
        a.push(STUB_MARKER);
        a.push(RDX);
        a.movImm64(RCX, "class:Runtime", 0);
        a.push(RCX);
        a.push(RAX);
        a.push(RDX);
        a.mov(RAX, Mem.of(RSP, 16));
        callUnchecked(a, RuntimeSymbols.CANNOT_RETURN);
        a.mov(RSP, RBP);
        a.pop(RBP);
        // back in the block's frame: return the handler's answer from the block
        a.mov(RSP, RBP);
        a.pop(RBP);
        a.ret();
    }

    /**
     * rax = a CompiledMethod. Switches to the host's native stack, calls the nativizer upcall
     * {@code long jit(long method)} and switches back. rbx (callee-saved in the host ABI, unused by
     * Smalltalk code) keeps the Smalltalk stack pointer meanwhile.
     */
    private static void jitTrampoline(Assembler a) {
        a.mov(RBX, RSP);
        a.mov(RSP, Mem.of(R15, Globals.NATIVE_RSP));
        a.and(RSP, -16);
        a.mov(RDI, RAX);
        a.call(Mem.of(R15, Globals.JIT_UPCALL));
        a.mov(RSP, RBX);
        a.ret();
    }
}
