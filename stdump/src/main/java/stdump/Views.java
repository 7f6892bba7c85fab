package stdump;

import st.bytecode.BytecodeException;
import st.bytecode.Instruction;
import st.bytecode.Listing;
import st.bytecode.Opcode;
import st.format.io.FileLayout;
import st.format.io.ModuleFile;
import st.format.io.Section;
import st.format.model.ClassDef;
import st.format.model.CodeDef;
import st.format.model.Literal;
import st.format.model.MethodDef;
import st.format.model.Module;
import st.format.model.NativeCode;
import stjit.x64.Disassembler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The views of a file. Each comes as text and as a tree of maps and lists that Jackson writes as
 * JSON; both are built in file order only, so the same file always prints the same output.
 */
final class Views {

    private Views() {}

    static String lower(Enum<?> e) { return e.name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    // ---- summary ---------------------------------------------------------------------------

    static Map<String, Object> summary(Input input, FileLayout layout, ModuleFile file) {
        Module m = file.module();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("file", input.name());
        s.put("kind", lower(m.kind()));
        s.put("formatVersion", layout.major() + "." + layout.minor());
        s.put("target", lower(m.target()));
        s.put("flags", m.flags());
        s.put("name", m.name());
        s.put("size", layout.fileLength());
        List<Map<String, Object>> sections = new ArrayList<>();
        for (FileLayout.Entry e : layout.sections()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", e.tag());
            row.put("offset", e.offset());
            row.put("length", e.length());
            row.put("crc32", String.format("%08x", e.crc()));
            sections.add(row);
        }
        s.put("sections", sections);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("sourceFiles", m.sourceFiles().size());
        counts.put("classes", m.classes().size());
        counts.put("methods", m.methods().size());
        int[] blocksAndLiterals = new int[2];
        for (MethodDef md : m.methods()) count(md.code(), blocksAndLiterals);
        counts.put("blocks", blocksAndLiterals[0]);
        counts.put("literals", blocksAndLiterals[1]);
        counts.put("startup", m.startup().size());
        counts.put("imports", m.imports().size());
        counts.put("exports", m.exports().size());
        if (m.nativeCode() != null) {
            counts.put("nativeTextBytes", m.nativeCode().text().length);
            counts.put("nativeSymbols", m.nativeCode().symbols().size());
            counts.put("relocations", m.nativeCode().relocations().size());
        }
        s.put("counts", counts);
        s.put("sourceFiles", m.sourceFiles());
        s.put("imports", m.imports());
        s.put("exports", m.exports());
        s.put("startup", m.startup().stream().map(Module.MethodRef::toString).toList());
        return s;
    }

    private static void count(CodeDef code, int[] blocksAndLiterals) {
        blocksAndLiterals[1] += code.literals().size();
        for (Literal l : code.literals()) if (l instanceof Literal.Block(CodeDef b)) {
            blocksAndLiterals[0]++;
            count(b, blocksAndLiterals);
        }
    }

    @SuppressWarnings("unchecked")
    static String summaryText(Map<String, Object> s) {
        StringBuilder b = new StringBuilder();
        b.append(s.get("file")).append(": ").append(s.get("kind")).append(" (format ").append(s.get("formatVersion"))
                .append("), target ").append(s.get("target")).append(", flags 0x").append(Integer.toHexString((Integer) s.get("flags")))
                .append(", ").append(s.get("size")).append(" bytes\n");
        b.append("name: ").append(s.get("name") == null ? "(none)" : s.get("name")).append('\n');
        List<Map<String, Object>> sections = (List<Map<String, Object>>) s.get("sections");
        b.append("sections: ").append(sections.size()).append('\n');
        b.append("  id         offset     length  crc32\n");
        for (Map<String, Object> row : sections)
            b.append(String.format("  %-4s  %11d  %9d  %s%n", row.get("id"), row.get("offset"), row.get("length"), row.get("crc32")));
        Map<String, Object> counts = (Map<String, Object>) s.get("counts");
        b.append("counts:");
        counts.forEach((k, v) -> b.append(' ').append(k).append(' ').append(v).append(','));
        b.setLength(b.length() - 1);
        b.append('\n');
        List<String> files = (List<String>) s.get("sourceFiles");
        b.append("source files:").append(files.isEmpty() ? " (none)" : "").append('\n');
        for (String f : files) b.append("  ").append(f).append('\n');
        b.append("imports: ").append(join((List<String>) s.get("imports"))).append('\n');
        b.append("exports: ").append(join((List<String>) s.get("exports"))).append('\n');
        b.append("startup: ").append(join((List<String>) s.get("startup"))).append('\n');
        return b.toString();
    }

    static String join(List<String> items) { return items.isEmpty() ? "(none)" : String.join(" ", items); }

    // ---- classes ---------------------------------------------------------------------------

    static List<Map<String, Object>> classes(Module m) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ClassDef c : m.classes()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("name", c.name());
            j.put("superclass", c.superclass());
            j.put("shape", lower(c.shape()));
            j.put("instVars", c.instVars());
            j.put("classVars", c.classVars());
            j.put("classInstVars", c.classInstVars());
            j.put("category", c.category());
            j.put("comment", c.comment());
            j.put("location", location(m, c.sourceFile(), c.line(), c.col()));
            j.put("instanceMethods", m.methods().stream().filter(md -> md.className().equals(c.name()) && !md.meta()).map(MethodDef::selector).toList());
            j.put("classMethods", m.methods().stream().filter(md -> md.className().equals(c.name()) && md.meta()).map(MethodDef::selector).toList());
            out.add(j);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static String classesText(List<Map<String, Object>> classes) {
        StringBuilder b = new StringBuilder();
        for (Map<String, Object> c : classes) {
            b.append(c.get("name")).append(" (superclass ").append(c.get("superclass") == null ? "none" : c.get("superclass"))
                    .append(", ").append(c.get("shape")).append(')');
            if (c.get("location") != null) b.append("  ").append(c.get("location"));
            b.append('\n');
            if (c.get("category") != null) b.append("  category: ").append(c.get("category")).append('\n');
            b.append("  instance variables: ").append(join((List<String>) c.get("instVars"))).append('\n');
            b.append("  class variables: ").append(join((List<String>) c.get("classVars"))).append('\n');
            b.append("  class-side instance variables: ").append(join((List<String>) c.get("classInstVars"))).append('\n');
            if (c.get("comment") != null) b.append("  comment: ").append(oneLine((String) c.get("comment"))).append('\n');
            b.append("  instance methods: ").append(join((List<String>) c.get("instanceMethods"))).append('\n');
            b.append("  class methods: ").append(join((List<String>) c.get("classMethods"))).append('\n');
        }
        return b.toString();
    }

    static String plural(int n, String word) { return n + " " + word + (n == 1 ? "" : "s"); }

    static String oneLine(String s) { return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r"); }

    static String location(Module m, int file, int line, int col) {
        if (file < 0 || file >= m.sourceFiles().size()) return line > 0 ? line + ":" + col : null;
        return m.sourceFiles().get(file) + ":" + line + ":" + col;
    }

    // ---- methods ---------------------------------------------------------------------------

    static List<Map<String, Object>> methods(Module m, Predicate<MethodDef> filter) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < m.methods().size(); i++) {
            MethodDef md = m.methods().get(i);
            if (!filter.test(md)) continue;
            CodeDef c = md.code();
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("index", i);
            j.put("name", md.qualifiedName());
            j.put("category", md.category());
            j.put("primitive", md.primitive());
            j.put("primitiveName", md.primitiveName());
            j.put("pragmas", md.pragmas().stream().map(p -> p.keyword() + (p.arguments().isEmpty() ? ""
                    : " " + String.join(" ", p.arguments().stream().map(Listing::literal).toList()))).toList());
            j.put("args", c.numArgs());
            j.put("temps", c.numTemps());
            j.put("stack", c.frameSize());
            j.put("bytecodeSize", c.bytecodes().length);
            j.put("literals", c.literals().size());
            j.put("flags", flags(c));
            j.put("location", location(m, md.sourceFile(), md.line(), md.col()));
            out.add(j);
        }
        return out;
    }

