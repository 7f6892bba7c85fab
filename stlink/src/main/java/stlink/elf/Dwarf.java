package stlink.elf;

import stlink.image.AddressMap;
import stlink.image.ByteSink;
import stlink.image.DebugUnit;
import stlink.image.Section;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * DWARF 4 for linked Smalltalk code: a {@code .debug_line} program per library mapping code
 * addresses to source lines, and the {@code .debug_info}/{@code .debug_abbrev} that tools need
 * to find it: one compilation unit per library with a subprogram per method or block. Only the
 * parts that gdb, addr2line and perf use for names and lines; no types or variables.
 */
final class Dwarf {
    private Dwarf() {}

    static final int VERSION = 4;
    static final int DW_TAG_compile_unit = 0x11, DW_TAG_subprogram = 0x2e;
    static final int DW_AT_name = 0x03, DW_AT_stmt_list = 0x10, DW_AT_low_pc = 0x11, DW_AT_high_pc = 0x12,
            DW_AT_language = 0x13, DW_AT_producer = 0x25, DW_AT_decl_file = 0x3a,
            DW_AT_decl_line = 0x3b, DW_AT_external = 0x3f;
    static final int DW_FORM_addr = 0x01, DW_FORM_data2 = 0x05, DW_FORM_data4 = 0x06, DW_FORM_data8 = 0x07,
            DW_FORM_string = 0x08, DW_FORM_udata = 0x0f, DW_FORM_sec_offset = 0x17, DW_FORM_flag_present = 0x19;
    /** No DWARF language code exists for Smalltalk; a vendor code keeps tools from assuming C. */
    static final int DW_LANG_SMALLTALK = 0x8e57;
    static final int DW_LNS_copy = 1, DW_LNS_advance_pc = 2, DW_LNS_advance_line = 3, DW_LNS_set_file = 4,
            DW_LNS_set_prologue_end = 10;
    static final int DW_LNE_end_sequence = 1, DW_LNE_set_address = 2;
    static final int LINE_BASE = -5, LINE_RANGE = 14, OPCODE_BASE = 13;
    static final String PRODUCER = "stlink";

    /** The three sections, ready to append to the executable. */
    static List<ElfWriter.ExtraSection> sections(List<DebugUnit> units, AddressMap addresses) {
        ByteSink abbrev = new ByteSink();
        abbreviations(abbrev);
        ByteSink info = new ByteSink(), line = new ByteSink();
        long textBase = addresses.addressOf(Section.TEXT);
        for (DebugUnit unit : units) {
            long stmtList = line.size();
            lineProgram(line, unit, textBase);
            compileUnit(info, unit, textBase, stmtList);
        }
        return List.of(new ElfWriter.ExtraSection(".debug_abbrev", ElfWriter.SHT_PROGBITS, abbrev.toByteArray(), 1),
                new ElfWriter.ExtraSection(".debug_info", ElfWriter.SHT_PROGBITS, info.toByteArray(), 1),
                new ElfWriter.ExtraSection(".debug_line", ElfWriter.SHT_PROGBITS, line.toByteArray(), 1),
                new ElfWriter.ExtraSection(".debug_frame", ElfWriter.SHT_PROGBITS, frames(units, textBase), 8));
    }

    static final int DW_CFA_advance_loc4 = 0x04, DW_CFA_offset = 0x80, DW_CFA_same_value = 0x08,
            DW_CFA_remember_state = 0x0a, DW_CFA_restore_state = 0x0b, DW_CFA_def_cfa = 0x0c,
            DW_CFA_def_cfa_register = 0x0d, DW_CFA_def_cfa_offset = 0x0e;
    /** DWARF register numbers for x86-64 (System V psABI). */
    static final int REG_RBP = 6, REG_RSP = 7, REG_RA = 16;

    /**
     * {@code .debug_frame}: one CIE (at entry the return address is at [rsp]) and an FDE per
     * function with a standard frame, so gdb and perf unwind Smalltalk stacks through the
     * rbp chain instead of guessing. Functions without one (stubs) get no FDE.
     */
    private static byte[] frames(List<DebugUnit> units, long textBase) {
        ByteSink f = new ByteSink();
        f.u32(0).u32(0xffffffff).u8(1).u8(0); // CIE: length, id, version 1, no augmentation
        uleb(f, 1);                            // code alignment
        sleb(f, -8);                           // data alignment
        f.u8(REG_RA);
        f.u8(DW_CFA_def_cfa); uleb(f, REG_RSP); uleb(f, 8);
        f.u8(DW_CFA_offset | REG_RA); uleb(f, 1);
        padCfa(f, 0);
        for (DebugUnit unit : units) {
            for (DebugUnit.Function fn : unit.functions()) {
                if (fn.frame() == null || fn.size() == 0) continue;
                int start = f.size();
                f.u32(0).u32(0).u64(textBase + fn.textOffset()).u64(fn.size());
                long at = 0;
                at = advance(f, at, fn.frame().prologue() + 1);           // after push rbp
                f.u8(DW_CFA_def_cfa_offset); uleb(f, 16);
                f.u8(DW_CFA_offset | REG_RBP); uleb(f, 2);
                at = advance(f, at, fn.frame().prologue() + 4);           // after mov rbp, rsp
                f.u8(DW_CFA_def_cfa_register); uleb(f, REG_RBP);
                for (int e : fn.frame().epilogues()) {
                    if (e + 5 > fn.size()) break;
                    at = advance(f, at, e + 4);                           // after pop rbp: only ret is left
                    f.u8(DW_CFA_remember_state);
                    f.u8(DW_CFA_def_cfa); uleb(f, REG_RSP); uleb(f, 8);
                    f.u8(DW_CFA_same_value); uleb(f, REG_RBP);
                    at = advance(f, at, e + 5);                           // code after the ret has the frame again
                    f.u8(DW_CFA_restore_state);
                }
                padCfa(f, start);
            }
        }
        return f.toByteArray();
    }

