package st.format.model;

import java.util.List;

/**
 * A class defined by a module.
 *
 * @param superclass the superclass name, or null for a root class
 */
public record ClassDef(String name, String superclass, Shape shape, List<String> instVars,
                       List<String> classVars, List<String> classInstVars, String category,
                       String comment, int sourceFile, int line, int col) {

    /** How instances store their indexed part, if any. */
    public enum Shape {
        /** Named pointer slots only. */
        FIXED,
        /** Named slots plus indexed pointer slots. */
        POINTERS,
        /** Indexed bytes. */
        BYTES,
        /** Indexed 32-bit words. */
        WORDS,
        /** Named slots plus indexed weak pointer slots. */
        WEAK,
        /** Named slots only, the first (the key) held ephemerally (Hayes 1997): see docs/RUNTIME.md 12. */
        EPHEMERON
    }
}
