package stlink.image;

/** Where a relocation points: into a section of the program, or at an imported function's slot. */
public sealed interface Place {

    /** {@code offset} bytes into {@code section}. */
    record InSection(Section section, long offset) implements Place {}

    /**
     * The import-address-table slot of a function imported from a DLL (Windows only). Code calls
     * through it: {@code call [rip + slot]}.
     */
    record ImportSlot(Import function) implements Place {}
}
