package stlink.image;

import java.util.List;

/**
 * Source-level debug information for one library's code: which source file and line each
 * function's code came from. The ELF writer turns it into DWARF ({@code .debug_line} and a
 * small {@code .debug_info}), so gdb, addr2line and perf show Smalltalk files and lines.
 *
 * @param name       the compilation unit's name: the library
 * @param textOffset where the library's code starts in {@link Section#TEXT}
 * @param files      source file names; functions refer to them by index
 */
public record DebugUnit(String name, long textOffset, long textSize, List<String> files, List<Function> functions) {

    public DebugUnit {
        files = List.copyOf(files);
        functions = List.copyOf(functions);
    }

    /**
     * A method or block: its code range in {@link Section#TEXT}, its file and first line, and
     * optional further rows where the line changes, in address order.
     *
     * @param file index into {@link DebugUnit#files}
     */
    public record Function(String name, long textOffset, long size, int file, int line, List<Row> rows, Frame frame) {
        public Function {
            rows = List.copyOf(rows);
        }

        public Function(String name, long textOffset, long size, int file, int line, List<Row> rows) {
            this(name, textOffset, size, file, line, rows, null);
        }
    }

    /**
     * How the function keeps its frame, for unwinders (DWARF call frame information): offsets,
     * relative to the function, of its {@code push rbp; mov rbp, rsp} and of each
     * {@code mov rsp, rbp; pop rbp; ret}. Before the push the return address is at the top of the
     * stack; after the move the frame is {@code rbp}-based, as every Smalltalk frame is.
     */
    public record Frame(int prologue, List<Integer> epilogues) {
        public Frame {
            epilogues = List.copyOf(epilogues);
        }
    }

    /**
     * Code from {@code textOffset} on belongs to {@code line}. {@code prologueEnd} marks where a
     * debugger should stop for a breakpoint on the function: past the inline-cache check, at the
     * entry every call reaches.
     */
    public record Row(long textOffset, int line, boolean prologueEnd) {
        public Row(long textOffset, int line) { this(textOffset, line, false); }
    }
}
