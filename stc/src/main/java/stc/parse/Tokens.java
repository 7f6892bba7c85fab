package stc.parse;

/**
 * A scanned token stream, stored as parallel arrays so scanning allocates little. The last token
 * is always {@link #EOF}. {@code value} holds the name for identifiers, keywords and binary
 * operators, and the {@link st.format.model.Literal} for literal tokens.
 */
final class Tokens {
    static final byte EOF = 0, IDENT = 1, KEYWORD = 2, BINARY = 3, BAR = 4, LITERAL = 5, SYMBOL = 6,
            ASSIGN = 7, CARET = 8, COLON = 9, LPAREN = 10, RPAREN = 11, LBRACKET = 12, RBRACKET = 13,
            LBRACE = 14, RBRACE = 15, PERIOD = 16, SEMI = 17, HASH_PAREN = 18, HASH_BRACKET = 19,
            HASH_BRACE = 20;

    byte[] kind = new byte[64];
    int[] start = new int[64];
    int[] end = new int[64];
    Object[] value = new Object[64];
    int count;

    void add(byte k, int s, int e, Object v) {
        if (count == kind.length) {
            int n = count * 2;
            kind = java.util.Arrays.copyOf(kind, n);
            start = java.util.Arrays.copyOf(start, n);
            end = java.util.Arrays.copyOf(end, n);
            value = java.util.Arrays.copyOf(value, n);
        }
        kind[count] = k;
        start[count] = s;
        end[count] = e;
        value[count] = v;
        count++;
    }

    String name(int i) {
        return (String) value[i];
    }

    /** True when token {@code i} ends exactly where token {@code i + 1} starts. */
    boolean adjacent(int i) {
        return end[i] == start[i + 1];
    }

    /** How a diagnostic names token {@code i}: {@code ')'}, {@code literal 3}, {@code end of input}. */
    String describe(Source src, int i) {
        if (kind[i] == EOF) return "end of input";
        int stop = Math.min(end[i], start[i] + 40);
        for (int k = start[i]; k < stop; k++) if (src.buf[k] == '\n' || src.buf[k] == '\r') { stop = k; break; }
        String text = src.text(start[i], stop) + (stop < end[i] ? "..." : "");
        return switch (kind[i]) {
            case LITERAL -> "literal " + text;
            case SYMBOL -> "symbol " + text;
            default -> "'" + text + "'";
        };
    }
}
