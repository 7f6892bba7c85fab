package stlink;

import stlink.image.Program;
import stlink.image.ProgramSymbol;
import stlink.image.Section;
import stlink.link.Linker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text of {@code stlink --size-report}: where the bytes of an executable go, by section, by
 * input and by class, largest first, to show what dead-code elimination could save.
 */
final class SizeReport {
    private SizeReport() {}

    private static final class Tally {
        long bytes;
        int methods, blocks, other;
    }

    static String render(Program program, List<Linker.Placement> placements, long fileSize, String target) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "executable: %d bytes (%s)%n%n", fileSize, target));
        b.append(String.format(Locale.ROOT, "%-10s %10s%n", "section", "bytes"));
        for (Section s : Section.values()) {
            b.append(String.format(Locale.ROOT, "%-10s %10d%n", name(s), program.sizeOf(s)));
        }
        long inFile = program.text().length + program.rodata().length + program.data().length;
        b.append(String.format(Locale.ROOT, "%-10s %10d  (headers, page padding, symbols, debug info, embedded libraries: "
                + "not loaded; -s leaves most out)%n", "rest", Math.max(0, fileSize - inFile)));

        b.append(String.format(Locale.ROOT, "%n%-40s %-6s %10s %8s%n", "input", "in", "bytes", "symbols"));
        for (Linker.Placement p : placements) {
            long count = program.symbols().stream().filter(s -> s.type() != ProgramSymbol.Type.LABEL && s.section() == p.section()
                    && s.offset() >= p.offset() && s.offset() < p.offset() + Math.max(1, p.size())).count();
            b.append(String.format(Locale.ROOT, "%-40s %-6s %10d %8d%n", p.origin(), name(p.section()), p.size(), count));
        }

        Map<String, Tally> byClass = new LinkedHashMap<>();
        for (ProgramSymbol s : program.symbols()) {
            if (s.section() != Section.TEXT || s.type() != ProgramSymbol.Type.FUNCTION) continue;
            String owner = ownerClass(s.name());
            Tally t = byClass.computeIfAbsent(owner == null ? "(stubs and other code)" : owner, k -> new Tally());
            t.bytes += s.size();
            if (owner == null) t.other++;
            else if (s.name().startsWith("[] in ")) t.blocks++;
            else t.methods++;
        }
        List<Map.Entry<String, Tally>> rows = new ArrayList<>(byClass.entrySet());
        rows.sort(Comparator.comparingLong((Map.Entry<String, Tally> e) -> -e.getValue().bytes).thenComparing(Map.Entry::getKey));
        b.append(String.format(Locale.ROOT, "%n%-40s %10s %8s %8s%n", "class (code)", "bytes", "methods", "blocks"));
        long total = 0;
        for (Map.Entry<String, Tally> e : rows) {
            Tally t = e.getValue();
            total += t.bytes;
            b.append(String.format(Locale.ROOT, "%-40s %10d %8d %8d%n", e.getKey(), t.bytes, t.methods + t.other, t.blocks));
        }
        b.append(String.format(Locale.ROOT, "%-40s %10d%n", "total in functions", total));
        return b.toString();
    }

    /** {@code Foo} for {@code Foo>>bar}, {@code Foo class>>bar} and {@code [] in Foo>>bar}; null otherwise. */
    static String ownerClass(String symbol) {
        String s = symbol.startsWith("[] in ") ? symbol.substring(6) : symbol;
        int arrows = s.indexOf(">>");
        if (arrows <= 0) return null;
        String owner = s.substring(0, arrows);
        return owner.endsWith(" class") ? owner.substring(0, owner.length() - 6) : owner;
    }

    private static String name(Section s) {
        return switch (s) {
            case TEXT -> ".text";
            case RODATA -> ".rodata";
            case DATA -> ".data";
            case BSS -> ".bss";
        };
    }
}
