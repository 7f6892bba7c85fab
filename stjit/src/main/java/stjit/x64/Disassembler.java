package stjit.x64;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.function.LongFunction;

/**
 * Decodes x86-64 machine code into Intel-syntax text in the style of
 * {@code objdump -M intel}. It covers every form {@link Assembler} emits and the common
 * general-purpose instructions around them; anything else decodes as a one-byte {@code (bad)}
 * line, so a listing never throws and always makes progress.
 */
public final class Disassembler {

    /**
     * One decoded instruction: its address, its bytes and its Intel-syntax text, and the address
     * it refers to (a direct branch or call target, or a RIP-relative operand), if any.
     */
    public record Line(long address, byte[] bytes, String text, OptionalLong target) {
        public Line(long address, byte[] bytes, String text) { this(address, bytes, text, OptionalLong.empty()); }

        public int length() { return bytes.length; }

        /** This line with {@code <name>} after the target, as objdump shows symbols. */
        public Line withTargetName(String name) {
            return name == null ? this : new Line(address, bytes, text + " <" + name + ">", target);
        }

        /** {@code address: bytes  text}, like an objdump line (all bytes on one line). */
        @Override public String toString() {
            StringBuilder sb = new StringBuilder(64);
            String addr = Long.toHexString(address);
            sb.repeat(' ', Math.max(0, 8 - addr.length())).append(addr).append(":\t");
            int start = sb.length();
            for (byte b : bytes) sb.append(HEX_DIGITS.charAt((b >> 4) & 15)).append(HEX_DIGITS.charAt(b & 15)).append(' ');
            sb.repeat(' ', Math.max(0, 21 - (sb.length() - start)));
            return sb.append('\t').append(text).toString();
        }

        @Override public boolean equals(Object o) {
            return o instanceof Line l && l.address == address && java.util.Arrays.equals(l.bytes, bytes) && l.text.equals(text);
        }

        @Override public int hashCode() { return Long.hashCode(address) * 31 + text.hashCode(); }
    }

    private static final String HEX_DIGITS = "0123456789abcdef";

    private Disassembler() {}

    /** Decodes the whole buffer, the first byte sitting at {@code baseAddress}. */
    public static List<Line> disassemble(byte[] code, long baseAddress) {
        return disassemble(code, 0, code.length, baseAddress);
    }

    /** Decodes {@code code[from, to)}; {@code baseAddress} is the address of {@code code[from]}. */
    public static List<Line> disassemble(byte[] code, int from, int to, long baseAddress) {
        if (from < 0 || to > code.length || from > to) throw new IllegalArgumentException("bad range " + from + ".." + to);
        List<Line> lines = new ArrayList<>();
        int at = from;
        while (at < to) {
            Line l = decode(code, at, to, baseAddress + (at - from));
            lines.add(l);
            at += l.length();
        }
        return lines;
    }

    /** The listing as text, one {@link Line#toString()} per line. */
    public static String listing(byte[] code, long baseAddress) {
        StringBuilder sb = new StringBuilder();
        for (Line l : disassemble(code, baseAddress)) sb.append(l).append('\n');
        return sb.toString();
    }

    /**
     * The listing with each relocation shown under the instruction that holds it, the way
     * {@code objdump -dr} does: {@code <tab><tab><tab>offset: KIND<tab>symbol+addend}. Offsets and
     * relocation offsets are relative to {@code code[0]}, addresses start at {@code baseAddress}.
     */
    public static String listing(byte[] code, long baseAddress, List<st.format.model.NativeCode.Relocation> relocations) {
        List<st.format.model.NativeCode.Relocation> sorted = new ArrayList<>(relocations);
        sorted.sort(java.util.Comparator.comparingInt(st.format.model.NativeCode.Relocation::offset));
        StringBuilder sb = new StringBuilder();
        int next = 0;
        for (Line l : disassemble(code, baseAddress)) {
            sb.append(l).append('\n');
            long end = l.address() - baseAddress + l.length();
            while (next < sorted.size() && sorted.get(next).offset() < end) {
                st.format.model.NativeCode.Relocation r = sorted.get(next++);
                long addend = r.addend();
                String add = addend == 0 ? "" : addend < 0 ? "-0x" + Long.toHexString(-addend) : "+0x" + Long.toHexString(addend);
                sb.append(String.format("\t\t\t%x: %s\t%s%s%n", baseAddress + r.offset(), r.kind(), r.target(), add));
            }
        }
        return sb.toString();
    }

