package stjit.x64;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static stjit.x64.Reg.*;

/**
 * Runs assembled code on the CPU (System V calling convention: arguments in rdi, rsi, rdx, rcx,
 * r8, r9; result in rax or xmm0; rbx, rbp, r12-r15 preserved) and checks what it computes.
 */
class ExecutionTest {

    @BeforeAll static void onlyOnLinuxX64() { assumeTrue(CpuCode.supported(), "needs Linux on x86-64"); }

    static long run(Consumer<Assembler> body, long... args) throws Throwable {
        Assembler a = new Assembler();
        body.accept(a);
        try (CpuCode code = new CpuCode(a.finish())) {
            return code.call(args);
        }
    }

    @Test void recursiveFibonacciWithLabelsAndCalls() throws Throwable {
        long fib = run(a -> {
            Label fn = a.newLabel(), base = a.newLabel();
            a.call(fn);
            a.ret();
            a.align(16);
            a.bind(fn);                 // rax = fib(rdi)
            a.cmp(RDI, 2);
            a.jcc(Cond.L, base);
            a.push(RBX);
            a.push(RDI);
            a.dec(RDI);
            a.call(fn);
            a.mov(RBX, RAX);
            a.pop(RDI);
            a.sub(RDI, 2);
            a.call(fn);
            a.add(RAX, RBX);
            a.pop(RBX);
            a.ret();
            a.bind(base);
            a.mov(RAX, RDI);
            a.ret();
        }, 20);
        assertEquals(6765, fib);
    }

    @Test void longLoopBodiesForceNearJumpsThatStillWork() throws Throwable {
        // sum of 1..n with 300 bytes of nops inside the loop: both jumps must be rel32.
        long sum = run(a -> {
            Label top = a.newLabel(), done = a.newLabel();
            a.xor(RAX, RAX);
            a.bind(top);
            a.test(RDI, RDI);
            a.jcc(Cond.E, done);
            a.nop(300);
            a.add(RAX, RDI);
            a.dec(RDI);
            a.jmp(top);
            a.bind(done);
            a.ret();
        }, 1000);
        assertEquals(500500, sum);
    }

    @Test void divisionRemainderAndOverflowFlag() throws Throwable {
        Consumer<Assembler> divmod = a -> {      // (rdi / rsi) * 1000 + (rdi % rsi), signed
            a.mov(RAX, RDI);
            a.cqo();
            a.idiv(RSI);
            a.imul(RAX, RAX, 1000);
            a.add(RAX, RDX);
            a.ret();
        };
        assertEquals(14 * 1000 + 2, run(divmod, 100, 7));
        assertEquals(-14 * 1000 - 2, run(divmod, -100, 7));
        Consumer<Assembler> overflows = a -> {   // 1 if rdi * rsi overflows 64 bits
            a.mov(RAX, RDI);
            a.imul(RAX, RSI);
            a.setcc(Cond.O, RAX);
            a.movzx(RAX, Width.BYTE, RAX);
            a.ret();
        };
        assertEquals(0, run(overflows, 1L << 31, 1L << 31));
        assertEquals(1, run(overflows, 1L << 32, 1L << 31));
    }

    @Test void shiftsAndTagging() throws Throwable {
        Consumer<Assembler> tagged = a -> {      // SmallInteger-style: ((rdi << 1) | 1) then untag with sar
            a.lea(RAX, Mem.of(null, RDI, 2, 1));
            a.mov(RCX, RSI);
            a.shlCl(RAX);
            a.sar(RAX, 1);
            a.ret();
        };
        assertEquals((-21L << 1 | 1) << 3 >> 1, run(tagged, -21, 3));
        assertEquals(-1L >>> 60, run(a -> { a.mov(RAX, RDI); a.shr(RAX, 60); a.ret(); }, -1));
        assertEquals(Long.rotateLeft(0x8000_0000_0000_0001L, 4), run(a -> { a.mov(RAX, RDI); a.rol(RAX, 4); a.ret(); }, 0x8000_0000_0000_0001L));
    }

