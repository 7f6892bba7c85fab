package stlink.image;

import java.util.List;
import java.util.Objects;

/**
 * A linked program before it gets addresses: the contents of each section, its symbols, the
 * relocations still to apply, the functions it imports and its entry point. An executable writer
 * (ELF or PE) chooses the addresses, applies the fixups with {@link Relocator} and writes the file.
 *
 * @param bssSize  bytes of zero-filled data after {@link #data}
 * @param imports  functions imported from DLLs, in import-table order (empty for ELF)
 * @param entry    where execution starts
 * @param debugUnits source files and lines of the code, per library (may be empty)
 */
public record Program(byte[] text, byte[] rodata, byte[] data, long bssSize, List<ProgramSymbol> symbols,
                      List<Fixup> fixups, List<Import> imports, Place.InSection entry, List<DebugUnit> debugUnits) {

    public Program(byte[] text, byte[] rodata, byte[] data, long bssSize, List<ProgramSymbol> symbols,
                   List<Fixup> fixups, List<Import> imports, Place.InSection entry) {
        this(text, rodata, data, bssSize, symbols, fixups, imports, entry, List.of());
    }

    public Program {
        Objects.requireNonNull(text);
        Objects.requireNonNull(rodata);
        Objects.requireNonNull(data);
        if (bssSize < 0) throw new IllegalArgumentException("negative bss size");
        symbols = List.copyOf(symbols);
        fixups = List.copyOf(fixups);
        imports = List.copyOf(imports);
        Objects.requireNonNull(entry);
        debugUnits = List.copyOf(debugUnits);
    }

    /** Bytes the section occupies in memory. */
    public long sizeOf(Section section) {
        return switch (section) {
            case TEXT -> text.length;
            case RODATA -> rodata.length;
            case DATA -> data.length;
            case BSS -> bssSize;
        };
    }
}
