package st.format.io;

import st.format.model.ClassDef;
import st.format.model.CodeDef;
import st.format.model.Literal;
import st.format.model.MethodDef;
import st.format.model.Module;
import st.format.model.NativeCode;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a file of the format (docs/FORMAT.md) into a {@link ModuleFile}. Every offset, length,
 * count and index is checked before use, every allocation is bounded by the bytes actually present,
 * and nothing recurses on file data, so a truncated, corrupted or hostile file ends in a
 * {@link FormatException} that names the problem, never in a runtime exception or a hang.
 */
public final class ModuleReader {
    /** Larger inputs are refused before they are read into memory. */
    public static final long MAX_FILE_SIZE = 1L << 30;

    private final byte[] bytes;
    private final FileLayout layout;
    private String[] strings = new String[0];

    private ModuleReader(byte[] bytes) throws FormatException {
        this.bytes = bytes;
        this.layout = layout(bytes);
    }

    public static ModuleFile read(byte[] bytes) throws FormatException { return new ModuleReader(bytes).read(); }

    public static ModuleFile read(Path path) throws IOException, FormatException { return read(readAll(path)); }

    /** A stream that is not of the format (an executable on stdin, say) is read up to this size. */
    public static final long MAX_OTHER_STREAM_SIZE = 256L << 20;

    /** Reads a file's bytes, refusing files over {@link #MAX_FILE_SIZE}; devices and pipes are read as streams. */
    public static byte[] readAll(Path path) throws IOException, FormatException {
        if (Files.isRegularFile(path)) {
            if (Files.size(path) > MAX_FILE_SIZE) throw new FormatException("file too large (over " + MAX_FILE_SIZE + " bytes)");
            return Files.readAllBytes(path);
        }
        try (InputStream in = Files.newInputStream(path)) {
            return readAll(in);
        }
    }

    /**
     * Reads a whole stream (stdin, a pipe, a device). A stream of the format is read only as far
     * as its header's file length (plus one byte, to notice trailing bytes); any other stream up
     * to {@link #MAX_OTHER_STREAM_SIZE}. So an endless or huge stream cannot exhaust memory.
     */
    public static byte[] readAll(InputStream in) throws IOException, FormatException {
        byte[] head = in.readNBytes(Format.HEADER_SIZE);
        long limit;
        boolean format = head.length == Format.HEADER_SIZE && hasMagic(head);
        if (format) {
            long declared = u64(head, 24);
            if (declared < 0 || declared > MAX_FILE_SIZE)
                throw new FormatException("file too large (the header says " + Long.toUnsignedString(declared) + " bytes)");
            limit = Math.max(declared, Format.HEADER_SIZE) + 1;
        } else {
            limit = MAX_OTHER_STREAM_SIZE + 1;
        }
        byte[] rest = in.readNBytes((int) (limit - head.length));
        if (!format && head.length + rest.length >= limit)
            throw new FormatException("input too large (over " + MAX_OTHER_STREAM_SIZE + " bytes) and not a module, library or image");
        byte[] all = Arrays.copyOf(head, head.length + rest.length);
        System.arraycopy(rest, 0, all, head.length, rest.length);
        return all;
    }

    /** True when the bytes start with the format's magic number. */
    public static boolean hasMagic(byte[] bytes) {
        return bytes.length >= Format.MAGIC.length && Arrays.equals(bytes, 0, Format.MAGIC.length, Format.MAGIC, 0, Format.MAGIC.length);
    }

