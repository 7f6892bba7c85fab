package stc.cli;

import java.util.List;

/** A make rule in gcc's {@code -M} style: {@code target: dep dep \} with long lines continued. */
public final class DependencyRule {
    private static final int WIDTH = 78;

    private DependencyRule() {}

    public static String of(String target, List<String> dependencies) {
        StringBuilder out = new StringBuilder(escape(target)).append(':');
        int column = out.length();
        for (String d : dependencies) {
            String dep = escape(d);
            if (column + 1 + dep.length() > WIDTH && column > target.length() + 1) {
                out.append(" \\\n");
                column = 0;
            }
            out.append(' ').append(dep);
            column += 1 + dep.length();
        }
        return out.append('\n').toString();
    }

    /** Escapes what make would otherwise split or expand: spaces, {@code #} and {@code $}. */
    static String escape(String path) {
        StringBuilder b = new StringBuilder();
        for (char c : path.toCharArray()) {
            switch (c) {
                case ' ', '#', '\\' -> b.append('\\').append(c);
                case '$' -> b.append("$$");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
