package stjit.x64;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static stjit.x64.Cond.*;
import static stjit.x64.Reg.*;
import static stjit.x64.Width.*;
import static stjit.x64.Xmm.*;

/**
 * Every instruction form the assembler offers, with the Intel text it must mean. Each case is
 * checked three ways: its encoding (where the shortest form matters), our disassembler's text,
 * and GNU objdump's text for the same bytes.
 */
class InstructionFormsTest {

    /** @param longForm a deliberately longer encoding than GNU as would choose (patchable sites) */
    record Case(String text, String hex, Consumer<Assembler> emit, boolean longForm) {}

    static final List<Case> CASES = new ArrayList<>();

    /** A case whose bytes are also pinned (to check the shortest encoding is chosen). */
    static void c(String text, String hex, Consumer<Assembler> emit) { CASES.add(new Case(text, hex, emit, false)); }

    static void c(String text, Consumer<Assembler> emit) { CASES.add(new Case(text, null, emit, false)); }

    static void longForm(String text, String hex, Consumer<Assembler> emit) { CASES.add(new Case(text, hex, emit, true)); }

    static {
        // mov
        c("mov rax,rbx", "4889d8", a -> a.mov(RAX, RBX));
        c("mov r15,r8", "4d89c7", a -> a.mov(R15, R8));
        c("mov r9d,r10d", "4589d1", a -> a.mov(DWORD, R9, R10));
        c("mov ax,r8w", "664489c0", a -> a.mov(WORD, RAX, R8));
        c("mov sil,dil", "4088fe", a -> a.mov(BYTE, RSI, RDI));
        c("mov al,bl", "88d8", a -> a.mov(BYTE, RAX, RBX));
        c("mov r11b,spl", "4188e3", a -> a.mov(BYTE, R11, RSP));
        c("mov rax,QWORD PTR [rbx+0x8]", "488b4308", a -> a.mov(RAX, Mem.of(RBX, 8)));
        c("mov QWORD PTR [rbx+0x8],rax", "48894308", a -> a.mov(Mem.of(RBX, 8), RAX));
        c("mov ecx,DWORD PTR [rdi]", a -> a.mov(DWORD, RCX, Mem.of(RDI)));
        c("mov WORD PTR [rdi-0x2],r9w", a -> a.mov(WORD, Mem.of(RDI, -2), R9));
        c("mov BYTE PTR [rdi+rcx*1],sil", a -> a.mov(BYTE, Mem.of(RDI, RCX, 1, 0), RSI));
        c("mov dl,BYTE PTR [rdi+0x10]", a -> a.mov(BYTE, RDX, Mem.of(RDI, 16)));
        c("mov eax,0x5", "b805000000", a -> a.mov(RAX, 5));
        c("mov eax,0x0", a -> a.mov(RAX, 0));
        c("mov r10d,0xffffffff", "41baffffffff", a -> a.mov(R10, 0xFFFF_FFFFL));
        c("mov rax,0xffffffffffffffff", "48c7c0ffffffff", a -> a.mov(RAX, -1));
        c("mov r12,0xffffffff80000000", a -> a.mov(R12, Integer.MIN_VALUE));
        c("movabs rax,0x123456789", "48b88967452301000000", a -> a.mov(RAX, 0x1_2345_6789L));
        c("movabs r13,0x8000000000000000", a -> a.mov(R13, Long.MIN_VALUE));
        c("movabs rcx,0x5", "48b90500000000000000", a -> a.movImm64(RCX, 5));
        c("mov sil,0xff", "40b6ff", a -> a.mov(BYTE, RSI, 0xFF));
        c("mov r9w,0xffff", a -> a.mov(WORD, R9, -1));
        c("mov r8d,0x10", a -> a.mov(DWORD, R8, 16));
        c("mov QWORD PTR [rax+0x8],0xffffffffffffffff", a -> a.mov(Mem.of(RAX, 8), -1));
        c("mov DWORD PTR [rax+0x8],0xfffffffe", a -> a.mov(DWORD, Mem.of(RAX, 8), -2));
        c("mov WORD PTR [rax+0x8],0x1234", a -> a.mov(WORD, Mem.of(RAX, 8), 0x1234));
        c("mov BYTE PTR [r12],0x7f", a -> a.mov(BYTE, Mem.of(R12), 0x7f));
        c("movzx eax,sil", "400fb6c6", a -> a.movzx(RAX, BYTE, RSI));
        c("movzx r9d,BYTE PTR [r10+0x3]", a -> a.movzx(R9, BYTE, Mem.of(R10, 3)));
        c("movzx eax,WORD PTR [rax]", a -> a.movzx(RAX, WORD, Mem.of(RAX)));
        c("movzx ecx,dx", a -> a.movzx(RCX, WORD, RDX));
        c("movsx rax,BYTE PTR [rax]", a -> a.movsx(RAX, BYTE, Mem.of(RAX)));
        c("movsx r8,bpl", a -> a.movsx(R8, BYTE, RBP));
        c("movsx rdx,WORD PTR [rsi+0x2]", a -> a.movsx(RDX, WORD, Mem.of(RSI, 2)));
        c("movsxd rax,ecx", "4863c1", a -> a.movsxd(RAX, RCX));
        c("movsxd r14,DWORD PTR [r15+0x4]", a -> a.movsx(R14, DWORD, Mem.of(R15, 4)));
        c("lea rax,[rbx+rcx*8+0x10]", "488d44cb10", a -> a.lea(RAX, Mem.of(RBX, RCX, 8, 16)));
        c("lea r8,[r13+0x0]", a -> a.lea(R8, Mem.of(R13)));
        c("lea eax,[rdi-0x1]", a -> a.lea(DWORD, RAX, Mem.of(RDI, -1)));
        c("xchg rcx,rax", "4891", a -> a.xchg(RAX, RCX));
        c("xchg r9,rax", "4991", a -> a.xchg(R9, RAX));
        c("xchg r8d,eax", "4190", a -> a.xchg(DWORD, RAX, R8));
        c("xchg dx,ax", "6692", a -> a.xchg(WORD, RDX, RAX));
        c("xchg rax,rax", "4887c0", a -> a.xchg(RAX, RAX));
        c("xchg eax,eax", "87c0", a -> a.xchg(DWORD, RAX, RAX));
        c("xchg bl,al", a -> a.xchg(BYTE, RBX, RAX));
        c("xchg QWORD PTR [rax],rax", a -> a.xchg(QWORD, Mem.of(RAX), RAX));
        c("xchg rdx,rcx", a -> a.xchg(RDX, RCX));
        c("xchg QWORD PTR [rsp],r11", a -> a.xchg(QWORD, Mem.of(RSP), R11));

        // two-operand arithmetic, every operation, every operand shape
        String[] alu = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
        for (String op : alu) {
            c(op + " rax,rbx", a -> alu(a, op, QWORD, RAX, RBX));
            c(op + " r12,r13", a -> alu(a, op, QWORD, R12, R13));
            c(op + " ecx,edx", a -> alu(a, op, DWORD, RCX, RDX));
            c(op + " si,di", a -> alu(a, op, WORD, RSI, RDI));
            c(op + " dil,r9b", a -> alu(a, op, BYTE, RDI, R9));
            c(op + " rax,QWORD PTR [rsp+0x10]", a -> alu(a, op, QWORD, RAX, Mem.of(RSP, 16)));
            c(op + " QWORD PTR [rbp-0x18],r10", a -> alu(a, op, QWORD, Mem.of(RBP, -24), R10));
            c(op + " rax,0x1", a -> aluImm(a, op, QWORD, RAX, 1));
            c(op + " rax,0x1000", a -> aluImm(a, op, QWORD, RAX, 0x1000));
            c(op + " r11,0xffffffffffffff80", a -> aluImm(a, op, QWORD, R11, -128));
            c(op + " rcx,0x80", a -> aluImm(a, op, QWORD, RCX, 128));
            c(op + " ecx,0xffffffff", a -> aluImm(a, op, DWORD, RCX, -1));
            c(op + " eax,0x12345678", a -> aluImm(a, op, DWORD, RAX, 0x12345678));
            c(op + " cx,0x1234", a -> aluImm(a, op, WORD, RCX, 0x1234));
            c(op + " spl,0x7", a -> aluImm(a, op, BYTE, RSP, 7));
            c(op + " QWORD PTR [r12+0x8],0x3", a -> aluImm(a, op, QWORD, Mem.of(R12, 8), 3));
            c(op + " DWORD PTR [rax],0x10000", a -> aluImm(a, op, DWORD, Mem.of(RAX), 0x10000));
            c(op + " BYTE PTR [rax+rbx*2+0x1],0xff", a -> aluImm(a, op, BYTE, Mem.of(RAX, RBX, 2, 1), 0xFF));
        }
        c("add rax,0x1", "4883c001", a -> a.add(RAX, 1));
        c("add rax,0x1000", "480500100000", a -> a.add(RAX, 0x1000));
        c("add rcx,0x1000", "4881c100100000", a -> a.add(RCX, 0x1000));
        c("sub rsp,0x80", "4881ec80000000", a -> a.sub(RSP, 128));
        c("cmp al,0x64", "3c64", a -> a.cmp(BYTE, RAX, 100));
        longForm("cmp eax,0x1", "81f801000000", a -> a.cmpImm32(DWORD, RAX, 1));
        longForm("cmp DWORD PTR [rax-0x4],0x7", "8178fc07000000", a -> a.cmpImm32(DWORD, Mem.of(RAX, -4), 7));
        longForm("cmp QWORD PTR [rip+0x0],0xffffffffffffffff # 0xb", "48813d00000000ffffffff", a -> a.cmpImm32(QWORD, Mem.rip("x"), -1));
        c("and ax,0xff", "6625ff00", a -> a.and(WORD, RAX, 0xFF));
        c("and ax,0x7f", "6683e07f", a -> a.and(WORD, RAX, 0x7F));
        c("cmp r8,0xffffffffffffff80", "4983f880", a -> a.cmp(R8, -128));

        c("test rax,rax", "4885c0", a -> a.test(RAX, RAX));
        c("test r9d,r10d", a -> a.test(DWORD, R9, R10));
        c("test QWORD PTR [rdi],rsi", a -> a.test(QWORD, Mem.of(RDI), RSI));
        c("test al,0x1", "a801", a -> a.test(BYTE, RAX, 1));
        c("test sil,0x1", "40f6c601", a -> a.test(BYTE, RSI, 1));
        c("test r10b,0x3", a -> a.test(BYTE, R10, 3));
        c("test rcx,0x1", a -> a.test(RCX, 1));
        c("test rax,0x100", "48a900010000", a -> a.test(RAX, 0x100));
        c("test eax,0x7", a -> a.test(DWORD, RAX, 7));
        c("test BYTE PTR [rax+0x1],0x80", a -> a.test(BYTE, Mem.of(RAX, 1), 0x80));
        c("test QWORD PTR [rbx],0xffffffffffffff00", a -> a.test(Mem.of(RBX), -256));

        // one-operand
        c("not rax", a -> a.not(RAX));
        c("neg r15", a -> a.neg(R15));
        c("neg DWORD PTR [rax]", a -> a.neg(DWORD, Mem.of(RAX)));
        c("not bpl", a -> a.not(BYTE, RBP));
        c("mul rcx", a -> a.mul(RCX));
        c("imul r8", a -> a.imul(R8));
        c("div r9", a -> a.div(R9));
        c("idiv rcx", "48f7f9", a -> a.idiv(RCX));
        c("idiv QWORD PTR [rsp+0x8]", a -> a.idiv(QWORD, Mem.of(RSP, 8)));
        c("idiv ecx", a -> a.idiv(DWORD, RCX));
        c("inc rax", "48ffc0", a -> a.inc(RAX));
        c("dec r13", a -> a.dec(R13));
        c("inc DWORD PTR [rip+0x0] # 0x6", a -> a.inc(DWORD, Mem.rip("counter")));
        c("dec BYTE PTR [rbx]", a -> a.dec(BYTE, Mem.of(RBX)));
        c("inc QWORD PTR [r12+r13*4+0x100]", a -> a.inc(QWORD, Mem.of(R12, R13, 4, 0x100)));
        c("imul rax,rbx", "480fafc3", a -> a.imul(RAX, RBX));
        c("imul r9,QWORD PTR [r10+0x8]", a -> a.imul(R9, Mem.of(R10, 8)));
        c("imul ecx,edx", a -> a.imul(DWORD, RCX, RDX));
        c("imul rax,rbx,0xfffffffffffffff0", "486bc3f0", a -> a.imul(RAX, RBX, -16));
        c("imul rax,QWORD PTR [rbx],0x3e8", a -> a.imul(RAX, Mem.of(RBX), 1000));
        c("imul r14d,r15d,0x12345", a -> a.imul(DWORD, R14, R15, 0x12345));
        c("cqo", "4899", Assembler::cqo);
        c("cdq", "99", Assembler::cdq);
        c("cdqe", "4898", Assembler::cdqe);

        // shifts
        String[] shifts = {"shl", "shr", "sar", "rol", "ror"};
        for (String op : shifts) {
            c(op + " rax,1", a -> shift(a, op, QWORD, RAX, 1));
            c(op + " r10,0x3", a -> shift(a, op, QWORD, R10, 3));
            c(op + " edx,0x1f", a -> shift(a, op, DWORD, RDX, 31));
            c(op + " dil,0x2", a -> shift(a, op, BYTE, RDI, 2));
            c(op + " QWORD PTR [rax+0x8],0x4", a -> shift(a, op, QWORD, Mem.of(RAX, 8), 4));
        }
        c("shl rax,cl", a -> a.shlCl(RAX));
        c("shr r9,cl", a -> a.shrCl(R9));
        c("sar r12,cl", "49d3fc", a -> a.sarCl(R12));
        c("sar DWORD PTR [rbx],cl", a -> a.sarCl(DWORD, Mem.of(RBX)));
        c("shl al,cl", a -> a.shlCl(BYTE, RAX));

        // bits and atomics
        c("bt rax,0x3", a -> a.bt(RAX, 3));
        c("bt r8,0x3f", a -> a.bt(R8, 63));
        c("bt rax,rcx", a -> a.bt(RAX, RCX));
        c("bt QWORD PTR [rdi],rsi", a -> a.bt(Mem.of(RDI), RSI));
        c("bts rax,rcx", a -> a.bts(RAX, RCX));
        c("bts QWORD PTR [r8+0x8],0x5", a -> a.bts(Mem.of(R8, 8), 5));
        c("btr r10,r11", a -> a.btr(R10, R11));
        c("btr rax,0x3f", a -> a.btr(RAX, 63));
        c("btc QWORD PTR [rsp],rdx", a -> a.btc(Mem.of(RSP), RDX));
        c("btc r15,0x0", a -> a.btc(R15, 0));
        c("bsr rax,rbx", "480fbdc3", a -> a.bsr(RAX, RBX));
        c("bsf r9,QWORD PTR [rdi]", a -> a.bsf(R9, Mem.of(RDI)));
        c("popcnt rax,r12", "f3490fb8c4", a -> a.popcnt(RAX, R12));
        c("lzcnt rcx,rdx", a -> a.lzcnt(RCX, RDX));
        c("tzcnt r8,QWORD PTR [rax+0x10]", a -> a.tzcnt(R8, Mem.of(RAX, 16)));
        c("cld", "fc", Assembler::cld);
        c("leave", "c9", Assembler::leave);
        c("clc", "f8", Assembler::clc);
        c("stc", "f9", Assembler::stc);
        c("cmc", "f5", Assembler::cmc);
        c("lfence", "0faee8", Assembler::lfence);
        c("sfence", "0faef8", Assembler::sfence);
        c("cpuid", "0fa2", Assembler::cpuid);
        c("bswap rax", "480fc8", a -> a.bswap(RAX));
        c("bswap r13", a -> a.bswap(R13));
        c("bswap r9d", a -> a.bswap(DWORD, R9));
        c("shld rax,rdx,0x3", a -> a.shld(RAX, RDX, 3));
        c("shld QWORD PTR [rdi+0x8],r8,0x3f", a -> a.shld(Mem.of(RDI, 8), R8, 63));
        c("shrd r10,r11,0x1", a -> a.shrd(R10, R11, 1));
        c("shld rax,rdx,cl", a -> a.shldCl(RAX, RDX));
        c("shrd QWORD PTR [rsp],rcx,cl", a -> a.shrdCl(Mem.of(RSP), RCX));
        c("rdtsc", "0f31", Assembler::rdtsc);
        c("lock cmpxchg QWORD PTR [rdi],rsi", "f0480fb137", a -> a.lockCmpxchg(Mem.of(RDI), RSI));
        c("lock cmpxchg QWORD PTR [r8+0x8],r9", a -> a.lockCmpxchg(Mem.of(R8, 8), R9));
        c("lock xadd QWORD PTR [rdi],rax", a -> a.lockXadd(Mem.of(RDI), RAX));

        // condition codes: every condition
        for (Cond cc : Cond.values()) {
            String s = cc.suffix();
            c("set" + s + " al", a -> a.setcc(cc, RAX));
            c("set" + s + " sil", a -> a.setcc(cc, RSI));
            c("set" + s + " r11b", a -> a.setcc(cc, R11));
            c("set" + s + " BYTE PTR [rbx]", a -> a.setcc(cc, Mem.of(RBX)));
            c("cmov" + s + " rax,rbx", a -> a.cmov(cc, RAX, RBX));
            c("cmov" + s + " r9,QWORD PTR [r10]", a -> a.cmov(cc, R9, Mem.of(R10)));
            c("cmov" + s + " ecx,edx", a -> a.cmov(DWORD, cc, RCX, RDX));
        }

        // stack
        c("push rax", "50", a -> a.push(RAX));
        c("push rbp", "55", a -> a.push(RBP));
        c("push r12", "4154", a -> a.push(R12));
        c("push r15", a -> a.push(R15));
        c("pop rbp", "5d", a -> a.pop(RBP));
        c("pop r13", "415d", a -> a.pop(R13));
        c("push 0xffffffffffffffff", "6aff", a -> a.push(-1));
        c("push 0x7f", a -> a.push(127));
        c("push 0x1000", "6800100000", a -> a.push(0x1000));
        c("push 0xffffffff80000000", a -> a.push(Integer.MIN_VALUE));
        c("push QWORD PTR [rax+0x8]", "ff7008", a -> a.push(Mem.of(RAX, 8)));
        c("push QWORD PTR [r13+0x0]", a -> a.push(Mem.of(R13)));
        c("pop QWORD PTR [rax]", "8f00", a -> a.pop(Mem.of(RAX)));
        c("pop QWORD PTR [r9+0x10]", a -> a.pop(Mem.of(R9, 16)));

        // control flow without labels (label forms are in AssemblerTest)
        c("call 0x5", "e800000000", a -> a.call("runtime_lookup"));
        c("jmp 0x5", "e900000000", a -> a.jmp("runtime_stub"));
        c("jne 0x6", "0f8500000000", a -> a.jcc(NE, "runtime_stub"));
        c("call rax", "ffd0", a -> a.call(RAX));
        c("call r11", "41ffd3", a -> a.call(R11));
        c("call QWORD PTR [rax+0x18]", a -> a.call(Mem.of(RAX, 0x18)));
        c("call QWORD PTR [rip+0x0] # 0x6", a -> a.call(Mem.rip("__imp_ExitProcess")));
        c("jmp rax", "ffe0", a -> a.jmp(RAX));
        c("jmp r15", a -> a.jmp(R15));
        c("jmp QWORD PTR [rbx+rcx*8]", a -> a.jmp(Mem.of(RBX, RCX, 8, 0)));
        c("ret", "c3", Assembler::ret);
        c("ret 0x10", "c21000", a -> a.ret(16));
        c("syscall", "0f05", Assembler::syscall);
        c("int3", "cc", Assembler::int3);
        c("ud2", "0f0b", Assembler::ud2);
        c("hlt", "f4", Assembler::hlt);
        c("pause", "f390", Assembler::pause);
        c("mfence", "0faef0", Assembler::mfence);
        c("nop", "90", Assembler::nop);
        c("xchg ax,ax", "6690", a -> a.nop(2));
        c("nop DWORD PTR [rax]", "0f1f00", a -> a.nop(3));
        c("nop DWORD PTR [rax+0x0]", "0f1f4000", a -> a.nop(4));
        c("nop DWORD PTR [rax+rax*1+0x0]", "0f1f440000", a -> a.nop(5));
        c("nop WORD PTR [rax+rax*1+0x0]", "660f1f440000", a -> a.nop(6));
        c("nop DWORD PTR [rax+0x0]", "0f1f8000000000", a -> a.nop(7));
        c("nop DWORD PTR [rax+rax*1+0x0]", "0f1f840000000000", a -> a.nop(8));
        c("nop WORD PTR [rax+rax*1+0x0]", "660f1f840000000000", a -> a.nop(9));
        c("rep movs BYTE PTR es:[rdi],BYTE PTR ds:[rsi]", "f3a4", Assembler::repMovsb);
        c("rep movs QWORD PTR es:[rdi],QWORD PTR ds:[rsi]", "f348a5", Assembler::repMovsq);
        c("rep stos BYTE PTR es:[rdi],al", "f3aa", Assembler::repStosb);
        c("rep stos QWORD PTR es:[rdi],rax", "f348ab", Assembler::repStosq);

        // RIP-relative to symbols (label forms are in AssemblerTest)
        c("lea rax,[rip+0x0] # 0x7", "488d0500000000", a -> a.lea(RAX, Mem.rip("nil")));
        c("mov r9,QWORD PTR [rip+0x0] # 0x7", a -> a.mov(R9, Mem.rip("true")));
        c("cmp QWORD PTR [rip+0x0],0x5 # 0x8", a -> a.cmp(Mem.rip("limit"), 5));
        c("mov DWORD PTR [rip+0x0],0x1 # 0xa", a -> a.mov(DWORD, Mem.rip("flag"), 1));
        c("movabs rdx,0x0", a -> a.movImm64(RDX, "Object>>printString", 0));

        // addressing special cases
        c("mov rax,QWORD PTR [rsp]", "488b0424", a -> a.mov(RAX, Mem.of(RSP)));
        c("mov rax,QWORD PTR [r12]", "498b0424", a -> a.mov(RAX, Mem.of(R12)));
        c("mov rax,QWORD PTR [rbp+0x0]", "488b4500", a -> a.mov(RAX, Mem.of(RBP)));
        c("mov rax,QWORD PTR [r13+0x0]", "498b4500", a -> a.mov(RAX, Mem.of(R13)));
        c("mov rax,QWORD PTR [r12+0x100]", "498b842400010000", a -> a.mov(RAX, Mem.of(R12, 0x100)));
        c("mov rax,QWORD PTR [rbx*4+0x10]", "488b049d10000000", a -> a.mov(RAX, Mem.of(null, RBX, 4, 16)));
        c("mov rax,QWORD PTR [r12*2-0x10]", a -> a.mov(RAX, Mem.of(null, R12, 2, -16)));
        c("mov rax,QWORD PTR ds:0x10", "488b042510000000", a -> a.mov(RAX, Mem.absolute(0x10)));
        c("mov rax,QWORD PTR [rbp+r12*8-0x100]", a -> a.mov(RAX, Mem.of(RBP, R12, 8, -0x100)));
        c("mov rax,QWORD PTR [r13+rax*1+0x0]", a -> a.mov(RAX, Mem.of(R13, RAX, 1, 0)));
        c("mov rax,QWORD PTR [rax+0x7f]", "488b407f", a -> a.mov(RAX, Mem.of(RAX, 127)));
        c("mov rax,QWORD PTR [rax+0x80]", "488b8080000000", a -> a.mov(RAX, Mem.of(RAX, 128)));
        c("mov rax,QWORD PTR [rax-0x80]", "488b4080", a -> a.mov(RAX, Mem.of(RAX, -128)));
        c("mov rax,QWORD PTR [rax-0x81]", a -> a.mov(RAX, Mem.of(RAX, -129)));

        // SSE2
        c("movsd xmm0,xmm1", "f20f10c1", a -> a.movsd(XMM0, XMM1));
        c("movsd xmm9,QWORD PTR [rax+0x8]", a -> a.movsd(XMM9, Mem.of(RAX, 8)));
        c("movsd QWORD PTR [r12],xmm15", a -> a.movsd(Mem.of(R12), XMM15));
        c("addsd xmm0,xmm1", "f20f58c1", a -> a.addsd(XMM0, XMM1));
        c("subsd xmm2,QWORD PTR [rsp+0x8]", a -> a.subsd(XMM2, Mem.of(RSP, 8)));
        c("mulsd xmm8,xmm3", a -> a.mulsd(XMM8, XMM3));
        c("divsd xmm3,xmm12", a -> a.divsd(XMM3, XMM12));
        c("sqrtsd xmm0,xmm0", a -> a.sqrtsd(XMM0, XMM0));
        c("minsd xmm0,xmm1", a -> a.minsd(XMM0, XMM1));
        c("maxsd xmm0,xmm1", a -> a.maxsd(XMM0, XMM1));
        c("ucomisd xmm0,xmm1", "660f2ec1", a -> a.ucomisd(XMM0, XMM1));
        c("ucomisd xmm10,QWORD PTR [rip+0x0] # 0x9", a -> a.ucomisd(XMM10, Mem.rip("one")));
        c("comisd xmm1,xmm2", a -> a.comisd(XMM1, XMM2));
        c("xorpd xmm0,xmm0", a -> a.xorpd(XMM0, XMM0));
        c("andpd xmm0,XMMWORD PTR [rax]", a -> a.andpd(XMM0, Mem.of(RAX)));
        // x87
        c("fld QWORD PTR [rax+0x8]", "dd4008", a -> a.fld(Mem.of(RAX, 8)));
        c("fld QWORD PTR [r9+0x10]", "41dd4110", a -> a.fld(Mem.of(R9, 16)));
        c("fstp QWORD PTR [rax+0x8]", "dd5808", a -> a.fstp(Mem.of(RAX, 8)));
        c("fmul QWORD PTR [rsp]", a -> a.fmul(Mem.of(RSP)));
        c("fild QWORD PTR [rsp-0x20]", "df6c24e0", a -> a.fild(Mem.of(RSP, -32)));
        c("fnstcw WORD PTR [rax+0x8]", "d97808", a -> a.fnstcw(Mem.of(RAX, 8)));
        c("fldcw WORD PTR [rax+0xc]", "d9680c", a -> a.fldcw(Mem.of(RAX, 12)));
        c("fld st(0)", "d9c0", a -> a.fldSt(0));
        c("fxch st(1)", "d9c9", a -> a.fxch(1));
        c("fsub st,st(1)", "d8e1", a -> a.fsubSt0(1));
        c("fdiv st,st(1)", "d8f1", a -> a.fdivSt0(1));
        c("fchs", "d9e0", Assembler::fchs);
        c("faddp st(1),st", "dec1", a -> a.faddp(1));
        c("fstp st(1)", "ddd9", a -> a.fstpSt(1));
        c("fsin", "d9fe", Assembler::fsin);
        c("fcos", "d9ff", Assembler::fcos);
        c("fpatan", "d9f3", Assembler::fpatan);
        c("fptan", "d9f2", Assembler::fptan);
        c("fstp st(0)", "ddd8", a -> a.fstpSt(0));
        c("fyl2x", "d9f1", Assembler::fyl2x);
        c("f2xm1", "d9f0", Assembler::f2xm1);
        c("fscale", "d9fd", Assembler::fscale);
        c("frndint", "d9fc", Assembler::frndint);
        c("fld1", "d9e8", Assembler::fld1);
        c("fldln2", "d9ed", Assembler::fldln2);
        c("fldl2e", "d9ea", Assembler::fldl2e);
        c("fldlg2", "d9ec", Assembler::fldlg2);
        c("cvtsi2sd xmm0,rax", "f2480f2ac0", a -> a.cvtsi2sd(XMM0, RAX));
        c("cvtsi2sd xmm11,QWORD PTR [r9]", a -> a.cvtsi2sd(XMM11, Mem.of(R9)));
        c("cvttsd2si rax,xmm15", "f2490f2cc7", a -> a.cvttsd2si(RAX, XMM15));
        c("cvttsd2si r10,QWORD PTR [rbx]", a -> a.cvttsd2si(R10, Mem.of(RBX)));
        c("movq xmm1,rax", "66480f6ec8", a -> a.movq(XMM1, RAX));
        c("movd xmm2,ecx", "660f6ed1", a -> a.movd(XMM2, RCX));
        c("movd r8d,xmm10", a -> a.movd(R8, XMM10));
        c("cvtsd2si rax,xmm1", a -> a.cvtsd2si(RAX, XMM1));
        c("cvtsd2si r12,QWORD PTR [rbp-0x8]", a -> a.cvtsd2si(R12, Mem.of(RBP, -8)));
        c("cvtsd2ss xmm0,xmm1", a -> a.cvtsd2ss(XMM0, XMM1));
        c("cvtss2sd xmm9,DWORD PTR [rax]", a -> a.cvtss2sd(XMM9, Mem.of(RAX)));
        c("movss xmm0,DWORD PTR [rsi+0x4]", a -> a.movss(XMM0, Mem.of(RSI, 4)));
        c("movss DWORD PTR [rdi],xmm13", a -> a.movss(Mem.of(RDI), XMM13));
        c("movss xmm1,xmm2", a -> a.movss(XMM1, XMM2));
        c("movapd xmm0,xmm8", a -> a.movapd(XMM0, XMM8));
        c("movapd xmm3,XMMWORD PTR [rsp+0x10]", a -> a.movapd(XMM3, Mem.of(RSP, 16)));
        c("movapd XMMWORD PTR [rsp+0x20],xmm4", a -> a.movapd(Mem.of(RSP, 32), XMM4));
        c("roundsd xmm0,xmm1,0x9", "660f3a0bc109", a -> a.roundsd(XMM0, XMM1, 9));
        c("roundsd xmm11,QWORD PTR [r9+0x8],0xb", a -> a.roundsd(XMM11, Mem.of(R9, 8), 11));
        c("movq r9,xmm9", "664d0f7ec9", a -> a.movq(R9, XMM9));
    }

