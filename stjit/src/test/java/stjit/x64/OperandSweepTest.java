package stjit.x64;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Sweeps every register and every addressing shape (no base, no index, rsp/r12 bases that need
 * a SIB, rbp/r13 bases that need a displacement, r12 as index, disp8/disp32 boundaries) through
 * a few instructions, and checks both our disassembler and objdump read the intended text.
 */
class OperandSweepTest {

    static final int[] DISPS = {0, 1, -1, 127, -128, 128, -129, 0x12345678, Integer.MAX_VALUE, Integer.MIN_VALUE};

    record Item(String text, byte[] code) {}

    static String hex(long v) { return "0x" + Long.toHexString(v); }

    /** The memory operand as objdump prints it, written out from the addressing rules. */
    static String memText(Reg base, Reg index, int scale, int disp) {
        if (base == null && index == null) return "ds:" + hex(disp);
        StringBuilder sb = new StringBuilder("[");
        if (base != null) sb.append(base.name().toLowerCase(Locale.ROOT));
        if (index != null) {
            if (base != null) sb.append('+');
            sb.append(index.name().toLowerCase(Locale.ROOT)).append('*').append(scale);
        }
        // rbp and r13 as base cannot be encoded without a displacement, and a missing base
        // always comes with a disp32, so objdump shows an explicit +0x0 for those.
        boolean showZero = base == null || base == Reg.RBP || base == Reg.R13;
        if (disp != 0 || showZero) sb.append(disp < 0 ? "-" + hex(-(long) disp) : "+" + hex(disp));
        return sb.append(']').toString();
    }

    static List<Item> items() {
        List<Item> items = new ArrayList<>();
        Reg[] regs = Reg.values();
        int k = 0;
        List<Reg> bases = new ArrayList<>(List.of(regs));
        bases.add(null);
        List<Reg> indexes = new ArrayList<>();
        for (Reg r : regs) if (r != Reg.RSP) indexes.add(r);
        indexes.add(null);
        for (Reg base : bases) {
            for (Reg index : indexes) {
                for (int scale : index == null ? new int[] {1} : new int[] {1, 2, 4, 8}) {
                    for (int disp : DISPS) {
                        Mem m = index == null ? (base == null ? Mem.absolute(disp) : Mem.of(base, disp)) : Mem.of(base, index, scale, disp);
                        Reg dst = regs[k++ % 16];
                        String mt = memText(base, index, scale, disp);
                        Assembler a = new Assembler();
                        a.mov(dst, m);
                        items.add(new Item("mov " + dst.name(Width.QWORD) + ",QWORD PTR " + mt, a.finish().code()));
                        a = new Assembler();
                        a.lea(dst, m);
                        items.add(new Item("lea " + dst.name(Width.QWORD) + "," + mt, a.finish().code()));
                        a = new Assembler();
                        a.mov(Width.BYTE, m, dst);
                        items.add(new Item("mov BYTE PTR " + mt + "," + dst.name(Width.BYTE), a.finish().code()));
                    }
                }
            }
        }
        for (Width w : Width.values()) {
            for (Reg x : regs) {
                for (Reg y : regs) {
                    Assembler a = new Assembler();
                    a.mov(w, x, y);
                    items.add(new Item("mov " + x.name(w) + "," + y.name(w), a.finish().code()));
                    a = new Assembler();
                    a.sub(w, x, y);
                    items.add(new Item("sub " + x.name(w) + "," + y.name(w), a.finish().code()));
                    if (w != Width.BYTE) {
                        a = new Assembler();
                        a.imul(w, x, y);
                        items.add(new Item("imul " + x.name(w) + "," + y.name(w), a.finish().code()));
                    }
                }
                Assembler a = new Assembler();
                a.neg(w, x);
                items.add(new Item("neg " + x.name(w), a.finish().code()));
                a = new Assembler();
                a.cmp(w, x, 100);
                items.add(new Item("cmp " + x.name(w) + ",0x64", a.finish().code()));
                a = new Assembler();
                a.sar(w, x, 5);
                items.add(new Item("sar " + x.name(w) + ",0x5", a.finish().code()));
            }
        }
        for (Reg x : regs) {
            for (Reg y : regs) {
                Assembler a = new Assembler();
                a.movzx(x, Width.BYTE, y);
                items.add(new Item("movzx " + x.name(Width.DWORD) + "," + y.name(Width.BYTE), a.finish().code()));
                a = new Assembler();
                a.movsx(x, Width.WORD, y);
                items.add(new Item("movsx " + x.name(Width.QWORD) + "," + y.name(Width.WORD), a.finish().code()));
            }
            Assembler a = new Assembler();
            a.push(x);
            a.pop(x);
            byte[] pushPop = a.finish().code();
            a = new Assembler();
            a.push(x);
            items.add(new Item("push " + x.name(Width.QWORD), a.finish().code()));
            items.add(new Item("pop " + x.name(Width.QWORD), java.util.Arrays.copyOfRange(pushPop, pushPop.length / 2, pushPop.length)));
            a = new Assembler();
            a.mov(x, 0x1122334455667788L);
            items.add(new Item("movabs " + x.name(Width.QWORD) + ",0x1122334455667788", a.finish().code()));
            a = new Assembler();
            a.call(x);
            items.add(new Item("call " + x.name(Width.QWORD), a.finish().code()));
            for (Xmm v : new Xmm[] {Xmm.XMM0, Xmm.XMM7, Xmm.XMM8, Xmm.XMM15}) {
                a = new Assembler();
                a.movq(v, x);
                items.add(new Item("movq " + v.asmName() + "," + x.name(Width.QWORD), a.finish().code()));
                a = new Assembler();
                a.cvttsd2si(x, v);
                items.add(new Item("cvttsd2si " + x.name(Width.QWORD) + "," + v.asmName(), a.finish().code()));
            }
        }
        return items;
    }

