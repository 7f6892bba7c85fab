package stlink.link;

import st.format.model.MethodDef;
import st.format.model.Module;
import st.format.model.NativeCode;
import stjit.nativize.RuntimeSymbols;
import stlink.image.DebugUnit;
import stlink.image.Fixup;
import stlink.image.Import;
import stlink.image.Layouts;
import stlink.image.Place;
import stlink.image.Program;
import stlink.image.ProgramSymbol;
import stlink.image.Section;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Links libraries (and an optional data image) into one {@link Program}: concatenates their text,
 * builds the global symbol table, and resolves every relocation by name. Problems are collected
 * and reported together as a {@link LinkException}, each naming the library and symbol involved.
 *
 * <p>Symbol rules (docs/LINKER.md): a name starting with {@code .} is local to its library; every
 * other name is global and may be defined once. On windows-x64, an undefined name
 * {@code __imp_F} is the import-table slot of {@code kernel32.dll!F}, and {@code __imp_D!F} that
 * of function F of DLL D.
 */
public final class Linker {
    public static final String DEFAULT_ENTRY = "_start";
    public static final String IMPORT_PREFIX = "__imp_";
    public static final String DEFAULT_DLL = "kernel32.dll";
    /** Each library's code starts on this boundary, so its own alignment assumptions hold. */
    public static final int TEXT_ALIGNMENT = 16;
    public static final int DATA_ALIGNMENT = 16;
    /** Fills the gaps between libraries' code: a stray jump there traps at once. */
    static final byte TEXT_PADDING = (byte) 0xCC;
    static final String LINKER_ORIGIN = "the linker";
    /** Code plus data must stay well inside +-2 GiB so pc-relative references always reach. */
    public static final long MAX_PROGRAM_BYTES = 1L << 30;

    /** Where a library's code landed, for the link map. */
    public record Placement(String origin, Section section, long offset, long size) {}

    public record Result(Program program, List<Placement> placements) {}

    private record Definition(Place.InSection place, String origin) {}

    private final Module.Target target;
    private final List<String> errors = new ArrayList<>();
    private final Map<String, Definition> globals = new LinkedHashMap<>();
    private final List<ProgramSymbol> symbols = new ArrayList<>();
    private final List<Fixup> fixups = new ArrayList<>();
    private final Set<Import> imports = new LinkedHashSet<>();
    private final List<Placement> placements = new ArrayList<>();

    private Linker(Module.Target target) { this.target = target; }

    /**
     * @param libraries the libraries, in link order (the kernel first)
     * @param image     the initial heap, or null to link code only
     * @param entry     the symbol where execution starts
     */
    public static Result link(List<LibraryInput> libraries, DataImage image, Module.Target target, String entry) {
        if (target != Module.Target.LINUX_X64 && target != Module.Target.WINDOWS_X64) {
            throw new IllegalArgumentException("link target must be linux-x64 or windows-x64, not " + target);
        }
        return new Linker(target).run(libraries, image, entry);
    }