    static void alu(Assembler a, String op, Width w, Operand dst, Operand src) {
        switch (op) {
            case "add" -> a.add(w, dst, src);
            case "or" -> a.or(w, dst, src);
            case "adc" -> a.adc(w, dst, src);
            case "sbb" -> a.sbb(w, dst, src);
            case "and" -> a.and(w, dst, src);
            case "sub" -> a.sub(w, dst, src);
            case "xor" -> a.xor(w, dst, src);
            case "cmp" -> a.cmp(w, dst, src);
            default -> throw new AssertionError(op);
        }
    }

    static void aluImm(Assembler a, String op, Width w, Operand dst, long imm) {
        switch (op) {
            case "add" -> a.add(w, dst, imm);
            case "or" -> a.or(w, dst, imm);
            case "adc" -> a.adc(w, dst, imm);
            case "sbb" -> a.sbb(w, dst, imm);
            case "and" -> a.and(w, dst, imm);
            case "sub" -> a.sub(w, dst, imm);
            case "xor" -> a.xor(w, dst, imm);
            case "cmp" -> a.cmp(w, dst, imm);
            default -> throw new AssertionError(op);
        }
    }

    static void shift(Assembler a, String op, Width w, Operand r, int n) {
        switch (op) {
            case "shl" -> a.shl(w, r, n);
            case "shr" -> a.shr(w, r, n);
            case "sar" -> a.sar(w, r, n);
            case "rol" -> a.rol(w, r, n);
            case "ror" -> a.ror(w, r, n);
            default -> throw new AssertionError(op);
        }
    }

