package stjit.x64;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import st.format.model.NativeCode.Relocation;
import st.format.model.NativeCode.RelocationKind;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static stjit.x64.Reg.*;

/** Labels, jump relaxation, marks, relocations and misuse of the assembler. */
class AssemblerTest {

    static String hex(byte[] b) { return HexFormat.of().formatHex(b); }

    static List<String> texts(byte[] code) {
        return Disassembler.disassemble(code, 0).stream().map(l -> Objdump.normalize(l.text())).toList();
    }

    @Test void backwardJumpThatFitsIsShort() {
        Assembler a = new Assembler();
        Label top = a.newLabel("top");
        a.bind(top);
        a.dec(RCX);
        a.jcc(Cond.NE, top);
        a.jmp(top);
        Assembled r = a.finish();
        assertEquals("48ffc9" + "75fb" + "ebf9", hex(r.code()));
        assertEquals(0, r.offsetOf(top));
    }

    @Test void forwardJumpThatFitsIsShort() {
        Assembler a = new Assembler();
        Label done = a.newLabel();
        a.test(RAX, RAX);
        a.jcc(Cond.E, done);
        a.inc(RAX);
        a.bind(done);
        a.ret();
        assertEquals(List.of("test rax,rax", "je 0x8", "inc rax", "ret"), texts(a.finish().code()));
    }

    @Test void shortAndNearBoundaryIsExact() {
        // A forward jmp over 127 bytes is rel8; over 128 bytes needs rel32.
        for (int gap : new int[] {126, 127, 128, 129}) {
            Assembler a = new Assembler();
            Label l = a.newLabel();
            a.jmp(l);
            a.nop(gap);
            a.bind(l);
            byte[] code = a.finish().code();
            int expectedLength = (gap <= 127 ? 2 : 5) + gap;
            assertEquals(expectedLength, code.length, "gap " + gap);
        }
        // Backward: rel8 reaches -128 from the end of the 2-byte jump.
        for (int gap : new int[] {125, 126, 127}) {
            Assembler a = new Assembler();
            Label l = a.newLabel();
            a.bind(l);
            a.nop(gap);
            a.jcc(Cond.L, l);
            byte[] code = a.finish().code();
            assertEquals((gap <= 126 ? 2 : 6) + gap, code.length, "gap " + gap);
            List<Disassembler.Line> lines = Disassembler.disassemble(code, 0);
            assertEquals("jl 0x0", Objdump.normalize(lines.getLast().text()));
        }
    }

    @Test void wideningOneJumpCanPushAnotherOutOfRange() {
        // j1 jumps over j2 plus 124 bytes: fits while j2 is short, but j2 must grow (it jumps
        // over 200 bytes), which pushes j1's target 3 bytes further away, out of rel8 range.
        Assembler a = new Assembler();
        Label l1 = a.newLabel(), l2 = a.newLabel();
        a.jmp(l1);
        a.jmp(l2);
        a.nop(124);
        a.bind(l1);
        a.nop(74);
        a.bind(l2);
        Assembled r = a.finish();
        byte[] code = r.code();
        assertEquals(0xE9, code[0] & 0xFF, "first jump widened");
        assertEquals(0xE9, code[5] & 0xFF, "second jump widened");
        assertEquals(5 + 5 + 124, r.offsetOf(l1));
        assertEquals(5 + 5 + 124 + 74, r.offsetOf(l2));
        List<String> t = texts(code);
        assertEquals("jmp 0x86", t.get(0));
        assertEquals("jmp 0xd0", t.get(1));
    }

    @Test void forcedNearJumpsStayNear() {
        Assembler a = new Assembler();
        Label l = a.newLabel();
        a.jmpNear(l);
        a.jccNear(Cond.GE, l);
        a.bind(l);
        assertEquals("e906000000" + "0f8d00000000", hex(a.finish().code()));
    }

