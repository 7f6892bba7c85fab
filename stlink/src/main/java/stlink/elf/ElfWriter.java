package stlink.elf;

import stlink.image.AddressMap;
import stlink.image.ByteSink;
import stlink.image.Import;
import stlink.image.Layouts;
import stlink.image.Program;
import stlink.image.ProgramSymbol;
import stlink.image.Relocator;
import stlink.image.Section;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a program as a static ELF64 executable for x86-64 Linux: no interpreter, no dynamic
 * section, no libc. The layout (documented in docs/LINKER.md):
 *
 * <pre>
 *   file offset 0     ELF header, program headers, .note.gnu.build-id, .rodata   R    at BASE
 *   next page         .text                                                      R+X  at BASE + offset
 *   next page         .data, then .bss (memory only)                             R+W  at BASE + offset
 *   after that        .symtab, .strtab, .shstrtab, section headers (not loaded)
 * </pre>
 *
 * Every loaded segment starts on a page boundary both in the file and in memory, so each page has
 * exactly one protection, and nothing is both writable and executable. The build id is the SHA-1
 * of the whole file with the id itself zeroed, so identical inputs give identical files.
 */
public final class ElfWriter {
    /** Where the file is mapped: the traditional static-executable base, below any mmap area. */
    public static final long BASE_ADDRESS = 0x400000L;
    public static final int PAGE = 0x1000;

    static final int EHDR_SIZE = 64, PHDR_SIZE = 56, SHDR_SIZE = 64, SYM_SIZE = 24;
    static final int PT_LOAD = 1, PT_NOTE = 4, PT_GNU_STACK = 0x6474e551;
    static final int PF_X = 1, PF_W = 2, PF_R = 4;
    static final int SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_NOTE = 7, SHT_NOBITS = 8;
    static final int SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXECINSTR = 4;
    static final int STB_LOCAL = 0, STB_GLOBAL = 1;
    static final int STT_NOTYPE = 0, STT_OBJECT = 1, STT_FUNC = 2;
    static final int NT_GNU_BUILD_ID = 3;
    static final int BUILD_ID_SIZE = 20;
    static final int BSS_ALIGN = 16;

    /** A section that is not loaded, such as {@code .debug_line}, appended after the symbols. */
    public record ExtraSection(String name, int type, byte[] contents, int alignment) {}

    /** The addresses this writer gives a program's sections: they depend only on section sizes. */
    public record Layout(long noteOffset, long rodataOffset, long textOffset, long dataOffset, long bssAddress,
                         boolean hasWritableSegment, long headerSegmentEnd) implements AddressMap {
        @Override public long addressOf(Section section) {
            return switch (section) {
                case TEXT -> BASE_ADDRESS + textOffset;
                case RODATA -> BASE_ADDRESS + rodataOffset;
                case DATA -> BASE_ADDRESS + dataOffset;
                case BSS -> bssAddress;
            };
        }

        @Override public long importSlot(Import function) {
            throw new IllegalStateException("ELF executables import nothing, yet the program imports " + function);
        }
    }

    private ElfWriter() {}

    /** The addresses {@link #write} will give {@code program}'s sections. */
    public static Layout layout(Program program) {
        boolean writable = program.data().length > 0 || program.bssSize() > 0;
        int phnum = writable ? 5 : 4;
        long noteOffset = Layouts.alignUp(EHDR_SIZE + (long) phnum * PHDR_SIZE, 4);
        long rodataOffset = Layouts.alignUp(noteOffset + 16 + BUILD_ID_SIZE, 16);
        long headerEnd = rodataOffset + program.rodata().length;
        long textOffset = Layouts.alignUp(headerEnd, PAGE);
        long dataOffset = Layouts.alignUp(textOffset + program.text().length, PAGE);
        long bssAddress = BASE_ADDRESS + Layouts.alignUp(dataOffset + program.data().length, BSS_ALIGN);
        return new Layout(noteOffset, rodataOffset, textOffset, dataOffset, bssAddress, writable, headerEnd);
    }

    public static byte[] write(Program program) {
        return write(program, List.of());
    }

    public static byte[] write(Program program, List<ExtraSection> extras) {
        return write(program, extras, true);
    }

    /** Without what only tools read: no symbol table, no DWARF (as {@code strip} leaves a file). */
    public static byte[] writeStripped(Program program) {
        return write(program, List.of(), false);
    }

