package stdump;

import st.format.io.FormatException;
import st.format.io.LinkedLibraries;
import st.format.io.ModuleFile;
import st.format.io.ModuleReader;
import st.format.model.NativeCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * An ELF or PE executable written by stlink, read back as Smalltalk: its header facts, and the
 * libraries it was linked from, found in its {@code .stlibs} section (docs/FORMAT.md,
 * "Executables"), each with the code as it lies in the executable. Every offset, length and count
 * is checked against the file before use; a problem is a {@link FormatException} naming it.
 */
record ExecutableFile(Map<String, Object> facts, LinkedLibraries.Contents contents, List<Library> libraries) {

    /** One embedded library: the library file, and its code as loaded (relocated) in the executable. */
    record Library(String name, long textAddress, ModuleFile file, byte[] loadedText) {
        Views.Linked linked(LongFunction<String> names) { return new Views.Linked(textAddress, loadedText, names); }
    }

    /** A part of the file that is mapped at an address: [address, address + size) is file [offset, offset + size). */
    private record Mapped(long address, long offset, long size) {}

    /** A named section's bytes in the file. */
    private record Named(String name, long offset, long size) {}

    boolean hasLibraries() { return contents != null; }

    /** The executable, or a failure naming the file and the problem. */
    static ExecutableFile read(Input input, int failCode) {
        try {
            return read(input);
        } catch (FormatException e) {
            throw new st.cli.Tool.Failure(failCode, input.name() + ": " + e.getMessage());
        }
    }

    static ExecutableFile read(Input input) throws FormatException {
        byte[] b = input.bytes();
        boolean elf = input.kind() == Input.Kind.ELF;
        Map<String, Object> facts = elf ? Executables.elf(b) : Executables.pe(b);
        if (facts.containsKey("error") || !elf && !facts.containsKey("sectionTable") || elf && !"x86-64".equals(facts.get("machine")))
            return new ExecutableFile(facts, null, List.of());
        List<Named> sections = new ArrayList<>();
        List<Mapped> mapped = new ArrayList<>();
        if (elf) elfSections(b, sections, mapped); else peSections(b, sections, mapped);
        Named table = null;
        for (Named n : sections) if (n.name().equals(LinkedLibraries.SECTION_NAME)) table = n;
        if (table == null) return new ExecutableFile(facts, null, List.of());
        LinkedLibraries.Contents contents = LinkedLibraries.read(slice(b, table.offset(), table.size(), "section " + table.name()));
        List<Library> libraries = new ArrayList<>();
        for (LinkedLibraries.Library l : contents.libraries()) {
            ModuleFile file;
            try {
                file = ModuleReader.read(l.library());
            } catch (FormatException e) {
                throw new FormatException("embedded library " + l.name() + ": " + e.getMessage());
            }
            NativeCode code = file.module().nativeCode();
            if (code == null) throw new FormatException("embedded library " + l.name() + " has no native code");
            if (code.text().length != l.textSize())
                throw new FormatException("embedded library " + l.name() + ": " + code.text().length + " bytes of code, but "
                        + l.textSize() + " placed in the executable");
            libraries.add(new Library(l.name(), l.textAddress(), file, loaded(b, mapped, l)));
        }
        return new ExecutableFile(facts, contents, libraries);
    }

    /** Every function of every library by address, for naming call targets. */
    LongFunction<String> names() {
        NavigableMap<Long, Map.Entry<String, Long>> symbols = new TreeMap<>();
        for (Library l : libraries)
            for (NativeCode.Symbol s : l.file().module().nativeCode().symbols())
                symbols.putIfAbsent(l.textAddress() + s.offset(), Map.entry(s.name(), (long) s.size()));
        return stjit.x64.Disassembler.symbolNamer(symbols);
    }

    private static byte[] loaded(byte[] b, List<Mapped> mapped, LinkedLibraries.Library l) throws FormatException {
        for (Mapped m : mapped) {
            if (l.textAddress() >= m.address() && l.textSize() <= m.size() && l.textAddress() - m.address() <= m.size() - l.textSize())
                return slice(b, m.offset() + (l.textAddress() - m.address()), l.textSize(), "the code of " + l.name());
        }
        throw new FormatException("embedded library " + l.name() + ": its code at 0x" + Long.toHexString(l.textAddress())
                + " (" + l.textSize() + " bytes) is not in any part of the file that is loaded");
    }