    @Test void everyRegisterCarriesAValue() throws Throwable {
        // Thread the argument through every general register (saving the callee-saved ones),
        // adding the register number at each step.
        long r = run(a -> {
            Reg[] saved = {RBX, RBP, R12, R13, R14, R15};
            for (Reg s : saved) a.push(s);
            Reg prev = RDI;
            for (Reg reg : Reg.values()) {
                if (reg == RSP || reg == RDI) continue;
                a.lea(reg, Mem.of(prev, reg.code()));
                prev = reg;
            }
            a.mov(RAX, prev);
            for (int i = saved.length - 1; i >= 0; i--) a.pop(saved[i]);
            a.ret();
        }, 1000);
        long expected = 1000;
        for (Reg reg : Reg.values()) if (reg != RSP && reg != RDI) expected += reg.code();
        assertEquals(expected, r);
    }

    @Test void memoryOperandsWithEveryAddressingShape() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256, 16);
            for (int i = 0; i < 32; i++) buf.setAtIndex(ValueLayout.JAVA_LONG, i, i * 11L);
            long addr = buf.address();
            // r12 as base (SIB), r13 as base (disp8 0), r12 as index, rsp-relative, byte loads.
            long r = run(a -> {
                a.push(R12);
                a.push(R13);
                a.mov(R12, RDI);
                a.mov(R13, RDI);
                a.mov(RAX, Mem.of(R12));                     // [0] = 0
                a.add(RAX, Mem.of(R13));                     // + 0
                a.add(RAX, Mem.of(R12, 8 * 3));              // + 33
                a.mov(RCX, 5);
                a.add(RAX, Mem.of(R13, RCX, 8, 8));          // [6] = 66
                a.mov(R12, 2);
                a.add(RAX, Mem.of(RDI, R12, 8, 8 * 20));     // [22] = 242
                a.push(RAX);
                a.add(RAX, Mem.of(RSP));                     // doubles it
                a.pop(RCX);
                a.movsx(RCX, Width.BYTE, Mem.of(RDI, 8 * 31)); // low byte of 341 = 0x55
                a.add(RAX, RCX);
                a.mov(Mem.of(RDI, 8 * 31), RAX);             // store back
                a.pop(R13);
                a.pop(R12);
                a.ret();
            }, addr);
            long expected = 2 * (33 + 66 + 242) + 0x55;
            assertEquals(expected, r);
            assertEquals(expected, buf.getAtIndex(ValueLayout.JAVA_LONG, 31));
        }
    }

    @Test void ripRelativeDataAndConditionalMoves() throws Throwable {
        long r = run(a -> {
            Label table = a.newLabel();
            a.lea(RCX, Mem.rip(table));
            a.mov(RAX, Mem.of(RCX, RDI, 8, 0));          // table[rdi]
            a.cmp(RAX, Mem.rip(table));                 // vs table[0]
            a.cmov(Cond.L, RAX, RSI);                   // smaller than table[0]: take rsi
            a.ret();
            a.align(8);
            a.bind(table);
            a.dq(50);
            a.dq(70);
            a.dq(30);
        }, 1, -1);
        assertEquals(70, r);
    }

    @Test void atomicsAndBitInstructions() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cell = arena.allocate(8, 8);
            cell.set(ValueLayout.JAVA_LONG, 0, 5);
            Consumer<Assembler> cas = a -> {            // if [rdi] == rsi then [rdi] = rdx; return old [rdi]
                a.mov(RAX, RSI);
                a.lockCmpxchg(Mem.of(RDI), RDX);
                a.ret();
            };
            assertEquals(5, run(cas, cell.address(), 5, 9));
            assertEquals(9, cell.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(9, run(cas, cell.address(), 5, 1));
            assertEquals(9, cell.get(ValueLayout.JAVA_LONG, 0));
            // old value 9 comes back in rax, memory becomes 13: 9 + 13
            assertEquals(22, run(a -> { a.mov(RAX, 4); a.lockXadd(Mem.of(RDI), RAX); a.add(RAX, Mem.of(RDI)); a.ret(); },
                    cell.address()));
        }
        assertEquals(1, run(a -> { a.xor(RAX, RAX); a.bt(RDI, 40); a.setcc(Cond.B, RAX); a.ret(); }, 1L << 40));
        assertEquals(0x1_0000_0100L, run(a -> { a.mov(RAX, RDI); a.bts(RAX, 32); a.btr(RAX, 0); a.ret(); }, 0x101));
        assertEquals(63, run(a -> { a.bsr(RAX, RDI); a.ret(); }, Long.MIN_VALUE));
        assertEquals(4, run(a -> { a.bsf(RAX, RDI); a.ret(); }, 0x30));
        assertEquals(0x22, run(a -> { a.mov(RAX, RDI); a.xchg(RAX, RSI); a.ret(); }, 0x11, 0x22));
        assumeTrue(cpuHas("popcnt"), "no popcnt");
        assertEquals(Long.bitCount(0xF0F0_1234L), run(a -> { a.popcnt(RAX, RDI); a.ret(); }, 0xF0F0_1234L));
    }

    @Test void doubleArithmetic() throws Throwable {
        Assembler a = new Assembler();
        // double f(long x, double y) = sqrt(x * x + y) / 2, rounded down with cvttsd2si on the side
        a.cvtsi2sd(Xmm.XMM1, RDI);
        a.mulsd(Xmm.XMM1, Xmm.XMM1);
        a.addsd(Xmm.XMM1, Xmm.XMM0);
        a.sqrtsd(Xmm.XMM1, Xmm.XMM1);
        a.mov(RAX, 2);
        a.cvtsi2sd(Xmm.XMM2, RAX);
        a.divsd(Xmm.XMM1, Xmm.XMM2);
        a.movq(RAX, Xmm.XMM1);                  // round-trip through a general register
        a.movq(Xmm.XMM0, RAX);
        a.ret();
        try (CpuCode code = new CpuCode(a.finish())) {
            var f = code.function(0, FunctionDescriptor.of(ValueLayout.JAVA_DOUBLE, ValueLayout.JAVA_LONG, ValueLayout.JAVA_DOUBLE));
            assertEquals(Math.sqrt(3.0 * 3 + 16) / 2, (double) f.invokeExact(3L, 16.0));
        }
        assertEquals(-7, run(b -> { b.cvtsi2sd(Xmm.XMM0, RDI); b.cvttsd2si(RAX, Xmm.XMM0); b.ret(); }, -7));
        assertEquals(1, run(b -> {          // ucomisd: 2.5 > 1.5 sets "above"
            b.mov(RAX, Double.doubleToRawLongBits(2.5));
            b.movq(Xmm.XMM0, RAX);
            b.mov(RAX, Double.doubleToRawLongBits(1.5));
            b.movq(Xmm.XMM1, RAX);
            b.xor(RAX, RAX);
            b.ucomisd(Xmm.XMM0, Xmm.XMM1);
            b.setcc(Cond.A, RAX);
            b.ret();
        }));
    }

    @Test void relocationsResolvedToSymbolsInsideTheBlock() throws Throwable {
        // "helper" is called through a REL32 relocation and its address loaded through an ABS64
        // one; both resolve to a label of the same block, the way a loader would.
        Assembler a = new Assembler();
        Label helper = a.newLabel();
        a.call("helper");                      // rax = rdi * 3
        a.movImm64(RCX, "helper", 0);
        a.push(RAX);
        a.call(RCX);                           // again, indirectly: rax = rdi * 3
        a.pop(RCX);
        a.add(RAX, RCX);
        a.ret();
        a.bind(helper);
        a.imul(RAX, RDI, 3);
        a.ret();
        Assembled code = a.finish();
        int helperOffset = code.offsetOf(helper);
        try (CpuCode c = new CpuCode(code, base -> name -> base + helperOffset)) {
            assertEquals(6 * 7, c.call(7));
        }
    }

    static boolean cpuHas(String flag) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (line.startsWith("flags") && (" " + line + " ").contains(" " + flag + " ")) return true;
        } catch (java.io.IOException e) {
            return false;
        }
        return false;
    }
}