    private static byte[] write(Program program, List<ExtraSection> extras, boolean symbols) {
        if (!program.imports().isEmpty()) {
            throw new Relocator.RelocationException("an ELF executable cannot import " + program.imports().getFirst()
                    + ": DLL imports exist only for windows-x64");
        }
        Layout layout = layout(program);
        if (symbols && !program.debugUnits().isEmpty()) {
            List<ExtraSection> all = new ArrayList<>(Dwarf.sections(program.debugUnits(), layout));
            all.addAll(extras);
            extras = all;
        }
        Map<Section, byte[]> contents = Relocator.apply(program, layout);
        byte[] text = contents.get(Section.TEXT), rodata = contents.get(Section.RODATA), data = contents.get(Section.DATA);
        int phnum = layout.hasWritableSegment() ? 5 : 4;

        ByteSink out = new ByteSink();
        out.zeros(EHDR_SIZE + phnum * PHDR_SIZE); // filled in once the offsets are known
        out.padTo(layout.noteOffset());
        int buildIdAt = out.size() + 16;
        out.u32(4).u32(BUILD_ID_SIZE).u32(NT_GNU_BUILD_ID).fixedAscii("GNU", 4).zeros(BUILD_ID_SIZE);
        out.padTo(layout.rodataOffset()).bytes(rodata);
        out.padTo(layout.textOffset()).bytes(text);
        if (layout.hasWritableSegment()) out.padTo(layout.dataOffset()).bytes(data);

        // Not loaded: symbols, strings and the extras.
        StringTable shstr = new StringTable();
        StringTable strtab = new StringTable();
        out.alignTo(8);
        long symtabOffset = out.size();
        int firstGlobal = symbols ? writeSymbols(out, program.symbols(), layout, strtab) : 0;
        long symtabSize = out.size() - symtabOffset;
        long strtabOffset = out.size();
        if (symbols) out.bytes(strtab.bytes());
        List<long[]> extraPlaces = new ArrayList<>();
        for (ExtraSection extra : extras) {
            out.alignTo(Math.max(1, extra.alignment()));
            extraPlaces.add(new long[] {out.size(), extra.contents().length});
            out.bytes(extra.contents());
        }

        // Section headers: the names go into .shstrtab, written just before the headers.
        List<SectionHeader> headers = new ArrayList<>();
        headers.add(new SectionHeader(0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        long dataAddress = layout.addressOf(Section.DATA);
        headers.add(new SectionHeader(shstr.add(".note.gnu.build-id"), SHT_NOTE, SHF_ALLOC,
                BASE_ADDRESS + layout.noteOffset(), layout.noteOffset(), 16 + BUILD_ID_SIZE, 0, 0, 4, 0));
        headers.add(new SectionHeader(shstr.add(".rodata"), SHT_PROGBITS, SHF_ALLOC,
                layout.addressOf(Section.RODATA), layout.rodataOffset(), rodata.length, 0, 0, 16, 0));
        headers.add(new SectionHeader(shstr.add(".text"), SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
                layout.addressOf(Section.TEXT), layout.textOffset(), text.length, 0, 0, 16, 0));
        // Without a writable segment, the empty .data and .bss point at the end of the text, not
        // past the end of the file, where tools would complain.
        long dataOffset = layout.hasWritableSegment() ? layout.dataOffset() : layout.textOffset() + text.length;
        long bssOffset = layout.hasWritableSegment() ? layout.dataOffset() + (layout.bssAddress() - dataAddress) : dataOffset;
        headers.add(new SectionHeader(shstr.add(".data"), SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
                dataAddress, dataOffset, layout.hasWritableSegment() ? data.length : 0, 0, 0, 16, 0));
        headers.add(new SectionHeader(shstr.add(".bss"), SHT_NOBITS, SHF_ALLOC | SHF_WRITE,
                layout.bssAddress(), bssOffset, program.bssSize(), 0, 0, BSS_ALIGN, 0));
        if (symbols) {
            int symtabIndex = headers.size();
            headers.add(new SectionHeader(shstr.add(".symtab"), SHT_SYMTAB, 0, 0, symtabOffset, symtabSize,
                    symtabIndex + 1, firstGlobal, 8, SYM_SIZE));
            headers.add(new SectionHeader(shstr.add(".strtab"), SHT_STRTAB, 0, 0, strtabOffset, strtab.bytes().length, 0, 0, 1, 0));
        }
        for (int i = 0; i < extras.size(); i++) {
            ExtraSection extra = extras.get(i);
            headers.add(new SectionHeader(shstr.add(extra.name()), extra.type(), 0, 0, extraPlaces.get(i)[0],
                    extraPlaces.get(i)[1], 0, 0, Math.max(1, extra.alignment()), 0));
        }
        int shstrIndex = headers.size();
        int shstrName = shstr.add(".shstrtab");
        long shstrOffset = out.size();
        byte[] shstrBytes = shstr.bytes();
        headers.add(new SectionHeader(shstrName, SHT_STRTAB, 0, 0, shstrOffset, shstrBytes.length, 0, 0, 1, 0));
        out.bytes(shstrBytes);
        out.alignTo(8);
        long shoff = out.size();
        for (SectionHeader h : headers) h.writeTo(out);

        writeElfHeader(out, program, layout, phnum, shoff, headers.size(), shstrIndex);
        writeProgramHeaders(out, program, layout);

        byte[] file = out.toByteArray();
        byte[] id = sha1(file);
        System.arraycopy(id, 0, file, buildIdAt, BUILD_ID_SIZE);
        return file;
    }

    private static void writeElfHeader(ByteSink out, Program program, Layout layout, int phnum, long shoff,
                                       int shnum, int shstrndx) {
        ByteSink h = new ByteSink();
        h.u8(0x7f).u8('E').u8('L').u8('F');
        h.u8(2 /* ELFCLASS64 */).u8(1 /* little-endian */).u8(1 /* EV_CURRENT */).u8(0 /* System V ABI */);
        h.zeros(8);
        h.u16(2 /* ET_EXEC */).u16(62 /* EM_X86_64 */).u32(1);
        h.u64(layout.addressOf(program.entry()));
        h.u64(EHDR_SIZE).u64(shoff).u32(0);
        h.u16(EHDR_SIZE).u16(PHDR_SIZE).u16(phnum).u16(SHDR_SIZE).u16(shnum).u16(shstrndx);
        out.put(0, h.toByteArray());
    }

    private static void writeProgramHeaders(ByteSink out, Program program, Layout layout) {
        ByteSink p = new ByteSink();
        long headerEnd = layout.headerSegmentEnd();
        phdr(p, PT_LOAD, PF_R, 0, BASE_ADDRESS, headerEnd, headerEnd, PAGE);
        long textSize = program.text().length;
        phdr(p, PT_LOAD, PF_R | PF_X, layout.textOffset(), layout.addressOf(Section.TEXT), textSize, textSize, PAGE);
        if (layout.hasWritableSegment()) {
            long dataAddress = layout.addressOf(Section.DATA);
            long memsz = (layout.bssAddress() - dataAddress) + program.bssSize();
            phdr(p, PT_LOAD, PF_R | PF_W, layout.dataOffset(), dataAddress, program.data().length, memsz, PAGE);
        }
        phdr(p, PT_NOTE, PF_R, layout.noteOffset(), BASE_ADDRESS + layout.noteOffset(), 16 + BUILD_ID_SIZE,
                16 + BUILD_ID_SIZE, 4);
        phdr(p, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
        out.put(EHDR_SIZE, p.toByteArray());
    }

    private static void phdr(ByteSink p, int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {
        p.u32(type).u32(flags).u64(offset).u64(vaddr).u64(vaddr).u64(filesz).u64(memsz).u64(align);
    }

    /** Writes the symbol table, locals first as ELF requires; returns the index of the first global. */
    private static int writeSymbols(ByteSink out, List<ProgramSymbol> symbols, Layout layout, StringTable strtab) {
        out.zeros(SYM_SIZE);
        int firstGlobal = 1;
        for (ProgramSymbol s : symbols) {
            if (s.local()) {
                writeSymbol(out, s, layout, strtab);
                firstGlobal++;
            }
        }
        for (ProgramSymbol s : symbols) if (!s.local()) writeSymbol(out, s, layout, strtab);
        return firstGlobal;
    }

    private static void writeSymbol(ByteSink out, ProgramSymbol s, Layout layout, StringTable strtab) {
        int type = switch (s.type()) {
            case FUNCTION -> STT_FUNC;
            case OBJECT -> STT_OBJECT;
            case LABEL -> STT_NOTYPE;
        };
        int bind = s.local() ? STB_LOCAL : STB_GLOBAL;
        out.u32(strtab.add(s.name())).u8((bind << 4) | type).u8(0).u16(sectionIndex(s.section()));
        out.u64(layout.addressOf(s.section()) + s.offset()).u64(s.size());
    }

    private static int sectionIndex(Section s) {
        return switch (s) {
            case RODATA -> 2;
            case TEXT -> 3;
            case DATA -> 4;
            case BSS -> 5;
        };
    }

    private record SectionHeader(int name, int type, long flags, long addr, long offset, long size, int link,
                                 int info, long align, long entsize) {
        void writeTo(ByteSink out) {
            out.u32(name).u32(type).u64(flags).u64(addr).u64(offset).u64(size).u32(link).u32(info).u64(align).u64(entsize);
        }
    }

    /** An ELF string table: NUL-terminated names, each stored once. */
    static final class StringTable {
        private final ByteSink bytes = new ByteSink();
        private final Map<String, Integer> offsets = new LinkedHashMap<>();

        StringTable() { bytes.u8(0); offsets.put("", 0); }

        int add(String s) {
            return offsets.computeIfAbsent(s, k -> {
                int at = bytes.size();
                bytes.bytes(k.getBytes(StandardCharsets.UTF_8)).u8(0);
                return at;
            });
        }

        byte[] bytes() { return bytes.toByteArray(); }
    }

    static byte[] sha1(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-1", e);
        }
    }
}