    private static byte[] slice(byte[] b, long offset, long size, String what) throws FormatException {
        if (offset < 0 || size < 0 || offset > b.length || size > b.length - offset)
            throw new FormatException(what + " lies outside the file (offset " + offset + ", " + size + " bytes)");
        return java.util.Arrays.copyOfRange(b, (int) offset, (int) (offset + size));
    }

    private static void elfSections(byte[] b, List<Named> sections, List<Mapped> mapped) throws FormatException {
        long phoff = Executables.u64(b, 32), shoff = Executables.u64(b, 40);
        int phentsize = Executables.u16(b, 54), phnum = Executables.u16(b, 56);
        int shentsize = Executables.u16(b, 58), shnum = Executables.u16(b, 60), shstrndx = Executables.u16(b, 62);
        // Executables.elf has already checked the program headers.
        for (int i = 0; i < phnum; i++) {
            int at = (int) (phoff + (long) i * phentsize);
            if (Executables.u32(b, at) != 1) continue;
            long offset = Executables.u64(b, at + 8), vaddr = Executables.u64(b, at + 16), filesz = Executables.u64(b, at + 32);
            if (offset >= 0 && filesz >= 0 && offset <= b.length && filesz <= b.length - offset) mapped.add(new Mapped(vaddr, offset, filesz));
        }
        if (shnum == 0) return;
        if (shentsize < 64 || shoff < 0 || shoff > b.length || (long) shnum * shentsize > b.length - shoff)
            throw new FormatException("section headers lie outside the file");
        if (shstrndx >= shnum) throw new FormatException("section name table index " + shstrndx + " is not a section");
        int names = (int) (shoff + (long) shstrndx * shentsize);
        long namesOffset = Executables.u64(b, names + 24), namesSize = Executables.u64(b, names + 32);
        byte[] strings = slice(b, namesOffset, namesSize, "the section name table");
        for (int i = 0; i < shnum; i++) {
            int at = (int) (shoff + (long) i * shentsize);
            int name = Executables.u32(b, at), type = Executables.u32(b, at + 4);
            if (type == 8 /* SHT_NOBITS */) continue;
            if (name < 0 || name >= strings.length) throw new FormatException("section " + i + " has a name outside the name table");
            int end = name;
            while (end < strings.length && strings[end] != 0) end++;
            sections.add(new Named(new String(strings, name, end - name, java.nio.charset.StandardCharsets.UTF_8),
                    Executables.u64(b, at + 24), Executables.u64(b, at + 32)));
        }
    }

    private static void peSections(byte[] b, List<Named> sections, List<Mapped> mapped) {
        // Executables.pe has already checked the headers and that the section table lies in the file.
        int pe = Executables.u32(b, 0x3C);
        int count = Executables.u16(b, pe + 6), optSize = Executables.u16(b, pe + 20);
        int opt = pe + 24;
        long imageBase = Executables.u64(b, opt + 24);
        int table = opt + optSize;
        for (int i = 0; i < count; i++) {
            int s = table + i * 40;
            StringBuilder name = new StringBuilder();
            for (int k = 0; k < 8 && b[s + k] != 0; k++) name.append((char) (b[s + k] & 0xFF));
            long virtualSize = Executables.u32(b, s + 8) & 0xFFFFFFFFL, rva = Executables.u32(b, s + 12) & 0xFFFFFFFFL;
            long rawSize = Executables.u32(b, s + 16) & 0xFFFFFFFFL, raw = Executables.u32(b, s + 20) & 0xFFFFFFFFL;
            long inFile = Math.min(virtualSize == 0 ? rawSize : virtualSize, rawSize);
            sections.add(new Named(name.toString(), raw, inFile));
            mapped.add(new Mapped(imageBase + rva, raw, inFile));
        }
    }
}
