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

    private static byte closerOf(byte open) {
        return switch (open) {
            case Tokens.LPAREN, Tokens.HASH_PAREN -> Tokens.RPAREN;
            case Tokens.LBRACKET, Tokens.HASH_BRACKET -> Tokens.RBRACKET;
            default -> Tokens.RBRACE;
        };
    }

    /**
     * The index of the token closing the bracket opened at {@code open}, or the index of the EOF
     * token when it is never closed. A closer that skips over unclosed inner brackets (as in
     * {@code [ ^ ( ]}) still closes its own bracket, so one missing ')' does not swallow the rest
     * of the file; a stray closer that matches nothing open is ignored.
     */
    static int match(Tokens t, int open) {
        byte[] stack = new byte[16];
        int depth = 0;
        for (int i = open; i < t.count; i++) {
            byte k = t.kind[i];
            if (opens(k)) {
                if (depth == stack.length) stack = java.util.Arrays.copyOf(stack, depth * 2);
                stack[depth++] = closerOf(k);
            } else if (closes(k)) {
                int d = depth - 1;
                while (d >= 0 && stack[d] != k) d--;
                if (d < 0) continue;
                depth = d;
                if (depth == 0) return i;
            } else if (k == Tokens.EOF) return i;
        }
        return t.count - 1;
    }
}
