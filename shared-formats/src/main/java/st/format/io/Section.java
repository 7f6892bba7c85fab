package st.format.io;

import java.nio.charset.StandardCharsets;

/**
 * The section kinds of the format. A section id is its four-letter ASCII tag read as a
 * little-endian u32, so the tag is legible in a hex dump. The order of the constants is the
 * order in which the writer lays the sections out. See docs/FORMAT.md.
 */
public enum Section {
    /** Module facts that are not in the header: the module name. */
    MODL,
    /** The string table: every name and text in the file, deduplicated, referenced by index. */
    STRS,
    /** Source file names. */
    SRCF,
    /** Class definitions. */
    CLAS,
    /** Method definitions. */
    METH,
    /** Compiled code: method and block bodies with their literal frames and source maps. */
    CODE,
    /** Literal objects. */
    LITS,
    /** The startup list: methods run in order when the program starts. */
    STRT,
    /** Imported names. */
    IMPT,
    /** Exported names. */
    EXPT,
    /** Native code of a library: the machine code text. */
    NTXT,
    /** Native code symbols. */
    NSYM,
    /** Native code relocations. */
    NREL,
    /** Native code source lines (optional, since format 1.1). */
    NLIN,
    /** Reserved: an image's heap segment, laid out as docs/RUNTIME.md describes. Carried as raw bytes. */
    HEAP,
    /** Reserved: the relocation table of an image's heap segment. Carried as raw bytes. */
    HREL;

    /** The numeric id stored in the section table. */
    public final int id;

    Section() {
        byte[] tag = name().getBytes(StandardCharsets.US_ASCII);
        id = (tag[0] & 0xFF) | (tag[1] & 0xFF) << 8 | (tag[2] & 0xFF) << 16 | (tag[3] & 0xFF) << 24;
    }

    /** True for sections the API carries as uninterpreted bytes ({@link ModuleFile#rawSections()}). */
    public boolean isRaw() { return this == HEAP || this == HREL; }

    /** The section with this id, or null when the id is not one this version knows. */
    public static Section of(int id) {
        for (Section s : values()) if (s.id == id) return s;
        return null;
    }

    /** The tag for any id: the four letters when printable ASCII, else {@code 0x} and hex digits. */
    public static String tag(int id) {
        StringBuilder b = new StringBuilder(4);
        for (int i = 0; i < 4; i++) {
            int c = (id >>> (8 * i)) & 0xFF;
            if (c < 0x21 || c > 0x7E) return String.format("0x%08x", id);
            b.append((char) c);
        }
        return b.toString();
    }

    /** The id for a four-character tag, for sections this version does not name. */
    public static int idOf(String tag) {
        byte[] t = tag.getBytes(StandardCharsets.US_ASCII);
        if (t.length != 4) throw new IllegalArgumentException("a section tag has four characters: " + tag);
        return (t[0] & 0xFF) | (t[1] & 0xFF) << 8 | (t[2] & 0xFF) << 16 | (t[3] & 0xFF) << 24;
    }
}
