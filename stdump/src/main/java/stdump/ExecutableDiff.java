package stdump;

import st.cli.Tool;
import st.format.io.ModuleFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A diff where at least one side is an executable: the libraries linked into it are compared
 * with a semantic {@link ModuleDiff} each, paired by file name (between two executables) or with
 * the library of the other side (found by file name, else by module name), then the heaps.
 * Executables without embedded libraries can only be compared byte by byte.
 */
final class ExecutableDiff {
    private record Side(String name, List<Lib> libraries, ExecutableFile exe) {}

    private record Lib(String name, String module, ModuleFile file) {}

    private final List<Map<String, Object>> changes = new ArrayList<>();
    private final List<Map<String, Object>> libraries = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private boolean same = true;

    static ExecutableDiff of(Input a, Input b) {
        ExecutableDiff d = new ExecutableDiff();
        Side sa = side(a), sb = side(b);
        if (sa == null || sb == null) {
            d.bytewise(a, b);
            return d;
        }
        if (sa.exe() != null && sb.exe() != null) d.executables(sa, sb);
        else d.againstLibrary(sa, sb);
        return d;
    }

    boolean same() { return same; }

    Map<String, Object> json() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("same", same);
        j.put("changes", changes);
        j.put("libraries", libraries);
        return j;
    }

    String text() { return text.toString(); }

    /** The libraries of one side; null for an executable that embeds none. */
    private static Side side(Input in) {
        if (in.kind() == Input.Kind.FORMAT) {
            ModuleFile f = in.module(Tool.USAGE);
            return new Side(in.name(), List.of(new Lib(fileName(in.name()), f.module().name(), f)), null);
        }
        ExecutableFile exe = ExecutableFile.read(in, Tool.USAGE);
        if (!exe.hasLibraries()) return null;
        List<Lib> libs = new ArrayList<>();
        for (ExecutableFile.Library l : exe.libraries()) libs.add(new Lib(l.name(), l.file().module().name(), l.file()));
        return new Side(in.name(), libs, exe);
    }

    private void bytewise(Input a, Input b) {
        same = Arrays.equals(a.bytes(), b.bytes());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("change", same ? "none" : "changed");
        c.put("what", "file");
        c.put("name", "bytes");
        c.put("note", "an executable without embedded libraries is compared byte by byte");
        if (!same) {
            changes.add(c);
            text.append("binary files ").append(a.name()).append(" and ").append(b.name()).append(" differ\n");
        }
    }

    private void executables(Side a, Side b) {
        for (Lib la : a.libraries()) {
            Lib lb = find(b.libraries(), la.name(), null);
            if (lb == null) change("removed", "library", la.name());
            else compare(a, la, b, lb);
        }
        for (Lib lb : b.libraries()) if (find(a.libraries(), lb.name(), null) == null) change("added", "library", lb.name());
        var ha = a.exe().contents();
        var hb = b.exe().contents();
        if (ha.heapBytes() != hb.heapBytes() || ha.heapZeroFill() != hb.heapZeroFill()) {
            Map<String, Object> c = change("changed", "heap", "size");
            c.put("old", ha.heapBytes() + " + " + ha.heapZeroFill() + " zero fill");
            c.put("new", hb.heapBytes() + " + " + hb.heapZeroFill() + " zero fill");
            text.append("  ").append(c.get("old")).append(" -> ").append(c.get("new")).append('\n');
        }
    }

    private void againstLibrary(Side a, Side b) {
        Side exe = a.exe() != null ? a : b, lib = a.exe() != null ? b : a;
        Lib wanted = lib.libraries().getFirst();
        Lib found = find(exe.libraries(), wanted.name(), wanted.module());
        if (found == null) {
            throw new Tool.Failure(Tool.USAGE, exe.name() + " was not linked from a library named " + wanted.name()
                    + (wanted.module() != null ? " or holding module " + wanted.module() : "") + " (it has: "
                    + String.join(" ", exe.libraries().stream().map(Lib::name).toList()) + ")");
        }
        if (a == exe) compare(a, found, b, wanted); else compare(a, wanted, b, found);
    }

    private void compare(Side a, Lib la, Side b, Lib lb) {
        ModuleDiff d = ModuleDiff.of(la.file(), lb.file());
        if (d.same()) return;
        same = false;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("old", la.name());
        row.put("new", lb.name());
        row.put("changes", d.changes());
        libraries.add(row);
        text.append(d.text(label(a, la), label(b, lb)));
    }

    private static String label(Side s, Lib l) { return s.exe() == null ? s.name() : s.name() + " (" + l.name() + ")"; }

    private Map<String, Object> change(String change, String what, String name) {
        same = false;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("change", change);
        c.put("what", what);
        c.put("name", name);
        changes.add(c);
        text.append(what).append(' ').append(change).append(": ").append(name).append('\n');
        return c;
    }

    private static Lib find(List<Lib> libs, String name, String module) {
        for (Lib l : libs) if (l.name().equals(name)) return l;
        if (module != null) for (Lib l : libs) if (module.equals(l.module())) return l;
        return null;
    }

    private static String fileName(String path) {
        Path p = Path.of(path).getFileName();
        return p == null ? path : p.toString();
    }
}
