package stc.parse;

import java.util.Locale;

/** The source dialects {@code stc} reads. */
public enum Dialect {
    CHUNK, TONEL, GNU, SOM;

    /** The name used by {@code --dialect}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The dialect named {@code name} on the command line, or null. */
    public static Dialect fromCliName(String name) {
        for (Dialect d : values()) if (d.cliName().equals(name)) return d;
        return null;
    }

    /**
     * Guesses the dialect from the file name and the text. The extension decides for {@code .som}
     * and Tonel's {@code .class.st}/{@code .extension.st}; otherwise the first definition in the
     * text does: a Tonel header, a SOM class, GNU brackets, or {@code !} chunks. Plain statements
     * with none of these read as GNU, where top-level statements are the norm.
     */
    public static Dialect detect(String path, String text) {
        String name = path == null ? "" : path.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (name.endsWith(".som")) return SOM;
        if (name.endsWith(".class.st") || name.endsWith(".extension.st") || name.endsWith(".trait.st")
                || name.equals("package.st")) return TONEL;
        return new Sniffer(text == null ? "" : text).guess();
    }

    /** A quick look over the text, skipping strings and comments, for each dialect's telltale shapes. */
    private static final class Sniffer {
        private final String s;
        private int p;

        Sniffer(String s) { this.s = s; }

        Dialect guess() {
            int first = skip(0);
            String w1 = word(first);
            if (!w1.isEmpty()) {
                int after = skip(first + w1.length());
                if (at(after) == '{' && (w1.equals("Class") || w1.equals("Extension") || w1.equals("Trait")
                        || w1.equals("Package"))) return TONEL;
                if (at(after) == '=' && at(after + 1) != '=') {
                    int q = skip(after + 1);
                    if (at(q) == '(') return SOM;
                    String sup = word(q);
                    if (!sup.isEmpty() && at(skip(q + sup.length())) == '(') return SOM;
                }
            }
            int bangs = 0;
            boolean brackets = false, methodsFor = false;
            p = 0;
            int n = s.length();
            while (p < n) {
                char c = s.charAt(p);
                if (c == '"') { int e = s.indexOf('"', p + 1); p = e < 0 ? n : e + 1; continue; }
                if (c == '\'') {
                    int e = p + 1;
                    while (e < n && (s.charAt(e) != '\'' || (e + 1 < n && s.charAt(e + 1) == '\'' && ++e > 0))) e++;
                    p = e + 1;
                    continue;
                }
                if (c == '$') { p += 2; continue; }
                if (c == '!') bangs++;
                else if (c == '[' && !brackets) brackets = bracketDefinitionBefore(p);
                else if (c == 'm' && s.startsWith("methodsFor:", p)) methodsFor = true;
                p++;
            }
            if (methodsFor && bangs >= 2) return CHUNK;
            if (brackets) return GNU;
            if (bangs >= 1) return CHUNK;
            return GNU;
        }

        /** True when the words just before the '[' at {@code i} look like a GNU class or method header. */
        private boolean bracketDefinitionBefore(int i) {
            int lineStart = s.lastIndexOf('\n', i - 1) + 1;
            String head = s.substring(lineStart, i).strip();
            if (head.isEmpty()) return false;
            String[] words = head.split("\\s+");
            String last = words[words.length - 1];
            if (words.length >= 3 && words[words.length - 2].equals("subclass:")) return true;
            if (last.equals("extend") || head.equals("Eval")) return true;
            if (words.length >= 2 && words[words.length - 2].equals(">>")) return true;
            return words.length >= 3 && (words[words.length - 3].equals(">>") || words[1].equals(">>"));
        }

        private char at(int i) { return i < s.length() ? s.charAt(i) : '\0'; }

        private int skip(int i) {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c)) i++;
                else if (c == '"') { int e = s.indexOf('"', i + 1); i = e < 0 ? s.length() : e + 1; }
                else break;
            }
            return i;
        }

        private String word(int i) {
            int e = i;
            while (e < s.length() && (Character.isLetterOrDigit(s.charAt(e)) || s.charAt(e) == '_')) e++;
            return e > i && Character.isLetter(s.charAt(i)) ? s.substring(i, e) : "";
        }
    }
}