    private Result run(List<LibraryInput> libraries, DataImage image, String entry) {
        List<LibraryInput> usable = new ArrayList<>();
        for (LibraryInput lib : libraries) if (validate(lib)) usable.add(lib);
        checkClassNames(libraries);

        long total = 0;
        for (LibraryInput lib : usable) total += lib.module().nativeCode().text().length + TEXT_ALIGNMENT;
        if (image != null) total += image.bytes().length;
        if (total > MAX_PROGRAM_BYTES) {
            errors.add("the program is too large: " + total + " bytes of code and data (the limit is " + MAX_PROGRAM_BYTES
                    + ", so that every REL32 reference reaches)");
            throw new LinkException(errors);
        }
        if (image != null && image.zeroFill() > MAX_PROGRAM_BYTES) {
            errors.add(image.name() + ": zero fill of " + image.zeroFill() + " bytes is over the limit of " + MAX_PROGRAM_BYTES);
            throw new LinkException(errors);
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<Map<String, Place.InSection>> locals = new ArrayList<>();
        List<Long> bases = new ArrayList<>();
        for (LibraryInput lib : usable) {
            while (text.size() % TEXT_ALIGNMENT != 0) text.write(TEXT_PADDING);
            long base = text.size();
            bases.add(base);
            byte[] code = lib.module().nativeCode().text();
            text.writeBytes(code);
            placements.add(new Placement(lib.origin(), Section.TEXT, base, code.length));
            locals.add(define(lib, base));
        }

        byte[] data = new byte[0];
        long bss = 0;
        if (image != null) {
            data = new byte[(int) Layouts.alignUp(image.bytes().length, DATA_ALIGNMENT)];
            System.arraycopy(image.bytes(), 0, data, 0, image.bytes().length);
            bss = Layouts.alignUp(image.zeroFill(), DATA_ALIGNMENT);
            placements.add(new Placement(image.name(), Section.DATA, 0, image.bytes().length));
            if (bss > 0) placements.add(new Placement(image.name(), Section.BSS, 0, bss));
            defineImageSymbols(image, data.length, bss);
        }
        defineLinkerLabels(text.size(), data.length, bss);

        for (int i = 0; i < usable.size(); i++) resolveLibrary(usable.get(i), bases.get(i), locals.get(i));
        if (image != null) resolveImage(image);

        Place.InSection entryPlace = null;
        Definition e = globals.get(entry);
        boolean someRejected = usable.size() < libraries.size(); // one of those may define the entry
        if (e == null) {
            if (!someRejected) errors.add("entry symbol '" + entry + "' is not defined by any library (choose one with --entry-symbol)");
        } else if (e.place().section() != Section.TEXT) {
            errors.add("entry symbol '" + entry + "' (in " + e.origin() + ") is not code");
        } else {
            entryPlace = e.place();
        }
        if (!errors.isEmpty()) throw new LinkException(errors);
        List<DebugUnit> debugUnits = new ArrayList<>();
        for (int i = 0; i < usable.size(); i++) {
            DebugUnit unit = debugUnit(usable.get(i), bases.get(i));
            if (unit != null) debugUnits.add(unit);
        }
        Program program = new Program(text.toByteArray(), new byte[0], data, bss, symbols, fixups,
                new ArrayList<>(imports), entryPlace, debugUnits);
        return new Result(program, placements);
    }

    private boolean validate(LibraryInput lib) {
        Module m = lib.module();
        if (m.kind() != Module.Kind.LIBRARY || m.nativeCode() == null) {
            errors.add(lib.origin() + ": not a library (a " + m.kind().name().toLowerCase()
                    + "); make one from it with stjit");
            return false;
        }
        if (m.target() != Module.Target.ANY && m.target() != target) {
            errors.add(lib.origin() + ": built for " + targetName(m.target()) + ", but linking for " + targetName(target));
            return false;
        }
        NativeCode code = m.nativeCode();
        int length = code.text().length;
        boolean ok = true;
        for (NativeCode.Symbol s : code.symbols()) {
            if (s.name().isEmpty() || s.name().indexOf('\0') >= 0) {
                errors.add(lib.origin() + ": corrupt library: a symbol name is empty or contains NUL");
                ok = false;
                continue;
            }
            if (s.offset() < 0 || s.size() < 0 || (long) s.offset() + s.size() > length) {
                errors.add(lib.origin() + ": corrupt library: symbol '" + s.name() + "' lies outside its code");
                ok = false;
            }
        }
        for (NativeCode.Relocation r : code.relocations()) {
            int width = r.kind() == NativeCode.RelocationKind.ABS64 ? 8 : 4;
            if (r.offset() < 0 || (long) r.offset() + width > length) {
                errors.add(lib.origin() + ": corrupt library: relocation to '" + r.target() + "' lies outside its code");
                ok = false;
            }
        }
        return ok;
    }

    public static String targetName(Module.Target t) {
        return switch (t) {
            case ANY -> "any target";
            case LINUX_X64 -> "linux-x64";
            case WINDOWS_X64 -> "windows-x64";
        };
    }

    /**
     * Classes are linked by name too: each may be defined once, and every import a library builds on
     * (a superclass, a class it extends) must be defined. An import the code only reads or assigns
     * by name, a global such as a script's {@code Smalltalk at: #Total put: 0} then {@code Total},
     * may stay undefined: the image builder gives it a binding holding nil, as strun does.
     */
    private void checkClassNames(List<LibraryInput> libraries) {
        Map<String, String> definedBy = new HashMap<>();
        for (LibraryInput lib : libraries) {
            for (String name : lib.module().exports()) {
                String earlier = definedBy.putIfAbsent(name, lib.origin());
                if (earlier != null) errors.add("duplicate definition of '" + name + "': in " + earlier + " and in " + lib.origin());
            }
        }
        for (LibraryInput lib : libraries) {
            Set<String> builtOn = structuralImports(lib.module());
            for (String name : lib.module().imports()) {
                if (!definedBy.containsKey(name) && builtOn.contains(name))
                    errors.add("undefined name '" + name + "', imported by " + lib.origin());
            }
        }
    }

    /** The names a module's classes inherit from and the classes its methods extend. */
    private static Set<String> structuralImports(Module module) {
        Set<String> names = new HashSet<>();
        for (var c : module.classes()) if (c.superclass() != null) names.add(c.superclass());
        for (var m : module.methods()) names.add(m.className());
        return names;
    }

    private Map<String, Place.InSection> define(LibraryInput lib, long base) {
        Map<String, Place.InSection> local = new HashMap<>();
        for (NativeCode.Symbol s : lib.module().nativeCode().symbols()) {
            Place.InSection place = new Place.InSection(Section.TEXT, base + s.offset());
            boolean isLocal = s.name().startsWith(".");
            ProgramSymbol.Type type = s.kind() == NativeCode.SymbolKind.DATA ? ProgramSymbol.Type.OBJECT
                    : ProgramSymbol.Type.FUNCTION;
            if (isLocal) {
                if (local.putIfAbsent(s.name(), place) != null) {
                    errors.add("duplicate symbol '" + s.name() + "': defined twice in " + lib.origin());
                    continue;
                }
            } else if (!defineGlobal(s.name(), place, lib.origin())) {
                continue;
            }
            symbols.add(new ProgramSymbol(s.name(), Section.TEXT, place.offset(), s.size(), type, isLocal));
        }
        return local;
    }

    private boolean defineGlobal(String name, Place.InSection place, String origin) {
        Definition earlier = globals.putIfAbsent(name, new Definition(place, origin));
        if (earlier != null) {
            errors.add("duplicate symbol '" + name + "': " + (earlier.origin().equals(origin)
                    ? "defined twice in " + origin : "defined in " + earlier.origin() + " and in " + origin));
            return false;
        }
        return true;
    }

    private void defineImageSymbols(DataImage image, long dataLength, long bss) {
        for (DataImage.Symbol s : image.symbols()) {
            Place.InSection place;
            if (s.offset() >= 0 && s.offset() < dataLength) {
                place = new Place.InSection(Section.DATA, s.offset());
            } else if (s.offset() >= dataLength && s.offset() <= dataLength + bss) {
                place = new Place.InSection(Section.BSS, s.offset() - dataLength);
            } else {
                errors.add(image.name() + ": symbol '" + s.name() + "' lies outside the image");
                continue;
            }
            if (defineGlobal(s.name(), place, image.name())) {
                symbols.add(new ProgramSymbol(s.name(), place.section(), place.offset(), s.size(),
                        ProgramSymbol.Type.OBJECT, false));
            }
        }
    }

    /** Section boundaries, so the runtime can find its code, its heap and the free space after it. */
    private void defineLinkerLabels(long textSize, long dataSize, long bss) {
        label("__st_text_start", Section.TEXT, 0);
        label("__st_text_end", Section.TEXT, textSize);
        label("__st_data_start", Section.DATA, 0);
        label("__st_data_end", Section.DATA, dataSize);
        label("__st_bss_start", Section.BSS, 0);
        label("__st_bss_end", Section.BSS, bss);
    }

    private void label(String name, Section section, long offset) {
        Place.InSection place = new Place.InSection(section, offset);
        if (defineGlobal(name, place, LINKER_ORIGIN)) {
            symbols.add(new ProgramSymbol(name, section, offset, 0, ProgramSymbol.Type.LABEL, false));
        }
    }

    private void resolveLibrary(LibraryInput lib, long base, Map<String, Place.InSection> local) {
        List<NativeCode.Symbol> byOffset = new ArrayList<>(lib.module().nativeCode().symbols());
        byOffset.sort(Comparator.comparingInt(NativeCode.Symbol::offset));
        for (NativeCode.Relocation r : lib.module().nativeCode().relocations()) {
            Place target = local.get(r.target());
            if (target == null) target = resolve(r.target(), () -> "referenced from " + enclosing(byOffset, r.offset())
                    + " in " + lib.origin());
            if (target != null) fixups.add(new Fixup(Section.TEXT, base + r.offset(), r.kind(), target, r.addend()));
        }
    }

    private void resolveImage(DataImage image) {
        for (DataImage.Relocation r : image.relocations()) {
            if (r.offset() < 0 || r.offset() + 8 > image.bytes().length) {
                errors.add(image.name() + ": relocation to '" + r.target() + "' lies outside the image's bytes");
                continue;
            }
            Place target = resolve(r.target(), () -> String.format("referenced from offset 0x%x of %s", r.offset(), image.name()));
            if (target != null) fixups.add(new Fixup(Section.DATA, r.offset(), r.kind(), target, r.addend()));
        }
    }

    private Place resolve(String name, java.util.function.Supplier<String> where) {
        Definition d = globals.get(name);
        if (d != null) return d.place();
        if (name.startsWith(IMPORT_PREFIX) && target == Module.Target.WINDOWS_X64) {
            String rest = name.substring(IMPORT_PREFIX.length());
            int bang = rest.indexOf('!');
            Import imp = bang < 0 ? new Import(DEFAULT_DLL, rest) : new Import(rest.substring(0, bang), rest.substring(bang + 1));
            if (!imp.dll().isEmpty() && !imp.function().isEmpty()) {
                imports.add(imp);
                return new Place.ImportSlot(imp);
            }
        }
        String hint = name.startsWith(IMPORT_PREFIX) && target != Module.Target.WINDOWS_X64
                ? " (DLL imports exist only for windows-x64)" : "";
        errors.add("undefined symbol '" + name + "', " + where.get() + hint);
        return null;
    }

    /**
     * Each method's and block's code mapped to its source file and lines: the line where its
     * method starts, then the library's line rows (NLIN) that fall inside it, when it has them.
     */
    private static DebugUnit debugUnit(LibraryInput lib, long base) {
        Module m = lib.module();
        List<NativeCode.LineRow> lines = m.nativeCode().lines();
        List<DebugUnit.Function> functions = new ArrayList<>();
        for (NativeCode.Symbol s : m.nativeCode().symbols()) {
            if (s.kind() != NativeCode.SymbolKind.METHOD && s.kind() != NativeCode.SymbolKind.BLOCK) continue;
            if (s.method() < 0 || s.method() >= m.methods().size()) continue;
            MethodDef method = m.methods().get(s.method());
            if (method.sourceFile() < 0 || method.sourceFile() >= m.sourceFiles().size() || method.line() <= 0) continue;
            List<DebugUnit.Row> rows = new ArrayList<>();
            // A method is entered past its inline-cache check (docs/RUNTIME.md) by every call
            // that missed the cache: a breakpoint belongs there, where both entries meet.
            long bodyStart = s.offset();
            if (s.kind() == NativeCode.SymbolKind.METHOD && s.size() > RuntimeSymbols.UNCHECKED_OFFSET) {
                bodyStart = s.offset() + RuntimeSymbols.UNCHECKED_OFFSET;
                rows.add(new DebugUnit.Row(base + bodyStart, method.line(), true));
            }
            for (NativeCode.LineRow r : rowsWithin(lines, s.offset(), s.offset() + s.size())) {
                if (r.offset() <= bodyStart) continue; // the prologue keeps the method's first line
                rows.add(new DebugUnit.Row(base + r.offset(), r.line()));
            }
            functions.add(new DebugUnit.Function(s.name(), base + s.offset(), s.size(), method.sourceFile(),
                    method.line(), rows, frame(m.nativeCode().text(), s.offset(), s.size())));
        }
        if (functions.isEmpty()) return null;
        functions.sort(Comparator.comparingLong(DebugUnit.Function::textOffset));
        return new DebugUnit(lib.origin(), base, m.nativeCode().text().length, m.sourceFiles(), functions);
    }

    /** The rows with offsets in [from, to), found by binary search (rows are in offset order). */
    private static List<NativeCode.LineRow> rowsWithin(List<NativeCode.LineRow> rows, int from, int to) {
        int lo = 0, hi = rows.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (rows.get(mid).offset() < from) lo = mid + 1; else hi = mid;
        }
        int end = lo;
        while (end < rows.size() && rows.get(end).offset() < to) end++;
        return rows.subList(lo, end);
    }

