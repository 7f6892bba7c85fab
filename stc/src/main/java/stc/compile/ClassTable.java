package stc.compile;

import st.format.model.ClassDef;
import stc.ast.Node;
import stc.ast.SourceFile;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every class a compilation can see: those it defines and those defined by the referenced
 * modules (the kernel and {@code -I} modules). Computes inherited instance variable layouts and
 * class variable visibility, and remembers which referenced modules it had to consult.
 */
final class ClassTable {
    /** One class, local (with its declaration) or from a referenced module ({@code module >= 0}). */
    record Entry(String name, String superclass, List<String> instVars, List<String> classVars,
                 List<String> classInstVars, int module, Node.ClassDecl decl, SourceFile file) {}

    /** The root classes that need no definition: {@code Object} has no instance variables. */
    static final String ROOT = "Object";
    private static final int MAX_DEPTH = 10_000;

    private final Map<String, Entry> local = new LinkedHashMap<>();
    private final Map<String, Entry> referenced = new HashMap<>();
    private final Map<String, Integer> exportedBy = new HashMap<>();
    private final BitSet usedModules = new BitSet();
    private final Map<String, List<String>> instVarCache = new HashMap<>();

    /** Adds the classes and exports of a referenced module; earlier modules win on a name clash. */
    void addModule(int index, List<ClassDef> classes, List<String> exports) {
        for (ClassDef c : classes) {
            referenced.putIfAbsent(c.name(), new Entry(c.name(), c.superclass(), c.instVars(), c.classVars(),
                    c.classInstVars(), index, null, null));
            exportedBy.putIfAbsent(c.name(), index);
        }
        for (String e : exports) exportedBy.putIfAbsent(e, index);
    }

    /** Registers a class defined by this compilation; returns the earlier definition when it is a duplicate. */
    Entry define(Entry e) {
        Entry previous = local.get(e.name());
        if (previous != null) return previous;
        local.put(e.name(), e);
        instVarCache.clear();
        return null;
    }

    /** Gives local class {@code name} another superclass (a SOM program's superclass resolved to a layer class). */
    void changeSuperclass(String name, String superclass) {
        Entry e = local.get(name);
        local.put(name, new Entry(e.name(), superclass, e.instVars(), e.classVars(), e.classInstVars(), e.module(), e.decl(), e.file()));
        instVarCache.clear();
    }

    Iterable<Entry> localClasses() { return local.values(); }

    boolean isLocal(String name) { return local.containsKey(name); }

    /** True when a referenced module (the kernel, the SOM layer, {@code -I}) defines class {@code name}. */
    boolean isReferencedClass(String name) { return referenced.containsKey(name); }

    /** The class named {@code name}, local or referenced (noting the module as used), or null. */
    Entry find(String name) {
        if (name == null) return null;
        Entry e = local.get(name);
        if (e != null) return e;
        e = referenced.get(name);
        if (e != null) usedModules.set(e.module());
        return e;
    }

    /** True when some referenced module exports {@code name}; notes that module as used. */
    boolean isExported(String name) {
        Integer m = exportedBy.get(name);
        if (m == null) return false;
        usedModules.set(m);
        return true;
    }

    BitSet usedModules() { return usedModules; }

    /** The superclass chain from {@code name} up, stopping at the first unknown class or a cycle. */
    List<Entry> chain(String name) {
        List<Entry> out = new ArrayList<>();
        for (Entry e = find(name); e != null && out.size() < MAX_DEPTH; e = find(e.superclass())) {
            if (containsSame(out, e)) break;
            out.add(e);
        }
        return out;
    }

    /** Whether following superclasses from {@code name} comes back to a class already seen. */
    boolean isCircular(String name) {
        List<Entry> seen = new ArrayList<>();
        for (Entry e = find(name); e != null; e = find(e.superclass())) {
            if (containsSame(seen, e)) return true;
            seen.add(e);
        }
        return false;
    }

    /** Identity, not equality: entries hold whole declarations, and two classes are never the same entry. */
    private static boolean containsSame(List<Entry> entries, Entry e) {
        for (Entry x : entries) if (x == e) return true;
        return false;
    }

    /** All instance variables of instances of {@code name}: inherited ones first. */
    List<String> allInstVars(String name) {
        List<String> cached = instVarCache.get(name);
        if (cached != null) return cached;
        List<Entry> chain = chain(name);
        List<String> out = new ArrayList<>();
        for (int i = chain.size() - 1; i >= 0; i--) out.addAll(chain.get(i).instVars());
        List<String> result = List.copyOf(out);
        instVarCache.put(name, result);
        return result;
    }

    /**
     * All instance variables of the metaclass of {@code name}: those of {@code Class} (every class
     * object is one), then the class-side instance variables along the chain, root first.
     */
    List<String> allClassSideInstVars(String name) {
        String key = name + " class";
        List<String> cached = instVarCache.get(key);
        if (cached != null) return cached;
        List<String> out = new ArrayList<>(find("Class") != null ? allInstVars("Class") : List.of());
        List<Entry> chain = chain(name);
        for (int i = chain.size() - 1; i >= 0; i--) out.addAll(chain.get(i).classInstVars());
        List<String> result = List.copyOf(out);
        instVarCache.put(key, result);
        return result;
    }

    /** The class that defines class variable {@code var} as seen from {@code className}, or null. */
    String classVarOwner(String className, String var) {
        for (Entry e : chain(className)) {
            if (e.classVars().contains(var)) return e.name();
        }
        return null;
    }
}
