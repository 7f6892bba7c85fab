package stlink.link;

import st.bytecode.SpecialSelector;
import st.format.model.CodeDef;
import st.format.model.Literal;
import st.format.model.MethodDef;
import st.format.model.Module;
import st.format.model.NativeCode;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Leaves out methods and blocks that the program cannot reach ({@code stlink --gc-methods}).
 * Smalltalk binds sends late, so reachability is by selector: a method is kept when its selector
 * may be sent by kept code, which is when the selector appears as a Symbol literal there (every
 * send's selector is one), is a special selector, or is named by a {@code sym:} data reference.
 * Code is also kept when a kept function's relocations name it (stubs, static sends, blocks).
 *
 * <p>Conservative about reflection: once any kept code may send {@code perform:} or another
 * selector that takes a selector as data ({@link #DYNAMIC_SELECTORS}), every Symbol and String
 * literal of the whole program counts as sent. Selectors built at run time cannot be seen; the
 * keep list names them. Classes are always kept; only methods and their blocks go.
 *
 * <p>Roots: every symbol that is not a method or block (stubs, data), the entry symbol, the
 * entry method, every module's startup methods and the keep list ({@code Class>>sel},
 * {@code Class class>>sel}, {@code #selector}, or a class name for all its methods).
 */
public final class DeadCode {
    /** Selectors whose argument is a selector: code sending them may reach any method by name. */
    public static final Set<String> DYNAMIC_SELECTORS = Set.of("perform:", "perform:with:", "perform:with:with:",
            "perform:with:with:with:", "perform:with:with:with:with:", "perform:withArguments:",
            "perform:withArguments:inSuperclass:", "respondsTo:", "canUnderstand:", "includesSelector:",
            "lookupSelector:", "instancesRespondTo:", "compiledMethodAt:", ">>");

    /** Selectors the runtime itself sends (docs/RUNTIME.md: the roots' special selectors). */
    public static final Set<String> RUNTIME_SELECTORS = Set.of("doesNotUnderstand:", "mustBeBoolean", "cannotReturn:");

    public record Result(List<LibraryInput> libraries, List<String> removed, long bytesRemoved) {}

    /** A method, block or other code symbol of one library; {@code id} numbers them all. */
    private static final class Function {
        final int library, id;
        final NativeCode.Symbol symbol;

        Function(int library, NativeCode.Symbol symbol, int id) {
            this.library = library;
            this.symbol = symbol;
            this.id = id;
        }

        NativeCode.Symbol symbol() { return symbol; }

        int library() { return library; }
    }

    private final List<LibraryInput> libraries;
    private final List<List<Function>> byOffset = new ArrayList<>();
    private final List<List<Function>> inOrder = new ArrayList<>();
    private final List<Function> all = new ArrayList<>();
    private final Map<String, Function> globals = new HashMap<>();
    private final List<Map<String, Function>> locals = new ArrayList<>();
    private final Map<String, List<Function>> methodsBySelector = new HashMap<>();
    private final Map<String, List<Function>> methodsByClass = new HashMap<>();
    private final List<Map<Integer, List<Function>>> blocksByMethod = new ArrayList<>();
    /** Relocation targets inside each function; those outside every function are roots. */
    private final List<List<String>> references = new ArrayList<>();
    private final List<List<String>> unownedReferences = new ArrayList<>();
    private final java.util.BitSet live = new java.util.BitSet();
    private final Deque<Function> work = new ArrayDeque<>();
    private final Set<String> sent = new HashSet<>();
    private boolean dynamic;

    private DeadCode(List<LibraryInput> libraries) { this.libraries = libraries; }

    /**
     * @param entrySymbol the machine entry, kept with everything it references
     * @param entryMethod the program's entry method, or null
     * @param keep        the keep list
     */
    public static Result prune(List<LibraryInput> libraries, String entrySymbol, String entryMethod, List<String> keep) {
        DeadCode dc = new DeadCode(libraries);
        dc.index();
        dc.markRoots(entrySymbol, entryMethod, keep);
        dc.propagate();
        return dc.rewrite();
    }

    private void index() {
        for (int i = 0; i < libraries.size(); i++) {
            Module m = libraries.get(i).module();
            List<Function> functions = new ArrayList<>();
            Map<String, Function> local = new HashMap<>();
            Map<Integer, List<Function>> blocks = new HashMap<>();
            if (m.nativeCode() != null) {
                for (NativeCode.Symbol s : m.nativeCode().symbols()) {
                    Function f = new Function(i, s, all.size());
                    all.add(f);
                    references.add(new ArrayList<>(0));
                    functions.add(f);
                    if (s.name().startsWith(".")) local.putIfAbsent(s.name(), f); else globals.putIfAbsent(s.name(), f);
                    MethodDef def = methodOf(f);
                    if (def != null && s.kind() == NativeCode.SymbolKind.METHOD) {
                        methodsBySelector.computeIfAbsent(def.selector(), k -> new ArrayList<>()).add(f);
                        methodsByClass.computeIfAbsent(def.className(), k -> new ArrayList<>()).add(f);
                    } else if (def != null && s.kind() == NativeCode.SymbolKind.BLOCK) {
                        blocks.computeIfAbsent(s.method(), k -> new ArrayList<>()).add(f);
                    }
                }
            }
            inOrder.add(List.copyOf(functions));
            functions.sort(Comparator.comparingInt((Function f) -> f.symbol().offset()));
            byOffset.add(functions);
            List<String> unowned = new ArrayList<>();
            if (m.nativeCode() != null) {
                for (NativeCode.Relocation r : m.nativeCode().relocations()) {
                    List<Function> owners = enclosing(functions, r.offset());
                    if (owners.isEmpty()) unowned.add(r.target());
                    for (Function f : owners) references.get(f.id).add(r.target());
                }
            }
            unownedReferences.add(unowned);
            locals.add(local);
            blocksByMethod.add(blocks);
        }
    }

    private MethodDef methodOf(Function f) {
        List<MethodDef> methods = libraries.get(f.library()).module().methods();
        int index = f.symbol().method();
        return index >= 0 && index < methods.size() ? methods.get(index) : null;
    }

    private void markRoots(String entrySymbol, String entryMethod, List<String> keep) {
        for (SpecialSelector s : SpecialSelector.values()) send(s.selector);
        RUNTIME_SELECTORS.stream().sorted().forEach(this::send);
        for (List<Function> functions : byOffset) {
            for (Function f : functions) {
                NativeCode.SymbolKind kind = f.symbol().kind();
                if (kind != NativeCode.SymbolKind.METHOD && kind != NativeCode.SymbolKind.BLOCK) mark(f);
                else if (methodOf(f) == null) mark(f); // not tied to a method: cannot judge, keep
            }
        }
        markNamed(entrySymbol);
        if (entryMethod != null) markNamed(entryMethod);
        for (LibraryInput lib : libraries) {
            for (Module.MethodRef ref : lib.module().startup()) markNamed(ref.toString());
        }
        for (String k : keep) {
            if (k.startsWith("#")) send(k.substring(1));
            else if (k.contains(">>")) markNamed(k);
            else methodsByClass.getOrDefault(k, List.of()).forEach(this::mark);
        }
        // Code outside every symbol is kept, with what its relocations name.
        for (int i = 0; i < libraries.size(); i++) {
            for (String target : unownedReferences.get(i)) reference(i, target);
        }
    }

    private void markNamed(String name) {
        Function f = globals.get(name);
        if (f != null) mark(f);
    }

    private void mark(Function f) {
        if (!live.get(f.id)) {
            live.set(f.id);
            work.add(f);
        }
    }

    private void send(String selector) {
        if (!sent.add(selector)) return;
        methodsBySelector.getOrDefault(selector, List.of()).forEach(this::mark);
        if (!dynamic && DYNAMIC_SELECTORS.contains(selector)) {
            dynamic = true;
            for (LibraryInput lib : libraries) {
                for (MethodDef m : lib.module().methods()) {
                    if (m.code() != null) literalSelectors(m.code().literals(), true);
                }
            }
        }
    }

    private void propagate() {
        while (!work.isEmpty()) {
            Function f = work.poll();
            for (String target : references.get(f.id)) reference(f.library(), target);
            MethodDef def = methodOf(f);
            if (def == null) continue;
            if (def.code() != null) literalSelectors(def.code().literals(), dynamic);
            if (f.symbol().kind() == NativeCode.SymbolKind.METHOD) {
                blocksByMethod.get(f.library()).getOrDefault(f.symbol().method(), List.of()).forEach(this::mark);
            }
        }
    }

    private void reference(int library, String target) {
        Function f = locals.get(library).get(target);
        if (f == null) f = globals.get(target);
        if (f != null) mark(f);
        if (target.startsWith("method:")) markNamed(target.substring("method:".length()));
        if (target.startsWith("sym:")) send(target.substring("sym:".length()));
    }

    private void literalSelectors(List<Literal> literals, boolean withStrings) {
        for (Literal l : literals) {
            switch (l) {
                case Literal.Sym s -> send(s.value());
                case Literal.Str s when withStrings -> send(s.value());
                case Literal.Array a -> literalSelectors(a.elements(), withStrings);
                case Literal.Block b -> literalSelectors(b.code().literals(), withStrings);
                default -> { }
            }
        }
    }

    /**
     * The functions whose code contains {@code offset}: usually one, more when symbols nest.
     * Binary search for the last function starting at or before the offset, then look back
     * over the few that may still cover it (symbols start in order; nesting is shallow). A site
     * whose owner is missed counts as owned by no function, which keeps its target: safe.
     */
    private static List<Function> enclosing(List<Function> byOffset, int offset) {
        int lo = 0, hi = byOffset.size() - 1, last = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (byOffset.get(mid).symbol().offset() <= offset) {
                last = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        List<Function> found = new ArrayList<>(1);
        for (int i = last; i >= 0 && i > last - 8; i--) {
            NativeCode.Symbol s = byOffset.get(i).symbol();
            if (offset < s.offset() + s.size()) found.add(byOffset.get(i));
        }
        return found;
    }

    /** Each library without its dead functions: text compacted, symbols, relocations and method indexes renumbered. */
    private Result rewrite() {
        List<LibraryInput> out = new ArrayList<>();
        Set<String> removed = new TreeSet<>();
        long bytesRemoved = 0;
        for (int i = 0; i < libraries.size(); i++) {
            LibraryInput lib = libraries.get(i);
            Module m = lib.module();
            if (m.nativeCode() == null) {
                out.add(lib);
                continue;
            }
            List<Function> dead = new ArrayList<>();
            for (Function f : byOffset.get(i)) if (!live.get(f.id)) dead.add(f);
            if (dead.isEmpty()) {
                out.add(lib);
                continue;
            }
            // Byte ranges to drop (dead functions may nest in or overlap live ones: keep those bytes).
            byte[] text = m.nativeCode().text();
            boolean[] keepByte = new boolean[text.length];
            java.util.Arrays.fill(keepByte, true);
            for (Function f : dead) {
                for (int b = f.symbol().offset(); b < f.symbol().offset() + f.symbol().size(); b++) keepByte[b] = false;
            }
            for (Function f : byOffset.get(i)) {
                if (!live.get(f.id)) continue;
                for (int b = f.symbol().offset(); b < f.symbol().offset() + f.symbol().size(); b++) keepByte[b] = true;
            }
            int[] newOffset = new int[text.length + 1];
            ByteArrayOutputStream compact = new ByteArrayOutputStream();
            for (int b = 0; b < text.length; b++) {
                newOffset[b] = compact.size();
                if (keepByte[b]) compact.write(text[b]);
            }
            newOffset[text.length] = compact.size();
            bytesRemoved += text.length - compact.size();

            Set<Integer> liveMethods = new LinkedHashSet<>();
            for (int mi = 0; mi < m.methods().size(); mi++) liveMethods.add(mi);
            for (Function f : dead) {
                removed.add(f.symbol().name());
                if (f.symbol().kind() == NativeCode.SymbolKind.METHOD && f.symbol().method() >= 0) {
                    liveMethods.remove(f.symbol().method());
                }
            }
            Map<Integer, Integer> methodIndex = new HashMap<>();
            List<MethodDef> methods = new ArrayList<>();
            for (int mi : liveMethods) {
                methodIndex.put(mi, methods.size());
                methods.add(m.methods().get(mi));
            }
            List<NativeCode.Symbol> symbols = new ArrayList<>();
            for (Function f : inOrder.get(i)) {
                if (!live.get(f.id)) continue;
                NativeCode.Symbol s = f.symbol();
                int newStart = newOffset[s.offset()];
                int newEnd = newOffset[s.offset() + s.size()];
                int method = s.method() < 0 ? s.method() : methodIndex.getOrDefault(s.method(), -1);
                symbols.add(new NativeCode.Symbol(s.name(), s.kind(), newStart, newEnd - newStart, method));
            }
            List<NativeCode.Relocation> relocations = new ArrayList<>();
            for (NativeCode.Relocation r : m.nativeCode().relocations()) {
                if (!keepByte[r.offset()]) continue;
                relocations.add(new NativeCode.Relocation(newOffset[r.offset()], r.kind(), r.target(), r.addend()));
            }
            List<NativeCode.LineRow> lines = new ArrayList<>();
            for (NativeCode.LineRow r : m.nativeCode().lines()) {
                if (!keepByte[r.offset()]) continue;
                int offset = newOffset[r.offset()];
                if (!lines.isEmpty() && lines.getLast().offset() == offset) lines.removeLast();
                lines.add(new NativeCode.LineRow(offset, r.line()));
            }
            NativeCode code = new NativeCode(compact.toByteArray(), symbols, relocations, lines);
            Module pruned = new Module(m.kind(), m.target(), m.flags(), m.name(), m.sourceFiles(), m.classes(), methods,
                    m.startup(), m.imports(), m.exports(), code);
            out.add(new LibraryInput(lib.origin(), pruned));
        }
        return new Result(out, new ArrayList<>(removed), bytesRemoved);
    }
}