    private static final byte[] PROLOGUE = {0x55, 0x48, (byte) 0x89, (byte) 0xe5};          // push rbp; mov rbp, rsp
    private static final byte[] EPILOGUE = {0x48, (byte) 0x89, (byte) 0xec, 0x5d, (byte) 0xc3}; // mov rsp, rbp; pop rbp; ret
    /** The nativizer's prologue follows the inline-cache check, within the first 64 bytes. */
    private static final int PROLOGUE_WINDOW = RuntimeSymbols.UNCHECKED_OFFSET + 16;

    /** Where a function sets up and tears down its frame, or null when it has no standard frame. */
    private static DebugUnit.Frame frame(byte[] text, int offset, int size) {
        int end = offset + size;
        if (offset < 0 || end > text.length) return null;
        int prologue = find(text, PROLOGUE, offset, Math.min(end, offset + PROLOGUE_WINDOW));
        if (prologue < 0) return null;
        List<Integer> epilogues = new ArrayList<>();
        for (int at = find(text, EPILOGUE, prologue + PROLOGUE.length, end); at >= 0;
             at = find(text, EPILOGUE, at + EPILOGUE.length, end))
            epilogues.add(at - offset);
        return new DebugUnit.Frame(prologue - offset, epilogues);
    }

    private static int find(byte[] text, byte[] pattern, int from, int to) {
        outer:
        for (int at = from; at + pattern.length <= to; at++) {
            for (int k = 0; k < pattern.length; k++) if (text[at + k] != pattern[k]) continue outer;
            return at;
        }
        return -1;
    }

    private static String enclosing(List<NativeCode.Symbol> byOffset, int offset) {
        String found = null;
        for (NativeCode.Symbol s : byOffset) {
            if (s.offset() > offset) break;
            if (offset < s.offset() + s.size()) found = s.name();
        }
        return found != null ? "'" + found + "'" : String.format("offset 0x%x", offset);
    }
}