    /**
     * Names the targets of lines, objdump style ({@code call 0x401000 <Foo>>bar>}): {@code names}
     * maps an address to a name, or returns null to leave the line alone.
     */
    public static List<Line> nameTargets(List<Line> lines, LongFunction<String> names) {
        List<Line> out = new ArrayList<>(lines.size());
        for (Line l : lines) out.add(l.target().isPresent() ? l.withTargetName(names.apply(l.target().getAsLong())) : l);
        return out;
    }

    /**
     * A namer over symbol start addresses: an address inside a symbol of known size reads as
     * {@code name} or {@code name+0x10}; {@code symbols} maps start address to (name, size).
     */
    public static LongFunction<String> symbolNamer(NavigableMap<Long, Map.Entry<String, Long>> symbols) {
        return addr -> {
            Map.Entry<Long, Map.Entry<String, Long>> e = symbols.floorEntry(addr);
            if (e == null) return null;
            long offset = addr - e.getKey();
            long size = e.getValue().getValue();
            if (offset != 0 && offset >= size) return null;
            return offset == 0 ? e.getValue().getKey() : e.getValue().getKey() + "+0x" + Long.toHexString(offset);
        };
    }

    /** Decodes one instruction at {@code code[at]} (never reading at or past {@code limit}). */
    public static Line decode(byte[] code, int at, int limit, long address) {
        if (at < 0 || at >= Math.min(limit, code.length))
            throw new IllegalArgumentException("no byte to decode at " + at + " (limit " + Math.min(limit, code.length) + ")");
        try {
            Decoder d = new Decoder(code, at, Math.min(limit, code.length), address);
            String text = d.decode();
            if (text != null) {
                OptionalLong target = d.hasTarget ? OptionalLong.of(d.target) : OptionalLong.empty();
                return new Line(address, java.util.Arrays.copyOfRange(code, at, d.p), text, target);
            }
        } catch (Truncated e) {
            // fall through: not enough bytes for the instruction
        }
        return new Line(address, new byte[] {code[at]}, "(bad)");
    }

    private static final class Truncated extends RuntimeException {
        Truncated() { super(null, null, false, false); }
    }

