package stc.ast;

/** A source file as read: its path as the user named it (or "<stdin>") and its text. */
public record SourceFile(String path, String text) {

    /** The text of the 1-based line {@code line}, without its terminator; "" when out of range. */
    public String lineText(int line) {
        int start = 0;
        for (int l = 1; l < line; l++) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) return "";
            start = nl + 1;
        }
        int end = text.indexOf('\n', start);
        if (end < 0) end = text.length();
        if (end > start && text.charAt(end - 1) == '\r') end--;
        return text.substring(start, end);
    }

    /** The position of a 0-based character offset. */
    public Pos posAt(int offset) {
        int line = 1, col = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') { line++; col = 1; } else col++;
        }
        return new Pos(line, col, offset);
    }
}
