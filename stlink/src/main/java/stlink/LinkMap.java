package stlink;

import stlink.image.AddressMap;
import stlink.image.Program;
import stlink.image.ProgramSymbol;
import stlink.image.Section;
import stlink.link.Linker;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The text of {@code stlink --map}: the program's sections, where each input landed, and every
 * symbol by address with its size, in the spirit of {@code ld -Map}.
 */
final class LinkMap {
    private LinkMap() {}

    static String render(Program program, AddressMap addresses, List<Linker.Placement> placements, String target) {
        StringBuilder b = new StringBuilder();
        b.append("# stlink link map, target ").append(target).append('\n');
        b.append("# entry ").append(hex(addresses.addressOf(program.entry()))).append("\n\n");
        b.append("Sections:\n");
        for (Section s : Section.values()) {
            b.append(String.format(Locale.ROOT, "  %-8s %s  %s%n", name(s), hex(addresses.addressOf(s)), size(program.sizeOf(s))));
        }
        b.append("\nInputs:\n");
        for (Linker.Placement p : placements) {
            b.append(String.format(Locale.ROOT, "  %-8s %s  %s  %s%n", name(p.section()),
                    hex(addresses.addressOf(p.section()) + p.offset()), size(p.size()), p.origin()));
        }
        if (!program.imports().isEmpty()) {
            b.append("\nImports:\n");
            program.imports().forEach(i -> b.append(String.format(Locale.ROOT, "  %s  %s%n",
                    hex(addresses.importSlot(i)), i)));
        }
        b.append("\nSymbols:\n");
        program.symbols().stream()
                .sorted(Comparator.comparingLong((ProgramSymbol s) -> addresses.addressOf(s.section()) + s.offset()))
                .forEach(s -> b.append(String.format(Locale.ROOT, "  %s  %s  %-8s %s%s%n",
                        hex(addresses.addressOf(s.section()) + s.offset()), size(s.size()), name(s.section()),
                        s.name(), s.local() ? "  (local)" : "")));
        return b.toString();
    }

    private static String name(Section s) {
        return switch (s) {
            case TEXT -> ".text";
            case RODATA -> ".rodata";
            case DATA -> ".data";
            case BSS -> ".bss";
        };
    }

    private static String hex(long address) { return String.format(Locale.ROOT, "0x%016x", address); }

    private static String size(long size) { return String.format(Locale.ROOT, "0x%08x", size); }
}