    @Test void callToLabelAndRipRelativeLabelUseTheFinalLayout() {
        Assembler a = new Assembler();
        Label fn = a.newLabel(), data = a.newLabel(), skip = a.newLabel();
        a.call(fn);
        a.jmp(skip);               // short: decided only at finish, shifts everything after it
        a.int3();
        a.bind(skip);
        a.lea(RAX, Mem.rip(data));
        a.cmp(Mem.rip(data), 7);   // trailing imm8: displacement is from the end of the instruction
        a.ret();
        a.bind(fn);
        a.ret();
        a.align(8);
        a.bind(data);
        a.dq(0x1234);
        Assembled r = a.finish();
        int dataOff = r.offsetOf(data);
        assertEquals(0, dataOff % 8);
        List<Disassembler.Line> lines = Disassembler.disassemble(r.code(), 0);
        assertEquals("call 0x" + Integer.toHexString(r.offsetOf(fn)), Objdump.normalize(lines.get(0).text()));
        assertTrue(lines.get(3).text().endsWith("# 0x" + Integer.toHexString(dataOff)), lines.get(3).text());
        assertTrue(lines.get(4).text().endsWith("# 0x" + Integer.toHexString(dataOff)), lines.get(4).text());
        assertTrue(r.relocations().isEmpty());
    }

    @Test void alignPadsWithNopsToTheBoundary() {
        Assembler a = new Assembler();
        a.ret();
        a.align(16);
        Label l = a.newLabel();
        a.bind(l);
        a.ret();
        a.align(16);
        a.align(16);
        Assembled r = a.finish();
        assertEquals(16, r.offsetOf(l));
        assertEquals(32, r.size());
        assertEquals(List.of("ret", "nop WORD PTR [rax+rax*1+0x0]", "nop WORD PTR [rax+rax*1+0x0]", "ret",
                        "nop WORD PTR [rax+rax*1+0x0]", "nop WORD PTR [rax+rax*1+0x0]"), texts(r.code()));
        assertThrows(IllegalArgumentException.class, () -> new Assembler().align(12));
    }

    @Test void marksRecordTheOffsetOfTheNextInstruction() {
        Assembler a = new Assembler();
        Label miss = a.newLabel();
        a.push(RBP);
        a.mark("ic-class");
        a.movImm64(RAX, 0);
        a.cmp(RAX, RBX);
        a.jcc(Cond.NE, miss);
        a.mark("ic-call");
        a.call("Object>>foo");
        a.bind(miss);
        a.ret();
        Assembled r = a.finish();
        assertEquals(List.of(new Mark("ic-class", 1), new Mark("ic-call", 1 + 10 + 3 + 2)), r.marks());
        assertEquals(16, r.markOffset("ic-call"));
        assertThrows(IllegalArgumentException.class, () -> r.markOffset("nope"));
        assertEquals(List.of(new Relocation(17, RelocationKind.REL32, "Object>>foo", 0)), r.relocations());
    }