    static List<String> flags(CodeDef c) {
        List<String> f = new ArrayList<>();
        if (c.is(CodeDef.IS_BLOCK)) f.add("block");
        if (c.is(CodeDef.HAS_NONLOCAL_RETURN)) f.add("non-local-return");
        if (c.is(CodeDef.USES_THIS_CONTEXT)) f.add("this-context");
        return f;
    }

    @SuppressWarnings("unchecked")
    static String methodsText(List<Map<String, Object>> methods) {
        StringBuilder b = new StringBuilder();
        for (Map<String, Object> md : methods) {
            b.append(String.format("%4d  %s", md.get("index"), md.get("name")));
            if (md.get("category") != null) b.append("  [").append(md.get("category")).append(']');
            b.append("  ").append(plural((Integer) md.get("args"), "arg")).append(", ").append(plural((Integer) md.get("temps"), "temp"))
                    .append(", stack ").append(md.get("stack")).append(", ").append(plural((Integer) md.get("bytecodeSize"), "byte"))
                    .append(", ").append(plural((Integer) md.get("literals"), "literal"));
            if ((Integer) md.get("primitive") != 0) b.append(", primitive ").append(md.get("primitive"));
            if (md.get("primitiveName") != null) b.append(", primitive '").append(md.get("primitiveName")).append('\'');
            for (String f : (List<String>) md.get("flags")) b.append(", ").append(f);
            for (String p : (List<String>) md.get("pragmas")) b.append(", <").append(p).append('>');
            if (md.get("location") != null) b.append("  ").append(md.get("location"));
            b.append('\n');
        }
        return b.toString();
    }