    static byte[] assemble(Consumer<Assembler> emit) {
        Assembler a = new Assembler();
        emit.accept(a);
        return a.finish().code();
    }

    @Test void eachFormHasTheExpectedEncodingAndOurDisassemblerReadsItBack() {
        List<String> failures = new ArrayList<>();
        for (Case k : CASES) {
            byte[] code = assemble(k.emit);
            String hex = HexFormat.of().formatHex(code);
            if (k.hex != null && !k.hex.equals(hex)) failures.add(k.text + ": encoded " + hex + ", expected " + k.hex);
            List<Disassembler.Line> lines = Disassembler.disassemble(code, 0);
            String got = lines.size() == 1 ? Objdump.normalize(lines.get(0).text()) : lines.toString();
            if (!got.equals(Objdump.normalize(k.text))) failures.add(k.text + ": [" + hex + "] disassembles as " + got);
        }
        if (!failures.isEmpty()) fail(failures.size() + " of " + CASES.size() + " forms wrong:\n" + String.join("\n", failures));
    }

    @Test void objdumpReadsEveryFormAsIntended() throws Exception {
        Assumptions.assumeTrue(Objdump.available(), "objdump not on PATH");
        // One objdump run over all cases, each placed at offset 0 of its own 32-byte slot
        // padded with int3, so that address-dependent text (branch targets, RIP comments) is
        // comparable with the expected text by subtracting the slot base.
        int slot = 32;
        byte[] all = new byte[CASES.size() * slot];
        java.util.Arrays.fill(all, (byte) 0xCC);
        for (int i = 0; i < CASES.size(); i++) {
            byte[] code = assemble(CASES.get(i).emit);
            System.arraycopy(code, 0, all, i * slot, code.length);
        }
        List<Objdump.Insn> insns = Objdump.disassemble(all);
        List<String> failures = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < CASES.size(); i++) {
            while (next < insns.size() && insns.get(next).address() < (long) i * slot) next++;
            Objdump.Insn insn = insns.get(next);
            String expected = rebase(Objdump.normalize(CASES.get(i).text), (long) i * slot);
            String got = Objdump.normalize(insn.text());
            if (insn.address() != (long) i * slot || !got.equals(expected))
                failures.add(CASES.get(i).text + ": objdump reads " + got);
        }
        if (!failures.isEmpty()) fail(failures.size() + " forms read differently by objdump:\n" + String.join("\n", failures));
    }

    @Test void ourDisassemblerAgreesWithObjdumpOnTheWholeStream() throws Exception {
        Assumptions.assumeTrue(Objdump.available(), "objdump not on PATH");
        Assembler a = new Assembler();
        for (Case k : CASES) k.emit.accept(a);
        byte[] code = a.finish().code();
        assertSameListing(code, 0);
    }

    /**
     * GNU as, given the intended text of each form, must produce the same bytes: so our choice of
     * encoding is as compact as the system assembler's. Forms that name a symbol or a branch
     * target are left out (as would need relocations), and so are the multi-byte nops, whose
     * explicit zero displacements as drops.
     */
    @Test void gnuAsEncodesEveryFormTheSameWay() throws Exception {
        Assumptions.assumeTrue(Objdump.gnuAsAvailable(), "GNU as or objdump not on PATH");
        List<Case> cases = CASES.stream()
                .filter(k -> !k.longForm && !k.text.contains("rip") && !k.text.matches("^(j\\w+|call|jmp) 0x.*") && !k.text.startsWith("nop ")
                        && !k.text.equals("xchg ax,ax") && !k.text.equals("xchg rax,rax"))   // as emits a plain nop
                .toList();
        List<Objdump.Insn> theirs = Objdump.gnuAssemble(cases.stream().map(Case::text).toList());
        assertEquals(cases.size(), theirs.size(), "as produced a different number of instructions");
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            String ours = HexFormat.of().formatHex(assemble(cases.get(i).emit));
            String gnu = HexFormat.of().formatHex(theirs.get(i).bytes());
            if (!ours.equals(gnu)) failures.add(cases.get(i).text + ": ours " + ours + ", as " + gnu);
        }
        if (!failures.isEmpty()) fail(failures.size() + " forms encoded differently from GNU as:\n" + String.join("\n", failures));
    }

    static void assertSameListing(byte[] code, long base) throws Exception {
        assertEquals(0, base, "objdump lists raw binaries from address 0");
        ObjdumpCheck.assertSameListing(code);
    }

    /** Shifts every hex address in branch targets and RIP comments by the slot base. */
    static String rebase(String text, long base) {
        if (base == 0) return text;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(.*\\b(?:j\\w+|call) )0x([0-9a-f]+)$").matcher(text);
        if (m.matches()) return m.group(1) + "0x" + Long.toHexString(Long.parseUnsignedLong(m.group(2), 16) + base);
        m = java.util.regex.Pattern.compile("^(.*# )0x([0-9a-f]+)$").matcher(text);
        if (m.matches()) return m.group(1) + "0x" + Long.toHexString(Long.parseUnsignedLong(m.group(2), 16) + base);
        return text;
    }
}
