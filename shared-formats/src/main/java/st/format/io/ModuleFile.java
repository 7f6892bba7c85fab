package st.format.io;

import st.format.model.Module;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A file's content as the API reads and writes it: the {@link Module}, plus sections carried as
 * raw bytes keyed by section id. Raw sections are the image sections this API reserves but does
 * not interpret ({@link Section#HEAP}, {@link Section#HREL}) and sections of a newer minor
 * version that this reader does not know; writing a file read back keeps them.
 */
public record ModuleFile(Module module, SortedMap<Integer, byte[]> rawSections) {

    public ModuleFile {
        var copy = new TreeMap<Integer, byte[]>(Integer::compareUnsigned);
        for (Map.Entry<Integer, byte[]> e : rawSections.entrySet()) {
            Section known = Section.of(e.getKey());
            if (known != null && !known.isRaw())
                throw new IllegalArgumentException("section " + known + " is written from the module, not as raw bytes");
            copy.put(e.getKey(), e.getValue().clone());
        }
        rawSections = Collections.unmodifiableSortedMap(copy);
    }

    public ModuleFile(Module module) { this(module, new TreeMap<>()); }

    /** The raw bytes of a section, or null when absent. */
    public byte[] raw(Section section) {
        byte[] b = rawSections.get(section.id);
        return b == null ? null : b.clone();
    }

    @Override public boolean equals(Object o) {
        if (!(o instanceof ModuleFile f) || !f.module.equals(module) || !f.rawSections.keySet().equals(rawSections.keySet()))
            return false;
        for (var e : rawSections.entrySet())
            if (!java.util.Arrays.equals(e.getValue(), f.rawSections.get(e.getKey()))) return false;
        return true;
    }

    @Override public int hashCode() { return module.hashCode(); }
}
