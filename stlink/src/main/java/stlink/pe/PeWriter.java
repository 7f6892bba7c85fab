package stlink.pe;

import st.format.model.NativeCode.RelocationKind;
import stlink.image.AddressMap;
import stlink.image.ByteSink;
import stlink.image.Fixup;
import stlink.image.Import;
import stlink.image.Layouts;
import stlink.image.Program;
import stlink.image.ProgramSymbol;
import stlink.image.Relocator;
import stlink.image.Section;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a program as a PE32+ console executable for Windows x64 that imports only from DLLs
 * such as kernel32 (no C runtime). Sections, in address order, each present only when non-empty
 * (docs/LINKER.md):
 *
 * <pre>
 *   .text   code                                     R+X
 *   .rdata  constants                                R
 *   .data   initialised data, then the zero fill     R+W (virtual size covers the zero fill)
 *   .idata  import directory, lookup and address tables, names   R+W (the loader fills the IAT)
 *   .reloc  base relocations for every ABS64 fixup   R, discardable
 * </pre>
 *
 * With a {@code .reloc} the image is marked for high-entropy ASLR; a program without absolute
 * addresses has nothing to relocate and is marked relocs-stripped at the fixed base instead.
 * The timestamp is zero and the checksum is computed, so the output depends only on the input.
 * A COFF symbol table names every function for debuggers and {@code objdump}.
 */
public final class PeWriter {
    public static final long IMAGE_BASE = 0x1_4000_0000L;
    public static final int SECTION_ALIGNMENT = 0x1000;
    public static final int FILE_ALIGNMENT = 0x200;
    static final int PE_OFFSET = 0x80;
    static final int COFF_HEADER_SIZE = 20, OPTIONAL_HEADER_SIZE = 240, SECTION_HEADER_SIZE = 40;
    static final int CHECKSUM_OFFSET = PE_OFFSET + 4 + COFF_HEADER_SIZE + 64;
    static final int BSS_ALIGN = 16;

    static final int SCN_CNT_CODE = 0x20, SCN_CNT_INITIALIZED_DATA = 0x40, SCN_MEM_DISCARDABLE = 0x0200_0000;
    static final int SCN_MEM_EXECUTE = 0x2000_0000, SCN_MEM_READ = 0x4000_0000, SCN_MEM_WRITE = 0x8000_0000;
    static final int FILE_RELOCS_STRIPPED = 0x1, FILE_EXECUTABLE_IMAGE = 0x2, FILE_LARGE_ADDRESS_AWARE = 0x20;
    static final int DLL_HIGH_ENTROPY_VA = 0x20, DLL_DYNAMIC_BASE = 0x40, DLL_NX_COMPAT = 0x100,
            DLL_TERMINAL_SERVER_AWARE = 0x8000;
    static final int SUBSYSTEM_WINDOWS_CUI = 3;
    static final int DIR_IMPORT = 1, DIR_BASERELOC = 5, DIR_IAT = 12;
    static final int REL_BASED_ABSOLUTE = 0, REL_BASED_DIR64 = 10;
    static final long STACK_RESERVE = 8L << 20, STACK_COMMIT = 0x1000, HEAP_RESERVE = 1L << 20, HEAP_COMMIT = 0x1000;

    /** One section as laid out: its place in memory and in the file. */
    public record SectionPlan(String name, long rva, long virtualSize, long rawOffset, long rawSize, int characteristics) {}

    /** The addresses this writer gives a program (at the preferred base) and where each section goes. */
    public static final class Layout implements AddressMap {
        final List<SectionPlan> sections = new ArrayList<>();
        final Map<Import, Long> importSlots = new HashMap<>();
        long textRva, rdataRva, dataRva, bssRva, sizeOfImage, sizeOfHeaders;
        ImportTable imports;
        byte[] baseRelocations;
        SectionPlan idata, reloc;