    private static long advance(ByteSink f, long from, long to) {
        if (to > from) f.u8(DW_CFA_advance_loc4).u32(to - from);
        return Math.max(from, to);
    }

    /** Ends an entry started at {@code start}: pads it with DW_CFA_nop to a multiple of 8, sets its length. */
    private static void padCfa(ByteSink f, int start) {
        while ((f.size() - start) % 8 != 0) f.u8(0);
        f.putU32(start, f.size() - start - 4);
    }

    private static void abbreviations(ByteSink a) {
        uleb(a, 1); uleb(a, DW_TAG_compile_unit); a.u8(1); // has children
        attr(a, DW_AT_producer, DW_FORM_string);
        attr(a, DW_AT_language, DW_FORM_data2);
        attr(a, DW_AT_name, DW_FORM_string);
        attr(a, DW_AT_stmt_list, DW_FORM_sec_offset);
        attr(a, DW_AT_low_pc, DW_FORM_addr);
        attr(a, DW_AT_high_pc, DW_FORM_data8);
        attr(a, 0, 0);
        uleb(a, 2); uleb(a, DW_TAG_subprogram); a.u8(0);
        attr(a, DW_AT_name, DW_FORM_string);
        attr(a, DW_AT_external, DW_FORM_flag_present);
        attr(a, DW_AT_low_pc, DW_FORM_addr);
        attr(a, DW_AT_high_pc, DW_FORM_data8);
        attr(a, DW_AT_decl_file, DW_FORM_udata);
        attr(a, DW_AT_decl_line, DW_FORM_udata);
        attr(a, 0, 0);
        a.u8(0);
    }

    private static void attr(ByteSink a, int name, int form) {
        uleb(a, name);
        uleb(a, form);
    }

    private static void compileUnit(ByteSink info, DebugUnit unit, long textBase, long stmtList) {
        int start = info.size();
        info.u32(0).u16(VERSION).u32(0 /* abbrev offset */).u8(8);
        uleb(info, 1);
        string(info, PRODUCER);
        info.u16(DW_LANG_SMALLTALK);
        string(info, unit.name()); // no comp_dir: file names stay as the compiler recorded them
        info.u32(stmtList).u64(textBase + unit.textOffset()).u64(unit.textSize());
        for (DebugUnit.Function f : unit.functions()) {
            uleb(info, 2);
            string(info, f.name());
            info.u64(textBase + f.textOffset()).u64(f.size());
            uleb(info, f.file() + 1L);
            uleb(info, f.line());
        }
        info.u8(0); // end of the unit's children
        info.putU32(start, info.size() - start - 4);
    }

    /** A line program with one sequence per function, so gaps between libraries stay unmapped. */
    private static void lineProgram(ByteSink line, DebugUnit unit, long textBase) {
        int start = line.size();
        line.u32(0).u16(VERSION);
        int headerLengthAt = line.size();
        line.u32(0);
        line.u8(1).u8(1).u8(1).u8(LINE_BASE).u8(LINE_RANGE).u8(OPCODE_BASE);
        for (int n : new int[] {0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1}) line.u8(n);
        line.u8(0); // no include directories: file names are as the compiler recorded them
        for (String file : unit.files()) {
            string(line, file);
            uleb(line, 0);
            uleb(line, 0);
            uleb(line, 0);
        }
        line.u8(0);
        line.putU32(headerLengthAt, line.size() - headerLengthAt - 4);

        for (DebugUnit.Function f : unit.functions()) {
            if (f.size() == 0) continue;
            line.u8(0); uleb(line, 9); line.u8(DW_LNE_set_address).u64(textBase + f.textOffset());
            if (f.file() != 0) {
                line.u8(DW_LNS_set_file);
                uleb(line, f.file() + 1L);
            }
            long address = f.textOffset();
            long current = 1;
            current = advanceLine(line, current, f.line());
            line.u8(DW_LNS_copy);
            for (DebugUnit.Row row : f.rows()) {
                if (row.textOffset() <= address || row.textOffset() >= f.textOffset() + f.size()) continue;
                line.u8(DW_LNS_advance_pc);
                uleb(line, row.textOffset() - address);
                address = row.textOffset();
                current = advanceLine(line, current, row.line());
                if (row.prologueEnd()) line.u8(DW_LNS_set_prologue_end);
                line.u8(DW_LNS_copy);
            }
            line.u8(DW_LNS_advance_pc);
            uleb(line, f.textOffset() + f.size() - address);
            line.u8(0); uleb(line, 1); line.u8(DW_LNE_end_sequence);
        }
        line.putU32(start, line.size() - start - 4);
    }

    private static long advanceLine(ByteSink line, long from, long to) {
        if (to != from) {
            line.u8(DW_LNS_advance_line);
            sleb(line, to - from);
        }
        return to;
    }

    private static void string(ByteSink out, String s) {
        out.bytes(s.getBytes(StandardCharsets.UTF_8)).u8(0);
    }

    static void uleb(ByteSink out, long v) {
        do {
            int b = (int) (v & 0x7f);
            v >>>= 7;
            out.u8(v != 0 ? b | 0x80 : b);
        } while (v != 0);
    }

    static void sleb(ByteSink out, long v) {
        while (true) {
            int b = (int) (v & 0x7f);
            v >>= 7;
            boolean done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
            out.u8(done ? b : b | 0x80);
            if (done) return;
        }
    }
}
