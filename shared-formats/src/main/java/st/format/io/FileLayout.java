package st.format.io;

import st.format.model.Module;

import java.util.List;

/**
 * What the header and section table of a file say, validated but before any section is parsed:
 * for tools that show a file's structure (stdump) or want only a few facts.
 */
public record FileLayout(int major, int minor, Module.Kind kind, Module.Target target, int flags,
                         long fileLength, List<Entry> sections) {

    /** One row of the section table. {@code crc} is the CRC-32 of the section's bytes. */
    public record Entry(int id, long offset, long length, int crc) {
        public String tag() { return Section.tag(id); }

        /** The known section, or null. */
        public Section section() { return Section.of(id); }
    }

    /** The entry for a section, or null when the file does not have it. */
    public Entry find(int id) {
        for (Entry e : sections) if (e.id == id) return e;
        return null;
    }
}
