package stc.parse;

import stc.ast.Pos;
import stc.ast.SourceFile;
import stc.diag.Diagnostics;

/**
 * The characters a scanner reads, tied back to the file they came from. Usually the buffer is the
 * file's own text; for a chunk whose {@code !!} were undoubled it is a copy, and {@code origin}
 * maps each buffer index back to its offset in the file so diagnostics point at the real text.
 */
final class Source {
    final SourceFile file;
    final Diagnostics diags;
    final char[] buf;
    final NameTable names;
    private final int[] origin;
    private final int[] lineStarts;

    private Source(SourceFile file, Diagnostics diags, char[] buf, int[] origin, int[] lineStarts, NameTable names) {
        this.file = file;
        this.names = names;
        this.diags = diags;
        this.buf = buf;
        this.origin = origin;
        this.lineStarts = lineStarts;
    }

    static Source of(SourceFile file, Diagnostics diags) {
        char[] text = file.text().toCharArray();
        return new Source(file, diags, text, null, lineStarts(text), new NameTable());
    }

    /** A derived buffer over the same file: {@code origin[i]} is the file offset of {@code buf[i]}. */
    Source derived(char[] buf, int[] origin) {
        return new Source(file, diags, buf, origin, lineStarts, names);
    }

    /** Line starts; a line ends at LF, CRLF, or a lone CR (Squeak still writes fileouts with CR). */
    private static int[] lineStarts(char[] text) {
        int n = 1;
        for (int i = 0; i < text.length; i++) if (isLineEnd(text, i)) n++;
        int[] starts = new int[n];
        int k = 1;
        for (int i = 0; i < text.length; i++) if (isLineEnd(text, i)) starts[k++] = i + 1;
        return starts;
    }

    private static boolean isLineEnd(char[] text, int i) {
        return text[i] == '\n' || text[i] == '\r' && (i + 1 == text.length || text[i + 1] != '\n');
    }

    /** The file offset of buffer index {@code i} (one past the end maps one past the last char). */
    int fileOffset(int i) {
        if (origin == null) return i;
        if (i < origin.length) return origin[i];
        return origin.length == 0 ? 0 : origin[origin.length - 1] + 1 + (i - origin.length);
    }

    Pos pos(int i) {
        return posOfFileOffset(fileOffset(i));
    }

    Pos posOfFileOffset(int off) {
        int lo = 0, hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= off) lo = mid; else hi = mid - 1;
        }
        return new Pos(lo + 1, off - lineStarts[lo] + 1, off);
    }

    void error(int i, String message) {
        diags.error(file, pos(i), message);
    }

    void warning(int i, String message) {
        diags.warning(file, pos(i), message);
    }

    /** The interned text of {@code buf[from, to)}. */
    String name(int from, int to) {
        return names.intern(buf, from, to);
    }

    String text(int from, int to) {
        return new String(buf, from, to - from);
    }
}
