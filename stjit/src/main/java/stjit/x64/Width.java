package stjit.x64;

/** Operand width of an integer instruction. */
public enum Width {
    BYTE(1, "BYTE PTR"), WORD(2, "WORD PTR"), DWORD(4, "DWORD PTR"), QWORD(8, "QWORD PTR");

    private final int bytes;
    private final String ptr;

    Width(int bytes, String ptr) { this.bytes = bytes; this.ptr = ptr; }

    public int bytes() { return bytes; }

    /** Intel-syntax size keyword for a memory operand of this width. */
    public String ptr() { return ptr; }
}