    /** Validates the header and section table (not the sections' contents or checksums). */
    public static FileLayout layout(byte[] bytes) throws FormatException {
        if (!hasMagic(bytes)) {
            boolean prefix = bytes.length < Format.MAGIC.length
                    && Arrays.equals(bytes, 0, bytes.length, Format.MAGIC, 0, bytes.length);
            throw new FormatException(prefix ? "truncated header (" + bytes.length + " bytes)"
                    : "not a module, library or image file (bad magic number)");
        }
        if (bytes.length < 12) throw new FormatException("truncated header (" + bytes.length + " bytes)");
        int major = u16(bytes, 8), minor = u16(bytes, 10);
        if (major > Format.MAJOR)
            throw new FormatException("format version " + major + "." + minor + " is newer than this toolchain reads ("
                    + Format.MAJOR + ".x); use a newer toolchain");
        if (major < Format.MAJOR) throw new FormatException("unsupported old format version " + major + "." + minor);
        if (bytes.length < Format.HEADER_SIZE)
            throw new FormatException("truncated header (" + bytes.length + " bytes, the header has " + Format.HEADER_SIZE + ")");
        long fileLength = u64(bytes, 24);
        if (Long.compareUnsigned(fileLength, bytes.length) > 0)
            throw new FormatException("truncated file (" + bytes.length + " bytes, the header says " + Long.toUnsignedString(fileLength) + ")");
        if (fileLength < bytes.length)
            throw new FormatException((bytes.length - fileLength) + " unexpected bytes after the end of the file");
        long count = u32(bytes, 20) & 0xFFFFFFFFL;
        long tableEnd = Format.HEADER_SIZE + count * Format.SECTION_ENTRY_SIZE;
        if (tableEnd > bytes.length)
            throw new FormatException("truncated section table (" + count + " sections do not fit in " + bytes.length + " bytes)");
        if (u32(bytes, 32) != ModuleWriter.headerCrc(bytes, (int) tableEnd))
            throw new FormatException("bad checksum in header or section table");
        int kind = bytes[12] & 0xFF, target = bytes[13] & 0xFF;
        if (kind >= Module.Kind.values().length) throw new FormatException("unknown file kind " + kind);
        if (target >= Module.Target.values().length) throw new FormatException("unknown target " + target);
        if (u16(bytes, 14) != 0 || u32(bytes, 36) != 0) throw new FormatException("reserved header fields are not zero");

        List<FileLayout.Entry> entries = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        long expected = Format.align(tableEnd);
        checkPadding(bytes, tableEnd, expected, "section table");
        for (int i = 0; i < count; i++) {
            int at = Format.HEADER_SIZE + i * Format.SECTION_ENTRY_SIZE;
            int id = u32(bytes, at), crc = u32(bytes, at + 4);
            long offset = u64(bytes, at + 8), length = u64(bytes, at + 16);
            String tag = Section.tag(id);
            if (!seen.add(id)) throw new FormatException("duplicate section " + tag);
            if (offset != expected)
                throw new FormatException("section " + tag + " at offset " + Long.toUnsignedString(offset) + ", expected "
                        + expected + " (sections follow the table in order, 8-byte aligned)");
            if (Long.compareUnsigned(length, fileLength - offset) > 0)
                throw new FormatException("section " + tag + " runs past the end of the file");
            long end = offset + length;
            expected = Format.align(end);
            checkPadding(bytes, end, Math.min(expected, bytes.length), "section " + tag);
            entries.add(new FileLayout.Entry(id, offset, length, crc));
        }
        if (expected != fileLength)
            throw new FormatException("file length " + fileLength + " does not match the end of its last section (" + expected + ")");
        return new FileLayout(major, minor, Module.Kind.values()[kind], Module.Target.values()[target], u32(bytes, 16),
                fileLength, List.copyOf(entries));
    }

    private static void checkPadding(byte[] b, long from, long to, String after) throws FormatException {
        for (long i = from; i < to; i++)
            if (b[(int) i] != 0) throw new FormatException("nonzero padding after " + after);
    }

    // ---- sections --------------------------------------------------------------------------

    private ModuleFile read() throws FormatException {
        var raw = new TreeMap<Integer, byte[]>(Integer::compareUnsigned);
        for (FileLayout.Entry e : layout.sections()) {
            if (ModuleWriter.crc(bytes, (int) e.offset(), (int) e.length()) != e.crc())
                throw new FormatException("bad checksum in section " + e.tag());
            Section s = e.section();
            if (s == null || s.isRaw()) raw.put(e.id(), Arrays.copyOfRange(bytes, (int) e.offset(), (int) (e.offset() + e.length())));
        }
        strings = strs(in(Section.STRS));
        String name = modl(in(Section.MODL));
        List<String> sourceFiles = names(in(Section.SRCF), "source file");
        Code code = new Code(in(Section.LITS), in(Section.CODE));
        List<ClassDef> classes = clas(in(Section.CLAS), sourceFiles.size());
        List<MethodDef> methods = meth(in(Section.METH), sourceFiles.size(), code);
        List<Module.MethodRef> startup = strt(in(Section.STRT));
        List<String> imports = names(in(Section.IMPT), "import");
        List<String> exports = names(in(Section.EXPT), "export");
        NativeCode nativeCode = natives(methods.size());
        Module module = new Module(layout.kind(), layout.target(), layout.flags(), name, sourceFiles, classes, methods,
                startup, imports, exports, nativeCode);
        return new ModuleFile(module, raw);
    }

