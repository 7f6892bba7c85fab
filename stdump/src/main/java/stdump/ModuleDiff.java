package stdump;

import st.bytecode.Listing;
import st.format.io.ModuleFile;
import st.format.model.ClassDef;
import st.format.model.MethodDef;
import st.format.model.Module;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A semantic diff of two files: what changed in the module's facts, its classes (and their
 * variables) and its methods, with a bytecode and a source diff for each changed method. Order
 * follows the old file, then additions in the new file's order, so output is deterministic.
 */
final class ModuleDiff {
    private final List<Map<String, Object>> changes = new ArrayList<>();

    static ModuleDiff of(ModuleFile a, ModuleFile b) {
        ModuleDiff d = new ModuleDiff();
        d.module(a.module(), b.module());
        d.classes(a.module(), b.module());
        d.methods(a.module(), b.module());
        d.natives(a, b);
        return d;
    }

    boolean same() { return changes.isEmpty(); }

    List<Map<String, Object>> changes() { return changes; }

    private Map<String, Object> add(String change, String what, String name) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("change", change);
        c.put("what", what);
        c.put("name", name);
        changes.add(c);
        return c;
    }

    private void fact(String what, Object old, Object now) {
        if (Objects.equals(old, now)) return;
        Map<String, Object> c = add("changed", "module", what);
        c.put("old", old);
        c.put("new", now);
    }

    private void module(Module a, Module b) {
        fact("kind", Views.lower(a.kind()), Views.lower(b.kind()));
        fact("target", Views.lower(a.target()), Views.lower(b.target()));
        fact("flags", a.flags(), b.flags());
        fact("name", a.name(), b.name());
        fact("source files", a.sourceFiles(), b.sourceFiles());
        names("import", a.imports(), b.imports());
        names("export", a.exports(), b.exports());
        fact("startup", a.startup().stream().map(Module.MethodRef::toString).toList(),
                b.startup().stream().map(Module.MethodRef::toString).toList());
    }

    private void names(String what, List<String> a, List<String> b) {
        for (String s : a) if (!b.contains(s)) add("removed", what, s);
        for (String s : b) if (!a.contains(s)) add("added", what, s);
    }

    private void classes(Module ma, Module mb) {
        Map<String, ClassDef> a = new LinkedHashMap<>(), b = new LinkedHashMap<>();
        for (ClassDef c : ma.classes()) a.put(c.name(), c);
        for (ClassDef c : mb.classes()) b.put(c.name(), c);
        for (ClassDef old : a.values()) {
            ClassDef now = b.get(old.name());
            if (now == null) {
                add("removed", "class", old.name());
                continue;
            }
            List<String> details = new ArrayList<>();
            detail(details, "superclass", old.superclass(), now.superclass());
            detail(details, "shape", Views.lower(old.shape()), Views.lower(now.shape()));
            detail(details, "category", old.category(), now.category());
            detail(details, "comment", old.comment(), now.comment());
            vars(details, "instance variable", old.instVars(), now.instVars());
            vars(details, "class variable", old.classVars(), now.classVars());
            vars(details, "class-side instance variable", old.classInstVars(), now.classInstVars());
            if (!details.isEmpty()) add("changed", "class", old.name()).put("details", details);
        }
        for (ClassDef now : b.values()) if (!a.containsKey(now.name())) add("added", "class", now.name());
    }

    private static void detail(List<String> details, String what, String old, String now) {
        if (!Objects.equals(old, now))
            details.add(what + ": " + show(old) + " -> " + show(now));
    }

    private static String show(String s) { return s == null ? "(none)" : "'" + Views.oneLine(s) + "'"; }

    private static void vars(List<String> details, String what, List<String> old, List<String> now) {
        for (String v : old) if (!now.contains(v)) details.add(what + " removed: " + v);
        for (String v : now) if (!old.contains(v)) details.add(what + " added: " + v);
        if (old.size() == now.size() && old.containsAll(now) && !old.equals(now))
            details.add(what + "s reordered: " + String.join(" ", old) + " -> " + String.join(" ", now));
    }

    private void methods(Module ma, Module mb) {
        Map<String, MethodDef> a = new LinkedHashMap<>(), b = new LinkedHashMap<>();
        for (MethodDef m : ma.methods()) a.putIfAbsent(m.qualifiedName(), m);
        for (MethodDef m : mb.methods()) b.putIfAbsent(m.qualifiedName(), m);
        for (MethodDef old : a.values()) {
            MethodDef now = b.get(old.qualifiedName());
            if (now == null) {
                add("removed", "method", old.qualifiedName());
                continue;
            }
            List<String> details = new ArrayList<>();
            String oldCode = Listing.method(old, false), newCode = Listing.method(now, false);
            boolean codeChanged = !oldCode.equals(newCode);
            boolean sourceChanged = !Objects.equals(old.source(), now.source());
            if (codeChanged) details.add("bytecodes");
            if (sourceChanged) details.add("source");
            if (!Objects.equals(old.category(), now.category())) details.add("category: " + show(old.category()) + " -> " + show(now.category()));
            if (!codeChanged && !old.code().sourceMap().equals(now.code().sourceMap())) details.add("source positions");
            if (old.line() != now.line() || old.col() != now.col() || !Objects.equals(fileOf(ma, old), fileOf(mb, now)))
                details.add("location: " + Views.location(ma, old.sourceFile(), old.line(), old.col()) + " -> "
                        + Views.location(mb, now.sourceFile(), now.line(), now.col()));
            if (details.isEmpty()) continue;
            Map<String, Object> c = add("changed", "method", old.qualifiedName());
            c.put("details", details);
            if (codeChanged) c.put("bytecodeDiff", LineDiff.diff(LineDiff.lines(oldCode.stripTrailing()), LineDiff.lines(newCode.stripTrailing())));
            if (sourceChanged) c.put("sourceDiff", LineDiff.diff(LineDiff.lines(old.source()), LineDiff.lines(now.source())));
        }
        for (MethodDef now : b.values()) if (!a.containsKey(now.qualifiedName())) add("added", "method", now.qualifiedName());
    }

    private static String fileOf(Module m, MethodDef md) {
        int f = md.sourceFile();
        return f >= 0 && f < m.sourceFiles().size() ? m.sourceFiles().get(f) : null;
    }

    private void natives(ModuleFile fa, ModuleFile fb) {
        var a = fa.module().nativeCode();
        var b = fb.module().nativeCode();
        if (a == null && b != null) add("added", "native code", b.text().length + " bytes");
        else if (a != null && b == null) add("removed", "native code", a.text().length + " bytes");
        else if (a != null) {
            List<String> details = new ArrayList<>();
            if (!Arrays.equals(a.text(), b.text())) details.add("text: " + a.text().length + " -> " + b.text().length + " bytes");
            for (var s : a.symbols()) if (b.symbols().stream().noneMatch(t -> t.name().equals(s.name()))) details.add("symbol removed: " + s.name());
            for (var s : b.symbols()) if (a.symbols().stream().noneMatch(t -> t.name().equals(s.name()))) details.add("symbol added: " + s.name());
            if (!a.symbols().equals(b.symbols()) && details.stream().noneMatch(d -> d.startsWith("symbol"))) details.add("symbols moved or resized");
            if (!a.relocations().equals(b.relocations())) details.add("relocations: " + a.relocations().size() + " -> " + b.relocations().size());
            if (!details.isEmpty()) add("changed", "native code", "text").put("details", details);
        }
        var ra = fa.rawSections();
        var rb = fb.rawSections();
        for (var e : ra.entrySet()) {
            String tag = st.format.io.Section.tag(e.getKey());
            byte[] other = rb.get(e.getKey());
            if (other == null) add("removed", "section", tag);
            else if (!Arrays.equals(e.getValue(), other)) add("changed", "section", tag)
                    .put("details", List.of(e.getValue().length + " -> " + other.length + " bytes"));
        }
        for (var k : rb.keySet()) if (!ra.containsKey(k)) add("added", "section", st.format.io.Section.tag(k));
    }

    @SuppressWarnings("unchecked")
    String text(String nameA, String nameB) {
        if (changes.isEmpty()) return "";
        StringBuilder out = new StringBuilder("--- ").append(nameA).append("\n+++ ").append(nameB).append('\n');
        for (Map<String, Object> c : changes) {
            out.append(c.get("what")).append(' ').append(c.get("change")).append(": ").append(c.get("name"));
            if (c.containsKey("old")) out.append(": ").append(c.get("old")).append(" -> ").append(c.get("new"));
            out.append('\n');
            for (String d : (List<String>) c.getOrDefault("details", List.of())) out.append("  ").append(d).append('\n');
            if (c.containsKey("bytecodeDiff")) {
                out.append("  bytecode diff:\n");
                for (String l : (List<String>) c.get("bytecodeDiff")) out.append("    ").append(l).append('\n');
            }
            if (c.containsKey("sourceDiff")) {
                out.append("  source diff:\n");
                for (String l : (List<String>) c.get("sourceDiff")) out.append("    ").append(l).append('\n');
            }
        }
        return out.toString();
    }
}