        @Override public long addressOf(Section section) {
            return IMAGE_BASE + switch (section) {
                case TEXT -> textRva;
                case RODATA -> rdataRva;
                case DATA -> dataRva;
                case BSS -> bssRva;
            };
        }

        @Override public long importSlot(Import function) {
            Long rva = importSlots.get(function);
            if (rva == null) throw new Relocator.RelocationException("no import slot for " + function);
            return IMAGE_BASE + rva;
        }

        public List<SectionPlan> sections() { return List.copyOf(sections); }

        SectionPlan section(String name) {
            for (SectionPlan s : sections) if (s.name().equals(name)) return s;
            return null;
        }
    }

    private PeWriter() {}

    /** The name of the section that carries the linked libraries for tools (docs/FORMAT.md, "Executables"). */
    public static final String TOOLS_SECTION = ".stlibs";

    public static Layout layout(Program program) {
        return layout(program, 0);
    }

    /**
     * The layout with a last, discardable {@link #TOOLS_SECTION} of {@code toolsSize} bytes (none
     * when 0). It comes after every other section, so it moves no address the program uses.
     */
    public static Layout layout(Program program, long toolsSize) {
        Layout l = new Layout();
        int sectionCount = 1 + (program.rodata().length > 0 ? 1 : 0)
                + (program.data().length > 0 || program.bssSize() > 0 ? 1 : 0)
                + (program.imports().isEmpty() ? 0 : 1) + (hasAbsoluteFixups(program) ? 1 : 0) + (toolsSize > 0 ? 1 : 0);
        l.sizeOfHeaders = Layouts.alignUp(PE_OFFSET + 4 + COFF_HEADER_SIZE + OPTIONAL_HEADER_SIZE
                + (long) SECTION_HEADER_SIZE * sectionCount, FILE_ALIGNMENT);
        long rva = Layouts.alignUp(l.sizeOfHeaders, SECTION_ALIGNMENT);
        long file = l.sizeOfHeaders;

        l.textRva = rva;
        SectionPlan text = plan(l, ".text", rva, program.text().length, file, SCN_CNT_CODE | SCN_MEM_EXECUTE | SCN_MEM_READ);
        rva = next(text);
        file += text.rawSize();

        l.rdataRva = rva;
        if (program.rodata().length > 0) {
            SectionPlan rdata = plan(l, ".rdata", rva, program.rodata().length, file, SCN_CNT_INITIALIZED_DATA | SCN_MEM_READ);
            rva = next(rdata);
            file += rdata.rawSize();
        }

        l.dataRva = rva;
        l.bssRva = rva + Layouts.alignUp(program.data().length, BSS_ALIGN);
        if (program.data().length > 0 || program.bssSize() > 0) {
            long virtualSize = (l.bssRva - rva) + program.bssSize();
            long rawSize = Layouts.alignUp(program.data().length, FILE_ALIGNMENT);
            SectionPlan data = new SectionPlan(".data", rva, virtualSize, rawSize == 0 ? 0 : file, rawSize,
                    SCN_CNT_INITIALIZED_DATA | SCN_MEM_READ | SCN_MEM_WRITE);
            l.sections.add(data);
            rva = next(data);
            file += rawSize;
        }

        if (!program.imports().isEmpty()) {
            l.imports = new ImportTable(program.imports(), rva);
            l.importSlots.putAll(l.imports.slots());
            l.idata = plan(l, ".idata", rva, l.imports.bytes().length, file,
                    SCN_CNT_INITIALIZED_DATA | SCN_MEM_READ | SCN_MEM_WRITE);
            rva = next(l.idata);
            file += l.idata.rawSize();
        }

        if (hasAbsoluteFixups(program)) {
            l.baseRelocations = baseRelocations(program, l);
            l.reloc = plan(l, ".reloc", rva, l.baseRelocations.length, file,
                    SCN_CNT_INITIALIZED_DATA | SCN_MEM_READ | SCN_MEM_DISCARDABLE);
            rva = next(l.reloc);
            file += l.reloc.rawSize();
        }
        if (toolsSize > 0) {
            SectionPlan tools = plan(l, TOOLS_SECTION, rva, toolsSize, file, SCN_CNT_INITIALIZED_DATA | SCN_MEM_READ | SCN_MEM_DISCARDABLE);
            rva = next(tools);
        }
        l.sizeOfImage = rva;
        return l;
    }

