package stc.parse;

/** Token-level bracket matching: the lexer has already skipped strings, comments and characters. */
final class Brackets {
    private Brackets() {}

    static boolean opens(byte k) {
        return k == Tokens.LPAREN || k == Tokens.LBRACKET || k == Tokens.LBRACE || k == Tokens.HASH_PAREN
                || k == Tokens.HASH_BRACKET || k == Tokens.HASH_BRACE;
    }

    static boolean closes(byte k) {
        return k == Tokens.RPAREN || k == Tokens.RBRACKET || k == Tokens.RBRACE;
    }

    /**
     * The index of the token closing the bracket opened at {@code open}, or the index of the EOF
     * token when it is never closed.
     */
    static int match(Tokens t, int open) {
        int depth = 0;
        for (int i = open; i < t.count; i++) {
            byte k = t.kind[i];
            if (opens(k)) depth++;
            else if (closes(k) && --depth == 0) return i;
            else if (k == Tokens.EOF) return i;
        }
        return t.count - 1;
    }
}
