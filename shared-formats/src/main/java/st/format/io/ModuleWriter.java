package st.format.io;

import st.format.model.ClassDef;
import st.format.model.CodeDef;
import st.format.model.Literal;
import st.format.model.MethodDef;
import st.format.model.Module;
import st.format.model.NativeCode;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Writes a {@link Module} (with any raw sections) as a file of the format, laid out as
 * docs/FORMAT.md describes. The output depends only on the module: strings, literals and code
 * are numbered in the order a fixed traversal first meets them, so the same module always gives
 * the same bytes.
 *
 * <p>A module that the reader would refuse (an index out of range, malformed bytecode, literals
 * nested too deeply) is a bug in the producer and is rejected with an {@link IllegalArgumentException}.
 */
public final class ModuleWriter {
    private final ModuleFile file;
    private final Module module;
    private final Map<String, Integer> strings = new LinkedHashMap<>();
    private final Map<CodeDef, Integer> codes = new LinkedHashMap<>();
    private final Map<Literal, Integer> literals = new LinkedHashMap<>();

    private ModuleWriter(ModuleFile file) {
        this.file = file;
        this.module = file.module();
    }

    public static byte[] write(Module module) { return write(new ModuleFile(module)); }

    public static byte[] write(ModuleFile file) { return new ModuleWriter(file).build(); }

    private byte[] build() {
        validate();
        // Post-order numbering: a block's code and an array's elements get smaller indices than
        // the literal that holds them, so the reader can resolve everything in one forward pass.
        for (MethodDef m : module.methods()) {
            for (MethodDef.Pragma p : m.pragmas()) for (Literal l : p.arguments()) literal(l);
            code(m.code());
        }
        checkNesting();
        Map<Integer, byte[]> sections = new LinkedHashMap<>();
        sections.put(Section.MODL.id, modl());
        byte[] srcf = srcf(), clas = clas(), meth = meth(), code = codeSection(), lits = lits(), strt = strt();
        byte[] impt = names(module.imports()), expt = names(module.exports());
        byte[][] natives = module.nativeCode() == null ? null : natives(module.nativeCode());
        sections.put(Section.STRS.id, strs());
        sections.put(Section.SRCF.id, srcf);
        sections.put(Section.CLAS.id, clas);
        sections.put(Section.METH.id, meth);
        sections.put(Section.CODE.id, code);
        sections.put(Section.LITS.id, lits);
        sections.put(Section.STRT.id, strt);
        sections.put(Section.IMPT.id, impt);
        sections.put(Section.EXPT.id, expt);
        if (natives != null) {
            sections.put(Section.NTXT.id, natives[0]);
            sections.put(Section.NSYM.id, natives[1]);
            sections.put(Section.NREL.id, natives[2]);
            if (!module.nativeCode().lines().isEmpty()) sections.put(Section.NLIN.id, natives[3]);
        }
        sections.putAll(file.rawSections());
        return layout(module.kind(), module.target(), module.flags(), sections);
    }