    private static SectionPlan plan(Layout l, String name, long rva, long size, long file, int characteristics) {
        long raw = Layouts.alignUp(size, FILE_ALIGNMENT);
        SectionPlan s = new SectionPlan(name, rva, size, raw == 0 ? 0 : file, raw, characteristics);
        l.sections.add(s);
        return s;
    }

    private static long next(SectionPlan s) {
        return s.rva() + Layouts.alignUp(Math.max(1, s.virtualSize()), SECTION_ALIGNMENT);
    }

    private static boolean hasAbsoluteFixups(Program program) {
        for (Fixup f : program.fixups()) if (f.kind() == RelocationKind.ABS64) return true;
        return false;
    }

    /** The .reloc contents: a block per 4 KiB page listing the DIR64 sites in it, in address order. */
    private static byte[] baseRelocations(Program program, Layout l) {
        TreeMap<Long, List<Integer>> pages = new TreeMap<>();
        for (Fixup f : program.fixups()) {
            if (f.kind() != RelocationKind.ABS64) continue;
            long siteRva = l.addressOf(f.section()) - IMAGE_BASE + f.offset();
            pages.computeIfAbsent(siteRva & ~0xFFFL, k -> new ArrayList<>()).add((int) (siteRva & 0xFFF));
        }
        ByteSink out = new ByteSink();
        for (Map.Entry<Long, List<Integer>> page : pages.entrySet()) {
            List<Integer> offsets = page.getValue();
            offsets.sort(null);
            int entries = offsets.size() + (offsets.size() % 2); // blocks stay 4-byte aligned
            out.u32(page.getKey()).u32(8 + 2L * entries);
            for (int off : offsets) out.u16(REL_BASED_DIR64 << 12 | off);
            if (offsets.size() % 2 != 0) out.u16(REL_BASED_ABSOLUTE << 12);
        }
        return out.toByteArray();
    }

    public static byte[] write(Program program) {
        return write(program, null, true);
    }

