package stc.ast;

/** A position in a source file: 1-based line and column (in characters), and 0-based offset. */
public record Pos(int line, int col, int offset) {
    public static final Pos NONE = new Pos(0, 0, -1);
}
