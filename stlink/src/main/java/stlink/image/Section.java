package stlink.image;

/** The sections of a linked program, the same for every executable format. */
public enum Section {
    /** Machine code: read and execute. */
    TEXT,
    /** Constants: read only. */
    RODATA,
    /** Initialised data, such as the initial Smalltalk heap: read and write. */
    DATA,
    /** Zero-filled data that takes no file space: read and write. */
    BSS
}