    /** Lays out a header, section table and sections, in map order; package-visible for tests that craft hostile files. */
    static byte[] layout(Module.Kind kind, Module.Target target, int flags, Map<Integer, byte[]> sections) {
        long tableEnd = Format.HEADER_SIZE + (long) Format.SECTION_ENTRY_SIZE * sections.size();
        long offset = Format.align(tableEnd);
        Out table = new Out();
        List<long[]> places = new ArrayList<>();
        for (Map.Entry<Integer, byte[]> s : sections.entrySet()) {
            byte[] body = s.getValue();
            table.u32(s.getKey());
            table.u32(crc(body, 0, body.length));
            table.u64(offset);
            table.u64(body.length);
            places.add(new long[] {offset});
            offset = Format.align(offset + body.length);
        }
        long fileLength = offset;
        if (fileLength > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("module too large for one file");
        byte[] out = new byte[(int) fileLength];
        Out header = new Out();
        header.bytes(Format.MAGIC);
        header.u16(Format.MAJOR);
        header.u16(Format.MINOR);
        header.u8(kind.ordinal());
        header.u8(target.ordinal());
        header.u16(0);
        header.u32(flags);
        header.u32(sections.size());
        header.u64(fileLength);
        header.u32(0); // header checksum, filled in below
        header.u32(0);
        System.arraycopy(header.buf, 0, out, 0, header.size);
        System.arraycopy(table.buf, 0, out, Format.HEADER_SIZE, table.size);
        int i = 0;
        for (byte[] body : sections.values()) System.arraycopy(body, 0, out, (int) places.get(i++)[0], body.length);
        int headerCrc = headerCrc(out, (int) tableEnd);
        Out.put32(out, 32, headerCrc);
        return out;
    }

    /**
     * A copy of a file edited in place with its checksums made right again: each section's whose
     * table entry lies inside the file, then the header's. Anything else is left as it is (a
     * file that is not of the format comes back unchanged). For tests and fuzzing: it lets
     * mutated bytes get past the checksums to the section decoders behind them.
     */
    public static byte[] reseal(byte[] file) {
        byte[] b = file.clone();
        if (!ModuleReader.hasMagic(b) || b.length < Format.HEADER_SIZE) return b;
        long count = ModuleReader.u32(b, 20) & 0xFFFFFFFFL;
        long tableEnd = Format.HEADER_SIZE + count * Format.SECTION_ENTRY_SIZE;
        if (tableEnd > b.length) return b;
        for (int i = 0; i < count; i++) {
            int at = Format.HEADER_SIZE + i * Format.SECTION_ENTRY_SIZE;
            long offset = ModuleReader.u64(b, at + 8), length = ModuleReader.u64(b, at + 16);
            if (offset >= 0 && length >= 0 && offset <= b.length && length <= b.length - offset)
                Out.put32(b, at + 4, crc(b, (int) offset, (int) length));
        }
        Out.put32(b, 32, headerCrc(b, (int) tableEnd));
        return b;
    }

    /** CRC-32 of the header (with its checksum field as zero) followed by the section table. */
    static int headerCrc(byte[] file, int tableEnd) {
        CRC32 crc = new CRC32();
        crc.update(file, 0, 32);
        crc.update(new byte[4]);
        crc.update(file, 36, tableEnd - 36);
        return (int) crc.getValue();
    }

    static int crc(byte[] b, int off, int len) {
        CRC32 crc = new CRC32();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    // ---- numbering -------------------------------------------------------------------------

    private int str(String s) {
        if (s == null) return Format.NONE;
        return strings.computeIfAbsent(s, k -> strings.size());
    }

    private int code(CodeDef c) {
        Integer known = codes.get(c);
        if (known != null) return known;
        for (Literal l : c.literals()) literal(l);
        int index = codes.size();
        codes.put(c, index);
        return index;
    }

    private int literal(Literal l) {
        Integer known = literals.get(l);
        if (known != null) return known;
        switch (l) {
            case Literal.Array a -> { for (Literal e : a.elements()) literal(e); }
            case Literal.Block b -> code(b.code());
            default -> { }
        }
        int index = literals.size();
        literals.put(l, index);
        return index;
    }

    /** Applies the reader's nesting limit, computed the same way: see {@link LiteralNesting}. */
    private void checkNesting() {
        LiteralNesting nesting = new LiteralNesting();
        for (Literal l : literals.keySet()) {
            int height = switch (l) {
                case Literal.Array a -> nesting.array(a.elements().stream().mapToInt(e -> literals.get(e)).toArray());
                case Literal.Block b -> nesting.block(b.code().literals().stream().mapToInt(e -> literals.get(e)).toArray());
                default -> nesting.scalar();
            };
            if (height > Format.MAX_LITERAL_DEPTH)
                throw new IllegalArgumentException("literals nested deeper than " + Format.MAX_LITERAL_DEPTH);
        }
        long total = 0;
        for (MethodDef m : module.methods()) {
            total += nesting.size(m.code().literals().stream().mapToInt(e -> literals.get(e)).toArray());
            for (MethodDef.Pragma p : m.pragmas()) total += nesting.size(p.arguments().stream().mapToInt(e -> literals.get(e)).toArray());
            if (total > Format.MAX_EXPANDED_LITERALS)
                throw new IllegalArgumentException("the methods' literals stand for more than " + Format.MAX_EXPANDED_LITERALS + " objects");
        }
    }

    // ---- sections --------------------------------------------------------------------------

    private byte[] modl() {
        Out o = new Out();
        o.u32(str(module.name()));
        return o.bytes();
    }

    private byte[] strs() {
        Out o = new Out();
        o.u32(strings.size());
        for (String s : strings.keySet()) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            o.u32(utf8.length);
            o.bytes(utf8);
        }
        return o.bytes();
    }

    private byte[] srcf() { return names(module.sourceFiles()); }

    private byte[] names(List<String> names) {
        Out o = new Out();
        o.u32(names.size());
        for (String n : names) o.u32(str(n));
        return o.bytes();
    }

    private byte[] clas() {
        Out o = new Out();
        o.u32(module.classes().size());
        for (ClassDef c : module.classes()) {
            o.u32(str(c.name()));
            o.u32(str(c.superclass()));
            o.u32(c.shape().ordinal());
            o.u32(str(c.category()));
            o.u32(str(c.comment()));
            o.u32(c.sourceFile());
            o.u32(c.line());
            o.u32(c.col());
            for (List<String> vars : List.of(c.instVars(), c.classVars(), c.classInstVars())) {
                o.u32(vars.size());
                for (String v : vars) o.u32(str(v));
            }
        }
        return o.bytes();
    }

    private byte[] meth() {
        Out o = new Out();
        o.u32(module.methods().size());
        for (MethodDef m : module.methods()) {
            o.u32(str(m.className()));
            o.u32(m.meta() ? 1 : 0);
            o.u32(str(m.selector()));
            o.u32(str(m.category()));
            o.u32(m.primitive());
            o.u32(str(m.primitiveName()));
            o.u32(codes.get(m.code()));
            o.u32(m.sourceFile());
            o.u32(m.line());
            o.u32(m.col());
            o.u32(str(m.source()));
            o.u32(m.pragmas().size());
            for (MethodDef.Pragma p : m.pragmas()) {
                o.u32(str(p.keyword()));
                o.u32(p.arguments().size());
                for (Literal l : p.arguments()) o.u32(literals.get(l));
            }
        }
        return o.bytes();
    }

    private byte[] codeSection() {
        Out o = new Out();
        o.u32(codes.size());
        for (CodeDef c : codes.keySet()) {
            o.u32(c.numArgs());
            o.u32(c.numCopied());
            o.u32(c.numTemps());
            o.u32(c.frameSize());
            o.u32(c.flags());
            o.u32(c.bytecodes().length);
            o.bytes(c.bytecodes());
            o.u32(c.literals().size());
            for (Literal l : c.literals()) o.u32(literals.get(l));
            o.u32(c.sourceMap().size());
            for (CodeDef.SourcePos p : c.sourceMap()) {
                o.u32(p.pc());
                o.u32(p.line());
                o.u32(p.col());
            }
        }
        return o.bytes();
    }

    private byte[] lits() {
        Out o = new Out();
        o.u32(literals.size());
        for (Literal l : literals.keySet()) {
            switch (l) {
                case Literal.Constant c -> o.u8(switch (c) {
                    case NIL -> Format.LIT_NIL;
                    case TRUE -> Format.LIT_TRUE;
                    case FALSE -> Format.LIT_FALSE;
                });
                case Literal.Int(BigInteger v) -> {
                    if (v.bitLength() < 64) {
                        o.u8(Format.LIT_SMALL_INT);
                        o.u64(v.longValue());
                    } else {
                        o.u8(Format.LIT_LARGE_INT);
                        o.integer(v);
                    }
                }
                case Literal.Float(double v) -> {
                    o.u8(Format.LIT_FLOAT);
                    o.u64(Double.doubleToRawLongBits(v));
                }
                case Literal.ScaledDecimal(BigInteger n, BigInteger d, int scale) -> {
                    o.u8(Format.LIT_SCALED);
                    o.integer(n);
                    o.integer(d);
                    o.u32(scale);
                }
                case Literal.Char(int cp) -> {
                    o.u8(Format.LIT_CHAR);
                    o.u32(cp);
                }
                case Literal.Str(String s) -> {
                    o.u8(Format.LIT_STRING);
                    o.u32(str(s));
                }
                case Literal.Sym(String s) -> {
                    o.u8(Format.LIT_SYMBOL);
                    o.u32(str(s));
                }
                case Literal.Bytes(byte[] b) -> {
                    o.u8(Format.LIT_BYTES);
                    o.u32(b.length);
                    o.bytes(b);
                }
                case Literal.Array(List<Literal> elements) -> {
                    o.u8(Format.LIT_ARRAY);
                    o.u32(elements.size());
                    for (Literal e : elements) o.u32(literals.get(e));
                }
                case Literal.Binding(String owner, String name) -> {
                    o.u8(Format.LIT_BINDING);
                    o.u32(str(owner));
                    o.u32(str(name));
                }
                case Literal.Block(CodeDef code) -> {
                    o.u8(Format.LIT_BLOCK);
                    o.u32(codes.get(code));
                }
            }
        }
        return o.bytes();
    }

    private byte[] strt() {
        Out o = new Out();
        o.u32(module.startup().size());
        for (Module.MethodRef r : module.startup()) {
            o.u32(str(r.className()));
            o.u32(r.meta() ? 1 : 0);
            o.u32(str(r.selector()));
        }
        return o.bytes();
    }

    private byte[][] natives(NativeCode n) {
        Out sym = new Out();
        sym.u32(n.symbols().size());
        for (NativeCode.Symbol s : n.symbols()) {
            sym.u32(str(s.name()));
            sym.u32(s.kind().ordinal());
            sym.u32(s.offset());
            sym.u32(s.size());
            sym.u32(s.method());
        }
        Out rel = new Out();
        rel.u32(n.relocations().size());
        for (NativeCode.Relocation r : n.relocations()) {
            rel.u32(r.offset());
            rel.u32(r.kind().ordinal());
            rel.u32(str(r.target()));
            rel.u64(r.addend());
        }
        Out lin = new Out();
        lin.u32(n.lines().size());
        for (NativeCode.LineRow r : n.lines()) {
            lin.u32(r.offset());
            lin.u32(r.line());
        }
        return new byte[][] {n.text().clone(), sym.bytes(), rel.bytes(), lin.bytes()};
    }

    // ---- validation ------------------------------------------------------------------------

    /** Rejects what the reader would reject, so that every written file reads back. */
    private void validate() {
        Module m = module;
        require(m.kind() != null && m.target() != null, "module kind and target are required");
        int files = m.sourceFiles().size();
        for (String f : m.sourceFiles()) require(f != null, "null source file name");
        for (ClassDef c : m.classes()) {
            require(c.name() != null && c.shape() != null, "class without a name or shape");
            require(c.sourceFile() >= -1 && c.sourceFile() < files,
                    "class " + c.name() + ": source file " + c.sourceFile() + " out of range (" + files + " source files)");
            for (List<String> vars : List.of(c.instVars(), c.classVars(), c.classInstVars()))
                for (String v : vars) require(v != null, "class " + c.name() + ": null variable name");
        }
        for (MethodDef md : m.methods()) {
            require(md.className() != null && md.selector() != null && md.code() != null,
                    "method without a class, selector or code");
            require(md.sourceFile() >= -1 && md.sourceFile() < files,
                    md.qualifiedName() + ": source file " + md.sourceFile() + " out of range (" + files + " source files)");
            for (MethodDef.Pragma p : md.pragmas()) require(p.keyword() != null, md.qualifiedName() + ": pragma without keyword");
            verify(md.code(), md.qualifiedName(), 0);
        }
        for (Module.MethodRef r : m.startup()) require(r.className() != null && r.selector() != null, "startup entry without a name");
        for (String s : m.imports()) require(s != null, "null import");
        for (String s : m.exports()) require(s != null, "null export");
        if (m.nativeCode() != null) {
            NativeCode n = m.nativeCode();
            long text = n.text().length;
            for (NativeCode.Symbol s : n.symbols()) {
                require(s.name() != null && s.kind() != null, "native symbol without a name or kind");
                require(s.offset() >= 0 && s.size() >= 0 && (long) s.offset() + s.size() <= text,
                        "native symbol " + s.name() + " lies outside the text (" + text + " bytes)");
                require(s.method() >= -1 && s.method() < m.methods().size(),
                        "native symbol " + s.name() + ": method " + s.method() + " out of range");
            }
            for (NativeCode.Relocation r : n.relocations()) {
                require(r.target() != null && r.kind() != null, "relocation without a target or kind");
                int width = r.kind() == NativeCode.RelocationKind.ABS64 ? 8 : 4;
                require(r.offset() >= 0 && (long) r.offset() + width <= text,
                        "relocation at " + r.offset() + " lies outside the text (" + text + " bytes)");
            }
            long previous = -1;
            for (NativeCode.LineRow r : n.lines()) {
                require(r.offset() > previous && r.offset() < text, "line row at " + r.offset() + " out of order or outside the text");
                require(r.line() > 0, "line row at " + r.offset() + ": line " + r.line() + " out of range");
                previous = r.offset();
            }
        }
    }

    private void verify(CodeDef code, String where, int depth) {
        require(depth < Format.MAX_LITERAL_DEPTH, where + ": blocks nested deeper than " + Format.MAX_LITERAL_DEPTH);
        for (int n : new int[] {code.numArgs(), code.numCopied(), code.numTemps(), code.frameSize()})
            require(n >= 0 && n <= 0xFFFF, where + ": frame count " + n + " out of range (0..65535)");
        int lastPc = 0;
        for (CodeDef.SourcePos p : code.sourceMap()) {
            require(p.pc() >= lastPc && p.pc() <= code.bytecodes().length, where + ": source map pc " + p.pc() + " out of order or past the code");
            lastPc = p.pc();
        }
        String problem = CodeVerifier.problem(code);
        require(problem == null, where + ": " + problem);
        for (Literal l : code.literals()) verifyBlocks(l, where, depth + 1);
    }

    private void verifyBlocks(Literal l, String where, int depth) {
        require(l != null, where + ": null literal");
        if (l instanceof Literal.Block(CodeDef block)) verify(block, where + " (block)", depth);
        require(depth < Format.MAX_LITERAL_DEPTH, where + ": literals nested deeper than " + Format.MAX_LITERAL_DEPTH);
        if (l instanceof Literal.Array(List<Literal> elements)) for (Literal e : elements) verifyBlocks(e, where, depth + 1);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    /** A little-endian byte buffer. */
    static final class Out {
        byte[] buf = new byte[64];
        int size;

        private void room(int n) {
            if (size + n > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }

        void u8(int v) { room(1); buf[size++] = (byte) v; }

        void u16(int v) { u8(v); u8(v >> 8); }

        void u32(int v) { room(4); put32(buf, size, v); size += 4; }

        void u64(long v) { u32((int) v); u32((int) (v >>> 32)); }

        void bytes(byte[] b) { room(b.length); System.arraycopy(b, 0, buf, size, b.length); size += b.length; }

        /** A two's-complement integer, least significant byte first, in as few bytes as hold it. */
        void integer(BigInteger v) {
            byte[] big = v.toByteArray();
            byte[] little = new byte[big.length];
            for (int i = 0; i < big.length; i++) little[i] = big[big.length - 1 - i];
            u32(little.length);
            bytes(little);
        }

        byte[] bytes() { return java.util.Arrays.copyOf(buf, size); }

        static void put32(byte[] b, int at, int v) {
            b[at] = (byte) v;
            b[at + 1] = (byte) (v >> 8);
            b[at + 2] = (byte) (v >> 16);
            b[at + 3] = (byte) (v >> 24);
        }
    }
}
