package stc.diag;

import stc.ast.Pos;
import stc.ast.SourceFile;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects errors and warnings in gcc's form, {@code file:line:col: error: message}, followed by
 * the source line and a caret. Stops collecting after {@link #maxErrors} errors.
 */
public final class Diagnostics {
    public enum Severity { ERROR, WARNING, NOTE }

    public record Diagnostic(Severity severity, SourceFile file, Pos pos, String message) {
        public String header() {
            String where = file == null ? "stc" : pos == null || pos.line() <= 0 ? file.path()
                    : file.path() + ":" + pos.line() + ":" + pos.col();
            return where + ": " + severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + message;
        }

        /** The header, then the source line and a caret under the column. */
        public String render() {
            if (file == null || pos == null || pos.line() <= 0) return header();
            String line = file.lineText(pos.line());
            StringBuilder caret = new StringBuilder();
            for (int i = 0; i < pos.col() - 1 && i < line.length(); i++) caret.append(line.charAt(i) == '\t' ? '\t' : ' ');
            return header() + "\n " + line + "\n " + caret + "^";
        }
    }

    /** Thrown to abandon a compilation once the error limit is reached. */
    public static final class TooManyErrors extends RuntimeException {
        public TooManyErrors() { super("too many errors", null, false, false); }
    }

    private final List<Diagnostic> all = new ArrayList<>();
    private int maxErrors = 20;
    private boolean warningsAreErrors;
    private boolean warningsOff;
    private int errors;

    public Diagnostics maxErrors(int n) { maxErrors = n; return this; }

    public Diagnostics werror(boolean on) { warningsAreErrors = on; return this; }

    public Diagnostics noWarnings(boolean on) { warningsOff = on; return this; }

    public void error(SourceFile file, Pos pos, String message) {
        all.add(new Diagnostic(Severity.ERROR, file, pos, message));
        if (++errors >= maxErrors) throw new TooManyErrors();
    }

    public void warning(SourceFile file, Pos pos, String message) {
        if (warningsOff) return;
        if (warningsAreErrors) { error(file, pos, message + " [-Werror]"); return; }
        all.add(new Diagnostic(Severity.WARNING, file, pos, message));
    }

    public void note(SourceFile file, Pos pos, String message) {
        all.add(new Diagnostic(Severity.NOTE, file, pos, message));
    }

    public boolean hasErrors() { return errors > 0; }

    public int errorCount() { return errors; }

    public List<Diagnostic> all() { return all; }

    public void print(PrintStream err) {
        for (Diagnostic d : all) err.println(d.render());
        if (errors >= maxErrors) err.println("stc: too many errors, stopping");
    }
}