    private In in(Section s) {
        FileLayout.Entry e = layout.find(s.id);
        if (e == null) return null;
        return new In(bytes, (int) e.offset(), (int) (e.offset() + e.length()), s.name());
    }

    private static String[] strs(In in) throws FormatException {
        if (in == null) return new String[0];
        int n = in.count("strings", 4);
        String[] out = new String[n];
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        for (int i = 0; i < n; i++) {
            in.entry(i);
            int length = in.length("string");
            try {
                out[i] = decoder.decode(ByteBuffer.wrap(in.b, in.pos, length)).toString();
            } catch (CharacterCodingException e) {
                throw in.error("string is not valid UTF-8");
            }
            in.pos += length;
        }
        in.end();
        return out;
    }

    private String modl(In in) throws FormatException {
        if (in == null) return null;
        String name = in.optStr(strings);
        in.end();
        return name;
    }

    private List<String> names(In in, String what) throws FormatException {
        if (in == null) return List.of();
        int n = in.count(what + "s", 4);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            in.entry(i);
            out.add(in.str(strings));
        }
        in.end();
        return List.copyOf(out);
    }

    private List<ClassDef> clas(In in, int sourceFiles) throws FormatException {
        if (in == null) return List.of();
        int n = in.count("classes", 44);
        List<ClassDef> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            in.entry(i);
            String name = in.str(strings), superclass = in.optStr(strings);
            int shape = in.u32();
            if (shape < 0 || shape >= ClassDef.Shape.values().length) throw in.error("unknown class shape " + Integer.toUnsignedString(shape));
            String category = in.optStr(strings), comment = in.optStr(strings);
            int file = in.sourceFile(sourceFiles);
            int line = in.u32(), col = in.u32();
            List<String> instVars = vars(in), classVars = vars(in), classInstVars = vars(in);
            out.add(new ClassDef(name, superclass, ClassDef.Shape.values()[shape], instVars, classVars, classInstVars,
                    category, comment, file, line, col));
        }
        in.end();
        return List.copyOf(out);
    }

    private List<String> vars(In in) throws FormatException {
        int n = in.count("variables", 4);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(in.str(strings));
        return List.copyOf(out);
    }

    private List<MethodDef> meth(In in, int sourceFiles, Code code) throws FormatException {
        if (in == null) return List.of();
        int n = in.count("methods", 48);
        List<MethodDef> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            in.entry(i);
            String className = in.str(strings);
            boolean meta = in.bool("meta");
            String selector = in.str(strings), category = in.optStr(strings);
            int primitive = in.u32();
            String primitiveName = in.optStr(strings);
            int codeIndex = in.index("code", code.codes.length);
            int file = in.sourceFile(sourceFiles);
            int line = in.u32(), col = in.u32();
            String source = in.optStr(strings);
            int pragmaCount = in.count("pragmas", 8);
            List<MethodDef.Pragma> pragmas = new ArrayList<>(pragmaCount);
            for (int p = 0; p < pragmaCount; p++) {
                String keyword = in.str(strings);
                int argc = in.count("pragma arguments", 4);
                List<Literal> args = new ArrayList<>(argc);
                int[] argIndices = new int[argc];
                for (int a = 0; a < argc; a++) {
                    argIndices[a] = in.index("literal", code.literals.length);
                    args.add(code.literals[argIndices[a]]);
                }
                code.charge(argIndices, in);
                pragmas.add(new MethodDef.Pragma(keyword, List.copyOf(args)));
            }
            code.charge(code.raw[codeIndex].literals, in);
            out.add(new MethodDef(className, meta, selector, category, primitive, primitiveName, List.copyOf(pragmas),
                    code.codes[codeIndex], file, line, col, source));
        }
        in.end();
        return List.copyOf(out);
    }

    private List<Module.MethodRef> strt(In in) throws FormatException {
        if (in == null) return List.of();
        int n = in.count("startup entries", 12);
        List<Module.MethodRef> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            in.entry(i);
            String className = in.str(strings);
            boolean meta = in.bool("meta");
            out.add(new Module.MethodRef(className, meta, in.str(strings)));
        }
        in.end();
        return List.copyOf(out);
    }

    private NativeCode natives(int methods) throws FormatException {
        In text = in(Section.NTXT), syms = in(Section.NSYM), rels = in(Section.NREL);
        if (text == null && syms == null && rels == null) return null;
        if (text == null || syms == null || rels == null)
            throw new FormatException("native code needs all of the sections NTXT, NSYM and NREL");
        byte[] code = Arrays.copyOfRange(bytes, text.pos, text.end);
        int n = syms.count("symbols", 20);
        List<NativeCode.Symbol> symbols = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            syms.entry(i);
            String name = syms.str(strings);
            int kind = syms.u32();
            if (kind < 0 || kind >= NativeCode.SymbolKind.values().length) throw syms.error("unknown symbol kind " + Integer.toUnsignedString(kind));
            long offset = syms.u32() & 0xFFFFFFFFL, size = syms.u32() & 0xFFFFFFFFL;
            if (offset + size > code.length)
                throw syms.error("symbol " + name + " at " + offset + "+" + size + " lies outside the text (" + code.length + " bytes)");
            int method = syms.u32();
            if (method < -1 || method >= methods) throw syms.error("method index " + method + " out of range (" + methods + " methods)");
            symbols.add(new NativeCode.Symbol(name, NativeCode.SymbolKind.values()[kind], (int) offset, (int) size, method));
        }
        syms.end();
        int r = rels.count("relocations", 20);
        List<NativeCode.Relocation> relocations = new ArrayList<>(r);
        for (int i = 0; i < r; i++) {
            rels.entry(i);
            long offset = rels.u32() & 0xFFFFFFFFL;
            int kind = rels.u32();
            if (kind < 0 || kind >= NativeCode.RelocationKind.values().length)
                throw rels.error("unknown relocation kind " + Integer.toUnsignedString(kind));
            NativeCode.RelocationKind k = NativeCode.RelocationKind.values()[kind];
            int width = k == NativeCode.RelocationKind.ABS64 ? 8 : 4;
            if (offset + width > code.length)
                throw rels.error("relocation at " + offset + " lies outside the text (" + code.length + " bytes)");
            String target = rels.str(strings);
            relocations.add(new NativeCode.Relocation((int) offset, k, target, rels.u64()));
        }
        rels.end();
        return new NativeCode(code, List.copyOf(symbols), List.copyOf(relocations), lines(code.length));
    }

    /** NLIN, which is optional: rows in strictly increasing offset order, inside the text. */
    private List<NativeCode.LineRow> lines(int textLength) throws FormatException {
        In lin = in(Section.NLIN);
        if (lin == null) return List.of();
        int n = lin.count("line rows", 8);
        List<NativeCode.LineRow> rows = new ArrayList<>(n);
        long previous = -1;
        for (int i = 0; i < n; i++) {
            lin.entry(i);
            long offset = lin.u32() & 0xFFFFFFFFL, line = lin.u32() & 0xFFFFFFFFL;
            if (offset >= textLength) throw lin.error("line row at " + offset + " lies outside the text (" + textLength + " bytes)");
            if (offset <= previous) throw lin.error("line rows out of order: " + offset + " after " + previous);
            if (line == 0 || line > Integer.MAX_VALUE) throw lin.error("line " + line + " out of range");
            rows.add(new NativeCode.LineRow((int) offset, (int) line));
            previous = offset;
        }
        lin.end();
        return List.copyOf(rows);
    }

    /**
     * The LITS and CODE sections, resolved together. Parsed first into flat records, then resolved
     * in literal-table order: every array element and every literal of a block's code comes
     * earlier in the table, so one forward pass builds everything and no cycle can exist.
     */
    private final class Code {
        final Literal[] literals;
        final CodeDef[] codes;

        private final int[] tags;
        private final int[][] links; // array elements, or {code index} for a block
        private final RawCode[] raw;

        private record RawCode(int numArgs, int numCopied, int numTemps, int frameSize, int flags, byte[] bytecodes,
                               int[] literals, List<CodeDef.SourcePos> sourceMap) {}

        Code(In lits, In code) throws FormatException {
            int nl = lits == null ? 0 : lits.count("literals", 1);
            literals = new Literal[nl];
            tags = new int[nl];
            links = new int[nl][];
            int nc = code == null ? 0 : code.count("code entries", 32);
            codes = new CodeDef[nc];
            raw = new RawCode[nc];
            for (int k = 0; k < nl; k++) parseLiteral(lits, k, nc);
            if (lits != null) lits.end();
            for (int c = 0; c < nc; c++) parseCode(code, c, nl);
            if (code != null) code.end();
            LiteralNesting nesting = new LiteralNesting();
            for (int k = 0; k < nl; k++) {
                int height;
                if (tags[k] == Format.LIT_ARRAY) {
                    List<Literal> elements = new ArrayList<>(links[k].length);
                    for (int e : links[k]) elements.add(literals[e]);
                    literals[k] = new Literal.Array(List.copyOf(elements));
                    height = nesting.array(links[k]);
                } else if (tags[k] == Format.LIT_BLOCK) {
                    int c = links[k][0];
                    for (int j : raw[c].literals)
                        if (j >= k) throw new FormatException("section LITS, entry " + k + ": block code " + c
                                + " uses literal " + j + ", which does not come before the block");
                    resolve(c);
                    literals[k] = new Literal.Block(codes[c]);
                    height = nesting.block(raw[c].literals);
                } else {
                    height = nesting.scalar();
                }
                if (height > Format.MAX_LITERAL_DEPTH)
                    throw new FormatException("section LITS, entry " + k + ": literals nested deeper than " + Format.MAX_LITERAL_DEPTH);
            }
            for (int c = 0; c < nc; c++) resolve(c);
            this.nesting = nesting;
        }

        private LiteralNesting nesting;
        private long expanded;

        /** Counts a method's literal frame or pragma arguments against {@link Format#MAX_EXPANDED_LITERALS}. */
        void charge(int[] literalIndices, In in) throws FormatException {
            expanded += nesting.size(literalIndices);
            if (expanded > Format.MAX_EXPANDED_LITERALS)
                throw in.error("the methods' literals stand for more than " + Format.MAX_EXPANDED_LITERALS + " objects");
        }

        private void resolve(int c) throws FormatException {
            if (codes[c] != null) return;
            RawCode r = raw[c];
            List<Literal> frame = new ArrayList<>(r.literals.length);
            for (int j : r.literals) frame.add(literals[j]);
            CodeDef def = new CodeDef(r.numArgs, r.numCopied, r.numTemps, r.frameSize, r.flags, r.bytecodes,
                    List.copyOf(frame), r.sourceMap);
            String problem = CodeVerifier.problem(def);
            if (problem != null) throw new FormatException("section CODE, entry " + c + ": " + problem);
            codes[c] = def;
        }

        private void parseLiteral(In in, int k, int codeCount) throws FormatException {
            in.entry(k);
            int tag = in.u8();
            tags[k] = tag;
            literals[k] = switch (tag) {
                case Format.LIT_NIL -> Literal.Constant.NIL;
                case Format.LIT_TRUE -> Literal.Constant.TRUE;
                case Format.LIT_FALSE -> Literal.Constant.FALSE;
                case Format.LIT_SMALL_INT -> Literal.Int.of(in.u64());
                case Format.LIT_LARGE_INT -> {
                    BigInteger v = in.integer();
                    if (v.bitLength() < 64) throw in.error("large integer " + v + " fits the 64-bit form");
                    yield new Literal.Int(v);
                }
                case Format.LIT_FLOAT -> new Literal.Float(Double.longBitsToDouble(in.u64()));
                case Format.LIT_SCALED -> new Literal.ScaledDecimal(in.integer(), in.integer(), in.u32());
                case Format.LIT_CHAR -> new Literal.Char(in.u32());
                case Format.LIT_STRING -> new Literal.Str(in.str(strings));
                case Format.LIT_SYMBOL -> new Literal.Sym(in.str(strings));
                case Format.LIT_BYTES -> new Literal.Bytes(in.bytes(in.length("byte array")));
                case Format.LIT_ARRAY -> {
                    int n = in.count("array elements", 4);
                    int[] elements = new int[n];
                    for (int i = 0; i < n; i++) {
                        elements[i] = in.u32();
                        if (elements[i] < 0 || elements[i] >= k)
                            throw in.error("array element " + Integer.toUnsignedString(elements[i]) + " does not come before the array");
                    }
                    links[k] = elements;
                    yield null;
                }
                case Format.LIT_BINDING -> {
                    String owner = in.optStr(strings);
                    yield new Literal.Binding(owner, in.str(strings));
                }
                case Format.LIT_BLOCK -> {
                    links[k] = new int[] {in.index("code", codeCount)};
                    yield null;
                }
                default -> throw in.error("unknown literal tag " + tag);
            };
        }

        private void parseCode(In in, int c, int literalCount) throws FormatException {
            in.entry(c);
            int numArgs = in.small("argument count"), numCopied = in.small("copied count"), numTemps = in.small("temp count");
            int frameSize = in.small("frame size");
            int flags = in.u32();
            byte[] bytecodes = in.bytes(in.length("bytecode"));
            int n = in.count("literals", 4);
            int[] frame = new int[n];
            for (int i = 0; i < n; i++) frame[i] = in.index("literal", literalCount);
            int m = in.count("source map entries", 12);
            List<CodeDef.SourcePos> map = new ArrayList<>(m);
            int lastPc = 0;
            for (int i = 0; i < m; i++) {
                int pc = in.u32();
                if (pc < lastPc || pc > bytecodes.length) throw in.error("source map pc " + Integer.toUnsignedString(pc) + " out of order or past the code");
                lastPc = pc;
                map.add(new CodeDef.SourcePos(pc, in.u32(), in.u32()));
            }
            raw[c] = new RawCode(numArgs, numCopied, numTemps, frameSize, flags, bytecodes, frame, List.copyOf(map));
        }
    }

    /** A bounds-checked little-endian cursor over one section, naming the section and entry in errors. */
    private static final class In {
        final byte[] b;
        final int end;
        final String section;
        int pos;
        private int entry = -1;

        In(byte[] b, int pos, int end, String section) {
            this.b = b;
            this.pos = pos;
            this.end = end;
            this.section = section;
        }

        void entry(int i) { entry = i; }

        FormatException error(String message) {
            return new FormatException("section " + section + (entry >= 0 ? ", entry " + entry : "") + ": " + message);
        }

        private void need(long n) throws FormatException {
            if (n > end - pos) throw error("truncated (needs " + n + " more bytes, " + (end - pos) + " left)");
        }

        int u8() throws FormatException { need(1); return b[pos++] & 0xFF; }

        int u32() throws FormatException { need(4); int v = ModuleReader.u32(b, pos); pos += 4; return v; }

        long u64() throws FormatException { need(8); long v = ModuleReader.u64(b, pos); pos += 8; return v; }

        /** A count of items each at least {@code minSize} bytes, so that the count cannot exceed what the section holds. */
        int count(String what, int minSize) throws FormatException {
            long n = u32() & 0xFFFFFFFFL;
            if (n * minSize > end - pos) throw error(n + " " + what + " cannot fit in the " + (end - pos) + " bytes left");
            return (int) n;
        }

        /** A byte length that must fit in what is left. */
        int length(String what) throws FormatException {
            long n = u32() & 0xFFFFFFFFL;
            if (n > end - pos) throw error(what + " length " + n + " runs past the end of the section");
            return (int) n;
        }

        byte[] bytes(int n) throws FormatException {
            need(n);
            byte[] out = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        BigInteger integer() throws FormatException {
            int n = length("integer");
            if (n == 0) throw error("integer with no bytes");
            byte[] big = new byte[n];
            for (int i = 0; i < n; i++) big[i] = b[pos + n - 1 - i];
            pos += n;
            return new BigInteger(big);
        }

        int index(String what, int count) throws FormatException {
            int i = u32();
            if (i < 0 || i >= count) throw error(what + " index " + Integer.toUnsignedString(i) + " out of range (" + count + " " + what + "s)");
            return i;
        }

        String str(String[] strings) throws FormatException {
            int i = u32();
            if (i < 0 || i >= strings.length)
                throw error("string index " + Integer.toUnsignedString(i) + " out of range (" + strings.length + " strings)");
            return strings[i];
        }

        String optStr(String[] strings) throws FormatException {
            int i = u32();
            if (i == Format.NONE) return null;
            if (i < 0 || i >= strings.length)
                throw error("string index " + Integer.toUnsignedString(i) + " out of range (" + strings.length + " strings)");
            return strings[i];
        }

        boolean bool(String what) throws FormatException {
            int v = u32();
            if (v != 0 && v != 1) throw error(what + " flag is " + Integer.toUnsignedString(v) + ", not 0 or 1");
            return v == 1;
        }

        int small(String what) throws FormatException {
            int v = u32();
            if (v < 0 || v > 0xFFFF) throw error(what + " " + Integer.toUnsignedString(v) + " out of range (0..65535)");
            return v;
        }

        int sourceFile(int files) throws FormatException {
            int v = u32();
            if (v < -1 || v >= files) throw error("source file " + v + " out of range (" + files + " source files)");
            return v;
        }

        void end() throws FormatException {
            entry = -1;
            if (pos != end) throw error((end - pos) + " unexpected bytes at the end");
        }
    }

    static int u16(byte[] b, int at) { return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8; }

    static int u32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    static long u64(byte[] b, int at) { return (u32(b, at) & 0xFFFFFFFFL) | (long) u32(b, at + 4) << 32; }
}