    private static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
    private static final String[] SHIFT = {"rol", "ror", "rcl", "rcr", "shl", "shr", null, "sar"};
    private static final String[] GROUP3 = {"test", null, "not", "neg", "mul", "imul", "div", "idiv"};
    private static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"};
    private static final String[] LEGACY_BYTE_REGS = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};

    private static final class Decoder {
        final byte[] code;
        final int limit;
        final long address;
        final int start;
        int p;
        boolean opsize16, lock;
        int prefixCount;
        int rep;            // 0, 0xF2 or 0xF3
        int rex = -1;       // -1: no REX prefix
        // Which prefix parts changed the meaning of the instruction: objdump names unused ones
        // (e.g. "rex.W push rax", "data16 add al,0x1"), and so do we.
        int rexUsed;        // REX bits W=8 R=4 X=2 B=1, and 0x40 when REX selected spl..dil
        boolean opsizeUsed;
        // ModRM
        int mod, regField, rm;
        String memText;     // the memory operand (without size), or null for a register operand
        boolean ripRelative;
        boolean hasTarget;
        long target;
        int ripDisp;

        Decoder(byte[] code, int at, int limit, long address) {
            this.code = code;
            this.start = at;
            this.p = at;
            this.limit = limit;
            this.address = address;
        }

        int u8() {
            if (p >= limit) throw new Truncated();
            return code[p++] & 0xFF;
        }

        long imm(int size) {
            long v = 0;
            for (int i = 0; i < size; i++) v |= (long) u8() << (8 * i);
            int shift = 64 - 8 * size;
            return (v << shift) >> shift;
        }

        /** REX.W, counted as used: call only where W selects the operand size. */
        boolean w() {
            rexUsed |= 8;
            return rex >= 0 && (rex & 8) != 0;
        }
        int rexR() { rexUsed |= 4; return rex >= 0 && (rex & 4) != 0 ? 8 : 0; }
        int rexX() { rexUsed |= 2; return rex >= 0 && (rex & 2) != 0 ? 8 : 0; }
        int rexB() { rexUsed |= 1; return rex >= 0 && (rex & 1) != 0 ? 8 : 0; }

        /** Operand size of a "v" operand: 8 with REX.W, 2 with 0x66, else 4. */
        int vsize() {
            if (w()) return 8;
            opsizeUsed = true;
            return opsize16 ? 2 : 4;
        }

        /** Size of a "z" immediate: 2 for 16-bit operands, else 4. */
        int zsize() { return vsize() == 2 ? 2 : 4; }

        /** Operand size of push/pop: 64 bits unless 0x66 makes it 16; REX.W changes nothing. */
        int stackSize() {
            if (rex >= 0 && (rex & 8) != 0) return 8;   // REX.W overrides 0x66, yet objdump calls W unused
            opsizeUsed = true;
            return opsize16 ? 2 : 8;
        }

        String xmm(int n) { return "xmm" + n; }

        String reg(int n, int size) {
            if (size == 1 && (n & 4) != 0) rexUsed |= 0x40;
            if (size == 1 && rex < 0 && n < 8) return LEGACY_BYTE_REGS[n];
            Width w = switch (size) { case 1 -> Width.BYTE; case 2 -> Width.WORD; case 4 -> Width.DWORD; default -> Width.QWORD; };
            return Reg.of(n).name(w);
        }

        static String ptr(int size) {
            return switch (size) {
                case 1 -> "BYTE PTR ";
                case 2 -> "WORD PTR ";
                case 4 -> "DWORD PTR ";
                case 8 -> "QWORD PTR ";
                case 16 -> "XMMWORD PTR ";
                default -> "";
            };
        }

        static String hex(long v) { return "0x" + Long.toHexString(v); }

        /** An immediate as objdump shows it: two's complement at the operand size. */
        static String immText(long v, int size) {
            if (size >= 8) return hex(v);
            return hex(v & ((1L << (8 * size)) - 1));
        }

        static String signedDisp(long d) { return d < 0 ? "-" + hex(-d) : "+" + hex(d); }

        void modrm() {
            int b = u8();
            mod = b >>> 6;
            regField = ((b >>> 3) & 7) | (rex >= 0 && (rex & 4) != 0 ? 8 : 0);
            rm = b & 7;
            if (mod == 3) {
                rm |= rexB();
                memText = null;
                return;
            }
            rexB();
            if (mod == 0 && rm == 5) {
                ripRelative = true;
                ripDisp = (int) imm(4);
                memText = "[rip+" + hex(ripDisp) + "]";
                return;
            }
            String base = null, index = null;
            int scale = 1;
            long disp = 0;
            boolean hasDisp = mod != 0;
            if (rm == 4) {
                int sib = u8();
                scale = 1 << (sib >>> 6);
                int idx = ((sib >>> 3) & 7) | rexX();
                int bs = sib & 7;
                boolean noBase = bs == 5 && mod == 0;
                if (idx != 4) index = Reg.of(idx).name(Width.QWORD);
                // A SIB without an index that was not needed (or has a scale) shows the
                // pseudo-register riz, as objdump does: [rdi+riz*1], [riz*2+0x10].
                else if (scale != 1 || (!noBase && bs != 4)) index = "riz";
                if (bs == 5 && mod == 0) {
                    disp = imm(4);
                    hasDisp = true;
                } else {
                    base = Reg.of(bs | rexB()).name(Width.QWORD);
                }
                if (index == null && base == null) {
                    memText = "ds:" + hex(disp);
                    return;
                }
            } else {
                base = Reg.of(rm | rexB()).name(Width.QWORD);
            }
            if (mod == 1) disp = imm(1);
            else if (mod == 2) disp = imm(4);
            StringBuilder sb = new StringBuilder("[");
            if (base != null) sb.append(base);
            if (index != null) {
                if (base != null) sb.append('+');
                sb.append(index).append('*').append(scale);
            }
            if (hasDisp) sb.append(signedDisp(disp));
            memText = sb.append(']').toString();
        }

        /** The r/m operand: a register of {@code size} bytes, or memory with a size keyword. */
        String rmOperand(int size) { return memText == null ? reg(rm, size) : ptr(size) + memText; }

        String rmXmm(int memSize) { return memText == null ? xmm(rm) : ptr(memSize) + memText; }

        /** The ModRM reg field as a general register (which is when REX.R counts as used). */
        String regOperand(int size) {
            rexR();
            return reg(regField, size);
        }

        /** The ModRM reg field as an xmm register. */
        String regXmm() {
            rexR();
            return xmm(regField);
        }

        String ins(String mnemonic, String operands) {
            StringBuilder unused = new StringBuilder();
            for (int i = start; i < start + prefixCount; i++) {
                if ((code[i] & 0xFF) == 0x66 && !opsizeUsed) unused.append("data16 ");
                if ((code[i] & 0xFF) == 0xF0) unused.append("lock ");
            }
            if (rex >= 0 && ((rex & 0xF & ~rexUsed) != 0 || (rex == 0x40 && (rexUsed & 0x40) == 0))) {
                unused.append("rex");
                if ((rex & 0xF) != 0) unused.append('.');
                if ((rex & 8) != 0) unused.append('W');
                if ((rex & 4) != 0) unused.append('R');
                if ((rex & 2) != 0) unused.append('X');
                if ((rex & 1) != 0) unused.append('B');
                unused.append(' ');
            }
            String prefix = unused.toString();
            StringBuilder text = new StringBuilder(48).append(prefix).append(mnemonic);
            if (!operands.isEmpty()) text.repeat(' ', Math.max(1, 7 - text.length())).append(operands);
            if (ripRelative) {
                hasTarget = true;
                target = address + (p - start) + ripDisp;
                text.append("        # ").append(hex(target));
            }
            return text.toString();
        }

        String ins(String mnemonic) { return ins(mnemonic, ""); }

        String branch(String mnemonic, int relSize) {
            long rel = imm(relSize);
            hasTarget = true;
            target = address + (p - start) + rel;
            return ins(mnemonic, hex(target));
        }

        String decode() {
            int b;
            for (int n = 0; ; n++) {
                b = u8();
                if (n > 4) return null;
                if (b == 0x66) opsize16 = true;
                else if (b == 0xF2 || b == 0xF3) rep = b;
                else if (b == 0xF0) lock = true;
                else break;
                prefixCount++;
            }
            if (b >= 0x40 && b <= 0x4F) {
                rex = b;
                b = u8();
            }
            if (b == 0x0F) return twoByte(u8());
            if (rep != 0 && !(b == 0x90 || b == 0xA4 || b == 0xA5 || b == 0xAA || b == 0xAB)) return null;
            // 16-bit near branches and returns truncate rip: never produced, not worth showing.
            if (opsize16 && (b == 0xC2 || b == 0xC3 || b == 0xE8 || b == 0xE9 || b == 0x68 || b == 0x6A || b == 0xC9)) return null;
            if (lock) return null;
            if (b < 0x40 && (b & 7) < 6) {
                String m = ALU[b >>> 3];
                switch (b & 7) {
                    case 0 -> { modrm(); return ins(m, rmOperand(1) + "," + regOperand(1)); }
                    case 1 -> { modrm(); return ins(m, rmOperand(vsize()) + "," + regOperand(vsize())); }
                    case 2 -> { modrm(); return ins(m, regOperand(1) + "," + rmOperand(1)); }
                    case 3 -> { modrm(); return ins(m, regOperand(vsize()) + "," + rmOperand(vsize())); }
                    case 4 -> { return ins(m, "al," + immText(imm(1), 1)); }
                    default -> { return ins(m, reg(0, vsize()) + "," + immText(imm(zsize()), vsize())); }
                }
            }
            if (b >= 0x50 && b <= 0x57) return ins("push", reg((b & 7) | rexB(), stackSize()));
            if (b >= 0x58 && b <= 0x5F) return ins("pop", reg((b & 7) | rexB(), stackSize()));
            if (b >= 0x70 && b <= 0x7F) return branch("j" + CC[b & 15], 1);
            if (b >= 0x91 && b <= 0x97) return ins("xchg", reg((b & 7) | rexB(), vsize()) + "," + reg(0, vsize()));
            if (b >= 0xB0 && b <= 0xB7) return ins("mov", reg((b & 7) | rexB(), 1) + "," + immText(imm(1), 1));
            if (b >= 0xB8 && b <= 0xBF) {
                int r = (b & 7) | rexB();
                if (w()) return ins("movabs", reg(r, 8) + "," + hex(imm(8)));
                return ins("mov", reg(r, vsize()) + "," + immText(imm(zsize()), vsize()));
            }
            switch (b) {
                case 0x63 -> {
                    modrm();
                    opsizeUsed = true;   // objdump treats 0x66 as consumed by movsxd even under REX.W
                    return ins("movsxd", regOperand(vsize()) + "," + rmOperand(4));
                }
                case 0x68 -> { int s = stackSize(); return ins("push", immText(imm(s == 2 ? 2 : 4), s)); }
                case 0x6A -> { return ins("push", immText(imm(1), stackSize())); }
                case 0x69, 0x6B -> {
                    modrm();
                    String ops = regOperand(vsize()) + "," + rmOperand(vsize());
                    return ins("imul", ops + "," + immText(imm(b == 0x6B ? 1 : zsize()), vsize()));
                }
                case 0x80, 0x81, 0x83 -> {
                    modrm();
                    int size = b == 0x80 ? 1 : vsize();
                    String dst = rmOperand(size);
                    long v = imm(b == 0x81 ? zsize() : 1);
                    return ins(ALU[regField & 7], dst + "," + immText(v, size));
                }
                case 0x84, 0x85 -> { modrm(); int s = b == 0x84 ? 1 : vsize(); return ins("test", rmOperand(s) + "," + regOperand(s)); }
                case 0x86, 0x87 -> { modrm(); int s = b == 0x86 ? 1 : vsize(); return ins("xchg", rmOperand(s) + "," + regOperand(s)); }
                case 0x88, 0x89 -> { modrm(); int s = b == 0x88 ? 1 : vsize(); return ins("mov", rmOperand(s) + "," + regOperand(s)); }
                case 0x8A, 0x8B -> { modrm(); int s = b == 0x8A ? 1 : vsize(); return ins("mov", regOperand(s) + "," + rmOperand(s)); }
                case 0x8D -> {
                    modrm();
                    if (memText == null) return null;
                    return ins("lea", regOperand(vsize()) + "," + memText);
                }
                case 0x8F -> {
                    modrm();
                    if ((regField & 7) != 0) return null;
                    return ins("pop", rmOperand(stackSize()));
                }
                case 0x90 -> {
                    if (rep == 0xF3 && rex < 0 && !opsize16) return ins("pause");
                    if (rep != 0) return null;
                    // 0x90 is xchg eax,eax only in name; it becomes a real xchg with REX.B or 0x66.
                    if (opsize16 || (rex >= 0 && (rex & 1) != 0)) {
                        int r = rexB();
                        int size = vsize();
                        opsizeUsed = true;
                        return ins("xchg", reg(r, size) + "," + reg(0, size));
                    }
                    return ins("nop");
                }
                case 0x98 -> { int s = vsize(); return ins(s == 8 ? "cdqe" : s == 2 ? "cbw" : "cwde"); }
                case 0x99 -> { int s = vsize(); return ins(s == 8 ? "cqo" : s == 2 ? "cwd" : "cdq"); }
                case 0xA4, 0xA5 -> {
                    int s = b == 0xA4 ? 1 : vsize();
                    return ins(repPrefix() + "movs", ptr(s) + "es:[rdi]," + ptr(s) + "ds:[rsi]");
                }
                case 0xAA, 0xAB -> {
                    int s = b == 0xAA ? 1 : vsize();
                    return ins(repPrefix() + "stos", ptr(s) + "es:[rdi]," + reg(0, s));
                }
                case 0xA8 -> { return ins("test", "al," + immText(imm(1), 1)); }
                case 0xA9 -> { return ins("test", reg(0, vsize()) + "," + immText(imm(zsize()), vsize())); }
                case 0xC0, 0xC1, 0xD0, 0xD1, 0xD2, 0xD3 -> {
                    modrm();
                    String m = SHIFT[regField & 7];
                    if (m == null) return null;
                    int s = (b & 1) == 0 ? 1 : vsize();
                    String dst = rmOperand(s);
                    String count = b <= 0xC1 ? immText(imm(1), 1) : b <= 0xD1 ? "1" : "cl";
                    return ins(m, dst + "," + count);
                }
                case 0xC2 -> { return ins("ret", immText(imm(2), 2)); }
                case 0xC3 -> { return ins("ret"); }
                case 0xC6, 0xC7 -> {
                    modrm();
                    if ((regField & 7) != 0) return null;
                    int s = b == 0xC6 ? 1 : vsize();
                    String dst = rmOperand(s);
                    return ins("mov", dst + "," + immText(imm(b == 0xC6 ? 1 : zsize()), s));
                }
                case 0xD8, 0xD9, 0xDC, 0xDD, 0xDE, 0xDF -> { return x87(b); }
                case 0xCC -> { return ins("int3"); }
                case 0xE8 -> { return branch("call", 4); }
                case 0xE9 -> { return branch("jmp", 4); }
                case 0xEB -> { return branch("jmp", 1); }
                case 0xF4 -> { return ins("hlt"); }
                case 0xFC -> { return ins("cld"); }
                case 0xC9 -> { return ins("leave"); }
                case 0xF5 -> { return ins("cmc"); }
                case 0xF8 -> { return ins("clc"); }
                case 0xF9 -> { return ins("stc"); }
                case 0xF6, 0xF7 -> {
                    modrm();
                    String m = GROUP3[regField & 7];
                    if (m == null) return null;
                    int s = b == 0xF6 ? 1 : vsize();
                    String dst = rmOperand(s);
                    if ((regField & 7) == 0) return ins(m, dst + "," + immText(imm(b == 0xF6 ? 1 : zsize()), s));
                    return ins(m, dst);
                }
                case 0xFE -> {
                    modrm();
                    int op = regField & 7;
                    if (op > 1) return null;
                    return ins(op == 0 ? "inc" : "dec", rmOperand(1));
                }
                case 0xFF -> {
                    modrm();
                    if (opsize16 && ((regField & 7) == 2 || (regField & 7) == 4)) return null;
                    return switch (regField & 7) {
                        case 0 -> ins("inc", rmOperand(vsize()));
                        case 1 -> ins("dec", rmOperand(vsize()));
                        case 2 -> ins("call", rmOperand(8));
                        case 4 -> ins("jmp", rmOperand(8));
                        case 6 -> ins("push", rmOperand(stackSize()));
                        default -> null;
                    };
                }
                default -> { return null; }
            }
        }

        /** The x87 forms the assembler emits (Assembler, "x87"). */
        String x87(int escape) {
            if (rep != 0 || opsize16 || lock) return null;
            modrm();
            int op = regField & 7;
            if (mod != 3) {
                return switch (escape << 4 | op) {
                    case 0xDD0 -> ins("fld", rmOperand(8));
                    case 0xDD3 -> ins("fstp", rmOperand(8));
                    case 0xDC1 -> ins("fmul", rmOperand(8));
                    case 0xDF5 -> ins("fild", rmOperand(8));
                    case 0xD97 -> ins("fnstcw", rmOperand(2));
                    case 0xD95 -> ins("fldcw", rmOperand(2));
                    default -> null;
                };
            }
            if (rex >= 0) return null;
            int i = rm & 7;
            int second = 0xC0 | op << 3 | i;
            return switch (escape) {
                case 0xD9 -> switch (second) {
                    case 0xFE -> ins("fsin");
                    case 0xFF -> ins("fcos");
                    case 0xF3 -> ins("fpatan");
                    case 0xF2 -> ins("fptan");
                    case 0xF1 -> ins("fyl2x");
                    case 0xF0 -> ins("f2xm1");
                    case 0xFD -> ins("fscale");
                    case 0xFC -> ins("frndint");
                    case 0xE8 -> ins("fld1");
                    case 0xE0 -> ins("fchs");
                    case 0xED -> ins("fldln2");
                    case 0xEA -> ins("fldl2e");
                    case 0xEC -> ins("fldlg2");
                    default -> op == 0 ? ins("fld", "st(" + i + ")") : op == 1 ? ins("fxch", "st(" + i + ")") : null;
                };
                case 0xD8 -> op == 4 ? ins("fsub", "st,st(" + i + ")") : op == 6 ? ins("fdiv", "st,st(" + i + ")") : null;
                case 0xDE -> op == 0 ? ins("faddp", "st(" + i + "),st") : null;
                case 0xDD -> op == 3 ? ins("fstp", "st(" + i + ")") : null;
                default -> null;
            };
        }

        String repPrefix() {
            return rep == 0xF3 ? "rep " : rep == 0xF2 ? "repnz " : "";
        }

        String twoByte(int b) {
            if (lock && b != 0xB1 && b != 0xC1) return null;
            boolean sse = b == 0x10 || b == 0x11 || b == 0x2A || b == 0x2C || b == 0x2D || b == 0x51 || (b >= 0x58 && b <= 0x5F);
            boolean bitCount = rep == 0xF3 && (b == 0xB8 || b == 0xBC || b == 0xBD);
            if (rep != 0 && !sse && !bitCount) return null;
            if (b >= 0x80 && b <= 0x8F) return branch("j" + CC[b & 15], 4);
            if (b >= 0x90 && b <= 0x9F) {
                modrm();
                return ins("set" + CC[b & 15], rmOperand(1));
            }
            if (b >= 0xC8 && b <= 0xCF) return ins("bswap", reg((b & 7) | rexB(), w() ? 8 : 4));
            if (b >= 0x40 && b <= 0x4F) {
                modrm();
                return ins("cmov" + CC[b & 15], regOperand(vsize()) + "," + rmOperand(vsize()));
            }
            switch (b) {
                case 0x05 -> { return ins("syscall"); }
                case 0x31 -> { return ins("rdtsc"); }
                case 0xA2 -> { return ins("cpuid"); }
                case 0xA4, 0xA5, 0xAC, 0xAD -> {
                    modrm();
                    String m = b < 0xAC ? "shld" : "shrd";
                    String ops = rmOperand(vsize()) + "," + regOperand(vsize());
                    return ins(m, ops + "," + ((b & 1) == 0 ? immText(imm(1), 1) : "cl"));
                }
                case 0xB8 -> {
                    if (rep != 0xF3) return null;
                    modrm();
                    return ins("popcnt", regOperand(vsize()) + "," + rmOperand(vsize()));
                }
                case 0xBC, 0xBD -> {
                    modrm();
                    opsizeUsed = true;   // these opcodes select their form by prefix, 0x66 included
                    String m = rep == 0xF3 ? (b == 0xBC ? "tzcnt" : "lzcnt") : (b == 0xBC ? "bsf" : "bsr");
                    return ins(m, regOperand(vsize()) + "," + rmOperand(vsize()));
                }
                case 0xAB, 0xB3, 0xBB -> {
                    modrm();
                    String m = b == 0xAB ? "bts" : b == 0xB3 ? "btr" : "btc";
                    return ins(m, rmOperand(vsize()) + "," + regOperand(vsize()));
                }
                case 0x28, 0x29 -> {
                    if (!opsize16 || rep != 0) return null;
                    opsizeUsed = true;
                    modrm();
                    return b == 0x28 ? ins("movapd", regXmm() + "," + rmXmm(16)) : ins("movapd", rmXmm(16) + "," + regXmm());
                }
                case 0x5A -> {
                    if (rep == 0) return null;
                    modrm();
                    return rep == 0xF2 ? ins("cvtsd2ss", regXmm() + "," + rmXmm(8)) : ins("cvtss2sd", regXmm() + "," + rmXmm(4));
                }
                case 0x3A -> {
                    if (u8() != 0x0B || !opsize16 || rep != 0) return null;
                    opsizeUsed = true;
                    modrm();
                    String ops = regXmm() + "," + rmXmm(8);
                    return ins("roundsd", ops + "," + immText(imm(1), 1));
                }
                case 0x0B -> { return ins("ud2"); }
                case 0x1F -> {
                    modrm();
                    if ((regField & 7) != 0) return null;
                    return ins("nop", rmOperand(vsize()));
                }
                case 0x10, 0x11 -> {
                    if (rep == 0) return null;
                    modrm();
                    String x = regXmm();
                    String m = rep == 0xF2 ? "movsd" : "movss";
                    int size = rep == 0xF2 ? 8 : 4;
                    return b == 0x10 ? ins(m, x + "," + rmXmm(size)) : ins(m, rmXmm(size) + "," + x);
                }
                case 0x51, 0x58, 0x59, 0x5C, 0x5D, 0x5E, 0x5F -> {
                    if (rep != 0xF2) return null;
                    modrm();
                    String m = switch (b) {
                        case 0x51 -> "sqrtsd"; case 0x58 -> "addsd"; case 0x59 -> "mulsd"; case 0x5C -> "subsd";
                        case 0x5D -> "minsd"; case 0x5E -> "divsd"; default -> "maxsd";
                    };
                    return ins(m, regXmm() + "," + rmXmm(8));
                }
                case 0x2E, 0x2F -> {
                    if (!opsize16 || rep != 0) return null;
                    opsizeUsed = true;
                    modrm();
                    return ins(b == 0x2E ? "ucomisd" : "comisd", regXmm() + "," + rmXmm(8));
                }
                case 0x54, 0x57 -> {
                    if (!opsize16 || rep != 0) return null;
                    opsizeUsed = true;
                    modrm();
                    return ins(b == 0x54 ? "andpd" : "xorpd", regXmm() + "," + rmXmm(16));
                }
                case 0x2A -> {
                    if (rep != 0xF2) return null;
                    modrm();
                    int s = w() ? 8 : 4;
                    return ins("cvtsi2sd", regXmm() + "," + rmOperand(s));
                }
                case 0x2C, 0x2D -> {
                    if (rep != 0xF2) return null;
                    modrm();
                    return ins(b == 0x2C ? "cvttsd2si" : "cvtsd2si", regOperand(w() ? 8 : 4) + "," + rmXmm(8));
                }
                case 0x6E, 0x7E -> {
                    if (!opsize16 || rep != 0) return null;
                    opsizeUsed = true;
                    modrm();
                    String m = w() ? "movq" : "movd";
                    int s = w() ? 8 : 4;
                    String x = regXmm();
                    return b == 0x6E ? ins(m, x + "," + rmOperand(s)) : ins(m, rmOperand(s) + "," + x);
                }
                case 0xA3 -> { modrm(); return ins("bt", rmOperand(vsize()) + "," + regOperand(vsize())); }
                case 0xBA -> {
                    modrm();
                    int ext = regField & 7;
                    if (ext < 4) return null;
                    String dst = rmOperand(vsize());
                    return ins(new String[] {"bt", "bts", "btr", "btc"}[ext - 4], dst + "," + immText(imm(1), 1));
                }
                case 0xAE -> {
                    int m = u8();
                    return m == 0xF0 ? ins("mfence") : m == 0xE8 ? ins("lfence") : m == 0xF8 ? ins("sfence") : null;
                }
                case 0xAF -> { modrm(); return ins("imul", regOperand(vsize()) + "," + rmOperand(vsize())); }
                case 0xB1 -> { modrm(); return ins("cmpxchg", rmOperand(vsize()) + "," + regOperand(vsize())); }
                case 0xC1 -> { modrm(); return ins("xadd", rmOperand(vsize()) + "," + regOperand(vsize())); }
                case 0xB6, 0xB7, 0xBE, 0xBF -> {
                    modrm();
                    String m = b < 0xBE ? "movzx" : "movsx";
                    return ins(m, regOperand(vsize()) + "," + rmOperand((b & 1) == 0 ? 1 : 2));
                }
                default -> { return null; }
            }
        }
    }
}