    @Test void relocationsForSymbols() {
        Assembler a = new Assembler();
        a.call("f");                          // e8 rel32 at 1
        a.jmp("g");                           // e9 rel32 at 6
        a.jcc(Cond.O, "overflow");            // 0f 80 rel32 at 12
        a.mov(RAX, Mem.rip("nil"));           // 48 8b 05 rel32 at 19, ends at 23
        a.cmp(Mem.rip("limit", 8), 5);        // 48 83 3d rel32 imm8 at 26, ends at 31: addend 8 - 1
        a.movImm64(R11, "Foo class>>bar", 16);// 49 bb imm64 at 33
        a.dq("table", -8);                    // abs64 at 41
        Assembled r = a.finish();
        assertEquals(List.of(
                new Relocation(1, RelocationKind.REL32, "f", 0),
                new Relocation(6, RelocationKind.REL32, "g", 0),
                new Relocation(12, RelocationKind.REL32, "overflow", 0),
                new Relocation(19, RelocationKind.REL32, "nil", 0),
                new Relocation(26, RelocationKind.REL32, "limit", 7),
                new Relocation(33, RelocationKind.ABS64, "Foo class>>bar", 16),
                new Relocation(41, RelocationKind.ABS64, "table", -8)), r.relocations());
        assertEquals(49, r.size());

        long base = 0x400000;
        Map<String, Long> symbols = Map.of("f", 0x400100L, "g", 0x3ff000L, "overflow", 0x400000L, "nil", 0x500000L,
                "limit", 0x500010L, "Foo class>>bar", 0x401000L, "table", 0x600008L);
        byte[] linked = r.relocatedAt(base, symbols::get);
        List<String> t = Disassembler.disassemble(linked, base).stream().map(l -> Objdump.normalize(l.text())).toList();
        assertEquals("call 0x400100", t.get(0));
        assertEquals("jmp 0x3ff000", t.get(1));
        assertEquals("jo 0x400000", t.get(2));
        assertTrue(t.get(3).endsWith("# 0x500000"), t.get(3));
        assertTrue(t.get(4).endsWith("# 0x500018"), t.get(4));   // limit + 8, despite the trailing imm8
        assertEquals("movabs r11,0x401010", t.get(5));
        assertEquals(0x600000L, java.nio.ByteBuffer.wrap(linked, 41, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());

        assertThrows(IllegalArgumentException.class, () -> r.relocatedAt(0, s -> 0x1_0000_0000L));
    }

    @Test void sameInstructionsGiveIdenticalBytes() {
        byte[] first = sample().code();
        for (int i = 0; i < 5; i++) assertArrayEquals(first, sample().code());
        assertEquals(sample(), sample());
    }

    static Assembled sample() {
        Assembler a = new Assembler();
        Label loop = a.newLabel(), out = a.newLabel(), far = a.newLabel();
        a.push(RBP);
        a.mov(RBP, RSP);
        a.bind(loop);
        a.cmp(RCX, 10);
        a.jcc(Cond.GE, out);
        a.jcc(Cond.O, far);
        a.inc(RCX);
        a.jmp(loop);
        a.bind(out);
        a.pop(RBP);
        a.ret();
        a.nop(200);
        a.bind(far);
        a.call("overflow");
        return a.finish();
    }

    @Test void labelAndStreamListingsAgreeWithObjdump() throws Exception {
        Assumptions.assumeTrue(Objdump.available(), "objdump not on PATH");
        InstructionFormsTest.assertSameListing(sample().code(), 0);
        Assembler a = new Assembler();
        Label[] ls = new Label[40];
        for (int i = 0; i < ls.length; i++) ls[i] = a.newLabel();
        for (int i = 0; i < ls.length; i++) {
            a.bind(ls[i]);
            a.jcc(Cond.of(i), ls[(i * 7 + 3) % ls.length]);
            a.nop(i * 3 % 11);
            a.jmp(ls[(i * 13 + 5) % ls.length]);
            a.call(ls[(i * 3) % ls.length]);
        }
        InstructionFormsTest.assertSameListing(a.finish().code(), 0);
    }

    @Test void misuseIsReportedClearly() {
        Assembler a = new Assembler();
        Label l = a.newLabel("exit");
        a.jmp(l);
        IllegalStateException e = assertThrows(IllegalStateException.class, a::finish);
        assertEquals("label exit is referenced but never bound", e.getMessage());

        Assembler b = new Assembler();
        Label m = b.newLabel();
        b.bind(m);
        assertThrows(IllegalStateException.class, () -> b.bind(m));
        Assembler other = new Assembler();
        assertThrows(IllegalArgumentException.class, () -> other.jmp(m));
        b.finish();
        assertThrows(IllegalStateException.class, b::ret);

        Assembler c = new Assembler();
        assertThrows(IllegalArgumentException.class, () -> c.add(RAX, 0x1_0000_0000L));
        assertThrows(IllegalArgumentException.class, () -> c.mov(Width.BYTE, RAX, 256));
        assertThrows(IllegalArgumentException.class, () -> c.push(1L << 40));
        assertThrows(IllegalArgumentException.class, () -> Mem.of(RAX, RSP, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Mem.of(RAX, RBX, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> c.addsd(Xmm.XMM0, RAX));
        assertThrows(IllegalArgumentException.class, () -> c.add(Width.QWORD, Xmm.XMM0, RAX));
        assertThrows(IllegalArgumentException.class, () -> c.movzx(RAX, Width.DWORD, RBX));
        assertThrows(IllegalArgumentException.class, () -> c.call(""));
        assertEquals(0, c.finish().size(), "failed calls emit nothing");
    }

    @Test void unboundLabelOffsetIsAnError() {
        Assembler a = new Assembler();
        Label l = a.newLabel();
        a.ret();
        Assembled r = a.finish();
        assertThrows(IllegalArgumentException.class, () -> r.offsetOf(l));
    }
}