    /**
     * With {@code tools} (the linked-library table, or null) in a last discardable section, and
     * without the COFF symbol table when {@code symbols} is false ({@code stlink -s}).
     */
    public static byte[] write(Program program, byte[] tools, boolean withSymbols) {
        Layout l = layout(program, tools == null ? 0 : tools.length);
        Map<Section, byte[]> contents = Relocator.apply(program, l);
        List<SectionPlan> sections = l.sections;
        boolean relocatable = l.reloc != null;

        ByteSink out = new ByteSink();
        writeDosHeader(out);
        out.padTo(PE_OFFSET);
        out.u8('P').u8('E').u8(0).u8(0);

        // COFF header; the symbol table pointer is patched once the sections are written.
        int coffAt = out.size();
        int characteristics = FILE_EXECUTABLE_IMAGE | FILE_LARGE_ADDRESS_AWARE | (relocatable ? 0 : FILE_RELOCS_STRIPPED);
        out.u16(0x8664).u16(sections.size()).u32(0).u32(0).u32(0).u16(OPTIONAL_HEADER_SIZE).u16(characteristics);

        long sizeOfCode = 0, sizeOfData = 0;
        for (SectionPlan s : sections) {
            if ((s.characteristics() & SCN_CNT_CODE) != 0) sizeOfCode += s.rawSize(); else sizeOfData += s.rawSize();
        }
        out.u16(0x20b).u8(1).u8(0); // PE32+, linker version 1.0
        out.u32(sizeOfCode).u32(sizeOfData).u32(0);
        out.u32(l.addressOf(program.entry()) - IMAGE_BASE).u32(l.textRva);
        out.u64(IMAGE_BASE).u32(SECTION_ALIGNMENT).u32(FILE_ALIGNMENT);
        out.u16(6).u16(0).u16(0).u16(0).u16(6).u16(0).u32(0); // OS 6.0 (Vista), image 0.0, subsystem 6.0
        out.u32(l.sizeOfImage).u32(l.sizeOfHeaders);
        out.u32(0); // checksum, computed last
        int dllCharacteristics = DLL_NX_COMPAT | DLL_TERMINAL_SERVER_AWARE
                | (relocatable ? DLL_DYNAMIC_BASE | DLL_HIGH_ENTROPY_VA : 0);
        out.u16(SUBSYSTEM_WINDOWS_CUI).u16(dllCharacteristics);
        out.u64(STACK_RESERVE).u64(STACK_COMMIT).u64(HEAP_RESERVE).u64(HEAP_COMMIT);
        out.u32(0).u32(16);
        for (int dir = 0; dir < 16; dir++) {
            if (dir == DIR_IMPORT && l.imports != null) out.u32(l.idata.rva()).u32(l.imports.directorySize());
            else if (dir == DIR_IAT && l.imports != null) out.u32(l.imports.iatRva()).u32(l.imports.iatSize());
            else if (dir == DIR_BASERELOC && relocatable) out.u32(l.reloc.rva()).u32(l.baseRelocations.length);
            else out.u64(0);
        }
        for (SectionPlan s : sections) {
            out.fixedAscii(s.name(), 8).u32(s.virtualSize()).u32(s.rva()).u32(s.rawSize()).u32(s.rawOffset());
            out.u32(0).u32(0).u16(0).u16(0).u32(s.characteristics());
        }
        out.padTo(l.sizeOfHeaders);

        for (SectionPlan s : sections) {
            if (s.rawSize() == 0) continue;
            out.padTo(s.rawOffset());
            out.bytes(switch (s.name()) {
                case ".text" -> contents.get(Section.TEXT);
                case ".rdata" -> contents.get(Section.RODATA);
                case ".data" -> contents.get(Section.DATA);
                case ".idata" -> l.imports.bytes();
                case ".reloc" -> l.baseRelocations;
                case TOOLS_SECTION -> tools;
                default -> throw new AssertionError(s.name());
            });
            out.padTo(s.rawOffset() + s.rawSize());
        }

        List<ProgramSymbol> symbols = withSymbols ? program.symbols() : List.of();
        List<Map.Entry<String, Long>> slots = withSymbols ? importSlotSymbols(l) : List.of();
        if (!symbols.isEmpty() || !slots.isEmpty()) {
            out.putU32(coffAt + 8, out.size());
            out.putU32(coffAt + 12, symbols.size() + slots.size());
            writeCoffSymbols(out, symbols, slots, l);
        }

        byte[] file = out.toByteArray();
        long checksum = checksum(file, CHECKSUM_OFFSET);
        for (int i = 0; i < 4; i++) file[CHECKSUM_OFFSET + i] = (byte) (checksum >>> (8 * i));
        return file;
    }