    // ---- bytecodes -------------------------------------------------------------------------

    static List<Map<String, Object>> bytecodes(Module m, Predicate<MethodDef> filter) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MethodDef md : m.methods()) {
            if (!filter.test(md)) continue;
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("name", md.qualifiedName());
            j.put("location", location(m, md.sourceFile(), md.line(), md.col()));
            j.put("source", md.source());
            j.put("code", code(md.code()));
            out.add(j);
        }
        return out;
    }

    static Map<String, Object> code(CodeDef c) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("args", c.numArgs());
        j.put("copied", c.numCopied());
        j.put("temps", c.numTemps());
        j.put("stack", c.frameSize());
        j.put("flags", flags(c));
        j.put("literals", c.literals().stream().map(Views::literal).toList());
        List<Map<String, Object>> instructions = new ArrayList<>();
        try {
            for (Instruction ins : Instruction.decodeAll(c.bytecodes())) {
                Map<String, Object> i = new LinkedHashMap<>();
                i.put("pc", ins.pc());
                i.put("op", ins.op().mnemonic());
                List<Integer> operands = new ArrayList<>();
                if (ins.op().operandCount() > 0) operands.add(ins.op().isJump() ? ins.target() : ins.a());
                if (ins.op().operandCount() > 1) operands.add(ins.b());
                i.put("operands", operands);
                i.put("text", Listing.instruction(ins, c.literals()));
                CodeDef.SourcePos pos = c.positionAt(ins.pc());
                if (pos != null) i.put("source", pos.line() + ":" + pos.col());
                if (ins.op() == Opcode.PUSH_CLOSURE && ins.a() < c.literals().size()
                        && c.literals().get(ins.a()) instanceof Literal.Block(CodeDef block))
                    i.put("block", code(block));
                instructions.add(i);
            }
        } catch (BytecodeException e) {
            j.put("error", e.getMessage());
        }
        j.put("instructions", instructions);
        return j;
    }

    static String bytecodesText(Module m, Predicate<MethodDef> filter, boolean withSource) {
        StringBuilder b = new StringBuilder();
        for (MethodDef md : m.methods()) {
            if (!filter.test(md)) continue;
            if (!b.isEmpty()) b.append('\n');
            b.append(Listing.method(md, withSource));
        }
        return b.toString();
    }

    // ---- literals --------------------------------------------------------------------------

    static Map<String, Object> literal(Literal l) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("kind", switch (l) {
            case Literal.Constant c -> lower(c);
            case Literal.Int i -> i.value().bitLength() <= 62 ? "small-integer" : "large-integer"; // 63-bit tagged range
            case Literal.Float f -> "float";
            case Literal.ScaledDecimal s -> "scaled-decimal";
            case Literal.Char c -> "character";
            case Literal.Str s -> "string";
            case Literal.Sym s -> "symbol";
            case Literal.Bytes b -> "byte-array";
            case Literal.Array a -> "array";
            case Literal.Binding b -> "binding";
            case Literal.Block b -> "block";
        });
        j.put("value", Listing.literal(l));
        switch (l) {
            case Literal.Float(double v) -> j.put("bits", String.format("%016x", Double.doubleToRawLongBits(v)));
            case Literal.Array(List<Literal> elements) -> j.put("elements", elements.stream().map(Views::literal).toList());
            case Literal.Block(CodeDef code) -> j.put("code", code(code));
            default -> { }
        }
        return j;
    }

    static List<Map<String, Object>> literals(Module m, Predicate<MethodDef> filter) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MethodDef md : m.methods()) {
            if (!filter.test(md)) continue;
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("name", md.qualifiedName());
            j.put("literals", md.code().literals().stream().map(Views::literal).toList());
            out.add(j);
        }
        return out;
    }

    static String literalsText(Module m, Predicate<MethodDef> filter) {
        StringBuilder b = new StringBuilder();
        for (MethodDef md : m.methods()) {
            if (!filter.test(md)) continue;
            b.append(md.qualifiedName()).append('\n');
            literalsText(md.code(), "  ", b);
        }
        return b.toString();
    }

    private static void literalsText(CodeDef code, String indent, StringBuilder b) {
        List<Literal> lits = code.literals();
        for (int i = 0; i < lits.size(); i++) {
            Literal l = lits.get(i);
            b.append(indent).append(String.format("%3d  ", i)).append(literal(l).get("kind")).append("  ");
            if (l instanceof Literal.Block(CodeDef block)) {
                b.append("[").append(block.numArgs()).append(" args]\n");
                literalsText(block, indent + "       ", b);
            } else {
                b.append(Listing.literal(l));
                if (l instanceof Literal.Float(double v)) b.append(String.format("  (bits %016x)", Double.doubleToRawLongBits(v)));
                b.append('\n');
            }
        }
    }

    // ---- native symbols and code -----------------------------------------------------------

    static Map<String, Object> symbols(Module m) { return symbols(m, 0); }

    /** {@code base}: the address of the library's first byte of code (0 for a library file). */
    static Map<String, Object> symbols(Module m, long base) {
        Map<String, Object> j = new LinkedHashMap<>();
        NativeCode n = m.nativeCode();
        if (n == null) {
            j.put("symbols", List.of());
            j.put("relocations", List.of());
            return j;
        }
        List<Map<String, Object>> syms = new ArrayList<>();
        for (NativeCode.Symbol s : n.symbols()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", s.name());
            e.put("kind", lower(s.kind()));
            e.put(base == 0 ? "offset" : "address", base + s.offset());
            e.put("size", s.size());
            e.put("method", s.method() >= 0 ? m.methods().get(s.method()).qualifiedName() : null);
            syms.add(e);
        }
        List<Map<String, Object>> rels = new ArrayList<>();
        for (NativeCode.Relocation r : n.relocations()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put(base == 0 ? "offset" : "address", base + r.offset());
            e.put("kind", r.kind().name());
            e.put("target", r.target());
            e.put("addend", r.addend());
            rels.add(e);
        }
        j.put("symbols", syms);
        j.put("relocations", rels);
        return j;
    }

    static String symbolsText(Module m) { return symbolsText(m, 0); }

    static String symbolsText(Module m, long base) {
        NativeCode n = m.nativeCode();
        if (n == null) return "no native code (this is a " + lower(m.kind()) + " without native sections)\n";
        StringBuilder b = new StringBuilder("symbols: ").append(n.symbols().size()).append('\n');
        for (NativeCode.Symbol s : n.symbols())
            b.append(String.format("  %08x %8d  %-6s %s%n", base + s.offset(), s.size(), lower(s.kind()), s.name()));
        b.append("relocations: ").append(n.relocations().size()).append('\n');
        for (NativeCode.Relocation r : n.relocations())
            b.append(String.format("  %08x  %-5s %s%s%n", base + r.offset(), r.kind(), r.target(), addend(r.addend())));
        return b.toString();
    }

    private static List<String> relocationsIn(NativeCode n, long base, long from, long to) {
        List<String> out = new ArrayList<>();
        for (NativeCode.Relocation r : n.relocations())
            if (base + r.offset() >= from && base + r.offset() < to)
                out.add(String.format("%x: %s %s%s", base + r.offset(), r.kind(), r.target(), addend(r.addend())));
        return out;
    }

    private static String addend(long a) { return a == 0 ? "" : a > 0 ? "+" + a : String.valueOf(a); }

    static List<Map<String, Object>> nativeCode(Module m, Predicate<MethodDef> filter) {
        return nativeCode(m, filter, Linked.NONE);
    }

    /**
     * Where a library's code sits in an executable: its first byte's address, the code as loaded
     * (relocated), and names for the addresses instructions refer to.
     */
    record Linked(long base, byte[] text, java.util.function.LongFunction<String> names) {
        static final Linked NONE = new Linked(0, null, a -> null);

        byte[] textOf(NativeCode n) { return text != null ? text : n.text(); }
    }

    private static List<Disassembler.Line> lines(NativeCode n, NativeCode.Symbol s, Linked at) {
        byte[] text = at.textOf(n);
        return Disassembler.nameTargets(Disassembler.disassemble(text, s.offset(), s.offset() + s.size(), at.base() + s.offset()),
                at.names());
    }

    static List<Map<String, Object>> nativeCode(Module m, Predicate<MethodDef> filter, Linked at) {
        List<Map<String, Object>> out = new ArrayList<>();
        NativeCode n = m.nativeCode();
        if (n == null) return out;
        for (NativeCode.Symbol s : n.symbols()) {
            MethodDef md = s.method() >= 0 ? m.methods().get(s.method()) : null;
            if (md != null ? !filter.test(md) : !filter.test(null)) continue;
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("symbol", s.name());
            j.put("kind", lower(s.kind()));
            String where = at.base() == 0 ? "offset" : "address";
            j.put(where, at.base() + s.offset());
            j.put("size", s.size());
            if (md != null) j.put("method", md.qualifiedName());
            j.put("bytes", HexDump.pairs(at.textOf(n), s.offset(), s.offset() + s.size()));
            List<Map<String, Object>> instructions = new ArrayList<>();
            for (Disassembler.Line line : lines(n, s, at)) {
                Map<String, Object> i = new LinkedHashMap<>();
                i.put(where, line.address());
                i.put("bytes", HexDump.pairs(line.bytes(), 0, line.length()));
                i.put("text", line.text());
                List<String> relocs = relocationsIn(n, at.base(), line.address(), line.address() + line.length());
                if (!relocs.isEmpty()) i.put("relocations", relocs);
                instructions.add(i);
            }
            j.put("instructions", instructions);
            if (md != null && s.kind() == NativeCode.SymbolKind.METHOD) j.put("bytecodes", code(md.code()));
            out.add(j);
        }
        return out;
    }

    static String nativeText(Module m, Predicate<MethodDef> filter, boolean withSource) {
        return nativeText(m, filter, withSource, Linked.NONE);
    }

    static String nativeText(Module m, Predicate<MethodDef> filter, boolean withSource, Linked at) {
        NativeCode n = m.nativeCode();
        if (n == null) return "no native code (this is a " + lower(m.kind()) + " without native sections)\n";
        StringBuilder b = new StringBuilder();
        for (NativeCode.Symbol s : n.symbols()) {
            MethodDef md = s.method() >= 0 ? m.methods().get(s.method()) : null;
            if (md != null ? !filter.test(md) : !filter.test(null)) continue;
            if (!b.isEmpty()) b.append('\n');
            b.append(String.format("%08x <%s>  %s, %d bytes%n", at.base() + s.offset(), s.name(), lower(s.kind()), s.size()));
            if (md != null && s.kind() == NativeCode.SymbolKind.METHOD)
                for (String line : Listing.method(md, withSource).split("\n")) b.append("  ;; ").append(line).append('\n');
            for (Disassembler.Line line : lines(n, s, at)) {
                b.append(line).append('\n');
                for (String r : relocationsIn(n, at.base(), line.address(), line.address() + line.length()))
                    b.append("\t\t\treloc ").append(r).append('\n');
            }
        }
        return b.toString();
    }

    // ---- raw sections ----------------------------------------------------------------------

    static FileLayout.Entry section(FileLayout layout, String tag) {
        for (FileLayout.Entry e : layout.sections()) if (e.tag().equalsIgnoreCase(tag)) return e;
        return null;
    }

    static String knownTags(FileLayout layout) {
        return String.join(" ", layout.sections().stream().map(FileLayout.Entry::tag).toList());
    }

    static Map<String, Object> hex(Input input, FileLayout.Entry e) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("section", e.tag());
        Section known = e.section();
        j.put("known", known != null);
        j.put("offset", e.offset());
        j.put("length", e.length());
        j.put("bytes", HexDump.pairs(input.bytes(), (int) e.offset(), (int) (e.offset() + e.length())));
        return j;
    }

    static Map<String, Object> headerHex(Input input, FileLayout layout) {
        int end = headerEnd(layout);
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("section", "header");
        j.put("offset", 0);
        j.put("length", end);
        j.put("bytes", HexDump.pairs(input.bytes(), 0, end));
        return j;
    }

    static String headerHexText(Input input, FileLayout layout) {
        int end = headerEnd(layout);
        return "header and section table, " + end + " bytes\n" + HexDump.of(input.bytes(), 0, end, 0);
    }

    private static int headerEnd(FileLayout layout) {
        return st.format.io.Format.HEADER_SIZE + layout.sections().size() * st.format.io.Format.SECTION_ENTRY_SIZE;
    }

    static String hexText(Input input, FileLayout.Entry e) {
        return "section " + e.tag() + " at offset " + e.offset() + ", " + e.length() + " bytes\n"
                + HexDump.of(input.bytes(), (int) e.offset(), (int) (e.offset() + e.length()), 0);
    }
}