    @Test void ourDisassemblerReadsEveryOperandShape() {
        List<String> failures = new ArrayList<>();
        List<Item> items = items();
        for (Item it : items) {
            List<Disassembler.Line> lines = Disassembler.disassemble(it.code, 0);
            String got = lines.size() == 1 ? Objdump.normalize(lines.get(0).text()) : lines.toString();
            if (!got.equals(it.text) && failures.size() < 30) failures.add(it.text + " -> " + got);
        }
        if (!failures.isEmpty()) fail(String.join("\n", failures));
    }

    /** GNU as must pick the same (shortest) encoding for every operand shape. */
    @Test void gnuAsEncodesEveryOperandShapeTheSameWay() throws Exception {
        Assumptions.assumeTrue(Objdump.gnuAsAvailable(), "GNU as or objdump not on PATH");
        List<Item> items = items();
        List<Objdump.Insn> theirs = Objdump.gnuAssemble(items.stream().map(Item::text).toList());
        assertEquals(items.size(), theirs.size(), "as produced a different number of instructions");
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < items.size() && failures.size() < 30; i++) {
            String ours = java.util.HexFormat.of().formatHex(items.get(i).code);
            String gnu = java.util.HexFormat.of().formatHex(theirs.get(i).bytes());
            if (!ours.equals(gnu)) failures.add(items.get(i).text + ": ours " + ours + ", as " + gnu);
        }
        if (!failures.isEmpty()) fail(String.join("\n", failures));
    }

    @Test void objdumpReadsEveryOperandShape() throws Exception {
        Assumptions.assumeTrue(Objdump.available(), "objdump not on PATH");
        List<Item> items = items();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        List<Long> starts = new ArrayList<>();
        for (Item it : items) {
            starts.add((long) all.size());
            all.writeBytes(it.code);
        }
        List<Objdump.Insn> insns = Objdump.disassemble(all.toByteArray());
        assertEquals(items.size(), insns.size(), "objdump found a different number of instructions");
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String got = Objdump.normalize(insns.get(i).text());
            if ((insns.get(i).address() != starts.get(i) || !got.equals(items.get(i).text)) && failures.size() < 30)
                failures.add(items.get(i).text + " -> objdump: " + got);
        }
        if (!failures.isEmpty()) fail(String.join("\n", failures));
    }
}
