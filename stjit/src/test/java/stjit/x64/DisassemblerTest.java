package stjit.x64;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The disassembler on input the assembler did not produce: garbage, truncation, near misses. */
class DisassemblerTest {

    @Test void garbageNeverThrowsAndAlwaysMakesProgress() {
        Random rnd = new Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] code = new byte[rnd.nextInt(64)];
            rnd.nextBytes(code);
            List<Disassembler.Line> lines = Disassembler.disassemble(code, 0x1000);
            int total = 0;
            for (Disassembler.Line l : lines) {
                assertTrue(l.length() >= 1 && l.length() <= 15, l.toString());
                assertEquals(0x1000 + total, l.address());
                total += l.length();
            }
            assertEquals(code.length, total);
        }
    }

    @Test void truncatedInstructionIsBadAndTheRestIsStillDecoded() {
        // movabs rax, imm64 cut short: each remaining byte becomes its own line.
        byte[] code = {0x48, (byte) 0xB8, 1, 2, 3};
        List<Disassembler.Line> lines = Disassembler.disassemble(code, 0);
        assertEquals("(bad)", lines.get(0).text());
        assertEquals(1, lines.get(0).length());
        int total = lines.stream().mapToInt(Disassembler.Line::length).sum();
        assertEquals(5, total);
    }

    @Test void decodeRespectsTheLimit() {
        byte[] code = {(byte) 0xE8, 0, 0, 0, 0};
        assertEquals("(bad)", Disassembler.decode(code, 0, 3, 0).text());
        assertEquals("call   0x5", Disassembler.decode(code, 0, 5, 0).text());
        assertEquals(List.of(), Disassembler.disassemble(new byte[0], 0));
        assertThrows(IllegalArgumentException.class, () -> Disassembler.disassemble(code, 2, 1, 0));
    }

    @Test void listingLooksLikeObjdump() {
        Assembler a = new Assembler();
        a.mov(Reg.RAX, Mem.of(Reg.RBX, 8));
        a.ret();
        String listing = Disassembler.listing(a.finish().code(), 0x401000);
        assertEquals("""
                  401000:\t48 8b 43 08          \tmov    rax,QWORD PTR [rbx+0x8]
                  401004:\tc3                   \tret
                """, listing);
    }

    @Test void listingShowsRelocationsUnderTheirInstruction() {
        Assembler a = new Assembler();
        a.call("Object>>printString");
        a.cmp(Mem.rip("limit"), 5);
        a.ret();
        Assembled r = a.finish();
        String listing = Disassembler.listing(r.code(), 0x100, r.relocations());
        assertEquals("""
                     100:\te8 00 00 00 00       \tcall   0x105
                \t\t\t101: REL32\tObject>>printString
                     105:\t48 83 3d 00 00 00 00 05 \tcmp    QWORD PTR [rip+0x0],0x5        # 0x10d
                \t\t\t108: REL32\tlimit-0x1
                     10d:\tc3                   \tret
                """, listing);
    }

    @Test void unknownOpcodesAreBad() {
        for (int[] bytes : new int[][] {{0x06}, {0x27}, {0x0F, 0xFF}, {0xF0, 0x90}, {0x8F, 0xC8}, {0xC7, 0xC8, 0, 0, 0, 0}}) {
            byte[] code = new byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) code[i] = (byte) bytes[i];
            assertEquals("(bad)", Disassembler.disassemble(code, 0).get(0).text(), Arrays.toString(bytes));
        }
    }

    /** One-byte and 0F opcodes the decoder claims to understand, used to aim the fuzzer. */
    static final int[] ONE_BYTE = {
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
        0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D,
        0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x50, 0x53, 0x55, 0x57, 0x58, 0x5D,
        0x63, 0x68, 0x69, 0x6A, 0x6B, 0x70, 0x75, 0x7F, 0x80, 0x81, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A,
        0x8B, 0x8D, 0x8F, 0x90, 0x91, 0x97, 0x98, 0x99, 0xA8, 0xA9, 0xB0, 0xB4, 0xB8, 0xBF, 0xC0, 0xC1, 0xC2, 0xC3,
        0xC6, 0xC7, 0xCC, 0xD0, 0xD1, 0xD2, 0xD3, 0xE8, 0xE9, 0xEB, 0xF4, 0xF6, 0xF7, 0xFE, 0xFF,
    };
    static final int[] TWO_BYTE = {
        0x05, 0x0B, 0x1F, 0x40, 0x44, 0x4F, 0x80, 0x84, 0x8F, 0x90, 0x94, 0x9F, 0xA3, 0xAF, 0xB1, 0xB6, 0xB7, 0xBA,
        0xBE, 0xBF, 0xC1,
    };
    static final int[] SSE = {0x10, 0x11, 0x2A, 0x2C, 0x2E, 0x2F, 0x51, 0x54, 0x57, 0x58, 0x59, 0x5C, 0x5D, 0x5E, 0x5F, 0x6E, 0x7E};

    /**
     * Random instructions built from the opcodes above with random prefixes, REX, ModRM, SIB,
     * displacements and immediates. Whatever our decoder accepts, objdump must read the same way.
     */
    @Test void whateverWeDecodeObjdumpDecodesTheSame() throws Exception {
        Assumptions.assumeTrue(Objdump.available(), "objdump not on PATH");
        Random rnd = new Random(7);
        int slot = 16;
        List<byte[]> accepted = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        while (accepted.size() < 4000) {
            byte[] b = new byte[16];
            rnd.nextBytes(b);
            int p = 0;
            int kind = rnd.nextInt(10);
            if (kind < 6) {
                if (rnd.nextInt(4) == 0) b[p++] = 0x66;
                if (rnd.nextBoolean()) b[p++] = (byte) (0x40 + rnd.nextInt(16));
                b[p++] = (byte) ONE_BYTE[rnd.nextInt(ONE_BYTE.length)];
            } else if (kind < 8) {
                if (rnd.nextInt(6) == 0) b[p++] = (byte) 0xF0;
                if (rnd.nextBoolean()) b[p++] = (byte) (0x40 + rnd.nextInt(16));
                b[p++] = 0x0F;
                b[p++] = (byte) TWO_BYTE[rnd.nextInt(TWO_BYTE.length)];
            } else {
                b[p++] = (byte) new int[] {0x66, 0xF2, 0xF3}[rnd.nextInt(3)];
                if (rnd.nextBoolean()) b[p++] = (byte) (0x40 + rnd.nextInt(16));
                b[p++] = 0x0F;
                b[p++] = (byte) SSE[rnd.nextInt(SSE.length)];
            }
            Disassembler.Line line = Disassembler.decode(b, 0, b.length, 0);
            if (line.text().equals("(bad)")) continue;
            accepted.add(line.bytes());
            texts.add(line.text());
        }
        byte[] all = new byte[accepted.size() * slot];
        Arrays.fill(all, (byte) 0xCC);
        for (int i = 0; i < accepted.size(); i++) System.arraycopy(accepted.get(i), 0, all, i * slot, accepted.get(i).length);
        List<Objdump.Insn> insns = Objdump.disassemble(all);
        List<String> failures = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < accepted.size() && failures.size() < 40; i++) {
            long at = (long) i * slot;
            while (next < insns.size() && insns.get(next).address() < at) next++;
            Objdump.Insn insn = next < insns.size() ? insns.get(next) : null;
            String ours = InstructionFormsTest.rebase(Objdump.normalize(texts.get(i)), at);
            String hex = java.util.HexFormat.of().formatHex(accepted.get(i));
            if (insn == null || insn.address() != at) {
                failures.add(hex + ": objdump did not start an instruction here; ours: " + ours);
            } else if (!Arrays.equals(insn.bytes(), accepted.get(i)) || !Objdump.normalize(insn.text()).equals(ours)) {
                failures.add(hex + ": objdump " + Objdump.normalize(insn.text()) + " [" + java.util.HexFormat.of().formatHex(insn.bytes())
                        + "]; ours " + ours);
            }
        }
        if (!failures.isEmpty()) fail(failures.size() + " disagreements:\n" + String.join("\n", failures));
    }
}