    /** A DOS header whose stub prints the customary refusal and exits. */
    private static void writeDosHeader(ByteSink out) {
        out.u8('M').u8('Z').u16(0x90).u16(3).u16(0).u16(4).u16(0).u16(0xFFFF).u16(0);
        out.u16(0xB8).u16(0).u16(0).u16(0).u16(0x40).u16(0);
        out.zeros(8).u16(0).u16(0).zeros(20);
        out.u32(PE_OFFSET);
        // push cs; pop ds; mov dx, message; mov ah, 9; int 21h; mov ax, 4c01h; int 21h
        out.u8(0x0E).u8(0x1F).u8(0xBA).u16(0x0E).u8(0xB4).u8(0x09).u8(0xCD).u8(0x21);
        out.u8(0xB8).u16(0x4C01).u8(0xCD).u8(0x21);
        out.bytes("This program cannot be run in DOS mode.\r\r\n$".getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * COFF symbols: the value is the offset in the section, functions get the function type, and
     * long names go to the string table that follows.
     */
    /**
     * A symbol per import address table slot, named as code refers to it ({@code __imp_WriteFile},
     * {@code __imp_DLL!F} outside kernel32), so that disassemblers name the target of each
     * {@code call [rip + slot]}. By address, for determinism.
     */
    private static List<Map.Entry<String, Long>> importSlotSymbols(Layout l) {
        List<Map.Entry<String, Long>> out = new ArrayList<>();
        for (var e : l.importSlots.entrySet()) {
            Import i = e.getKey();
            String name = "__imp_" + (i.dll().equalsIgnoreCase("kernel32.dll") ? "" : i.dll() + "!") + i.function();
            out.add(Map.entry(name, e.getValue()));
        }
        out.sort(Map.Entry.comparingByValue());
        return out;
    }

    private static void writeCoffSymbols(ByteSink out, List<ProgramSymbol> symbols, List<Map.Entry<String, Long>> slots, Layout l) {
        ByteSink strings = new ByteSink();
        strings.u32(0);
        Map<String, Integer> stringOffsets = new LinkedHashMap<>();
        for (ProgramSymbol s : symbols) {
            writeSymbolName(out, strings, stringOffsets, s.name());
            long address = l.addressOf(s.section()) + s.offset();
            SectionPlan home = containing(l, address - IMAGE_BASE);
            int sectionNumber = home == null ? -1 : l.sections.indexOf(home) + 1; // -1: an absolute symbol
            long value = home == null ? address : address - IMAGE_BASE - home.rva();
            out.u32(value).u16(sectionNumber);
            out.u16(s.type() == ProgramSymbol.Type.FUNCTION ? 0x20 : 0);
            out.u8(s.local() ? 3 /* static */ : 2 /* external */).u8(0);
        }
        for (var slot : slots) {
            writeSymbolName(out, strings, stringOffsets, slot.getKey());
            SectionPlan home = containing(l, slot.getValue());
            out.u32(slot.getValue() - home.rva()).u16(l.sections.indexOf(home) + 1).u16(0).u8(2 /* external */).u8(0);
        }
        strings.putU32(0, strings.size());
        out.bytes(strings.toByteArray());
    }

    private static void writeSymbolName(ByteSink out, ByteSink strings, Map<String, Integer> stringOffsets, String symbol) {
        byte[] name = symbol.getBytes(StandardCharsets.UTF_8);
        if (name.length <= 8) {
            out.bytes(name).zeros(8 - name.length);
        } else {
            int at = stringOffsets.computeIfAbsent(symbol, k -> {
                int offset = strings.size();
                strings.bytes(name).u8(0);
                return offset;
            });
            out.u32(0).u32(at);
        }
    }

    private static SectionPlan containing(Layout l, long rva) {
        for (SectionPlan s : l.sections) {
            if (rva >= s.rva() && rva <= s.rva() + s.virtualSize()) return s;
        }
        return null;
    }

    /** The PE checksum: a 16-bit one's-complement-style sum of the file, skipping its own field, plus the length. */
    static long checksum(byte[] file, int checksumOffset) {
        long sum = 0;
        for (int i = 0; i < file.length; i += 2) {
            if (i == checksumOffset || i == checksumOffset + 2) continue;
            int word = (file[i] & 0xFF) | (i + 1 < file.length ? (file[i + 1] & 0xFF) << 8 : 0);
            sum += word;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return (sum + file.length) & 0xFFFF_FFFFL;
    }
}
