package stc.parse;

import st.format.model.Literal;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A hand-written scanner over a char array. It reports lexical errors itself and always produces
 * a usable token stream, so the parser can go on and find further errors.
 */
final class Lexer {
    private final Source src;
    private final char[] b;
    private final int limit;
    private final boolean som;
    private final Tokens out = new Tokens();
    private int p;

    private Lexer(Source src, int from, int to, boolean som) {
        this.src = src;
        this.b = src.buf;
        this.p = from;
        this.limit = to;
        this.som = som;
    }

    /** Scans {@code buf[from, to)}; SOM strings take backslash escapes. */
    static Tokens scan(Source src, int from, int to, boolean som) {
        Lexer lx = new Lexer(src, from, to, som);
        lx.run();
        return lx.out;
    }

    static Tokens scan(Source src, boolean som) {
        return scan(src, 0, src.buf.length, som);
    }

    static boolean isBinaryChar(char c) {
        return switch (c) {
            case '+', '-', '*', '/', '\\', '<', '>', '=', '~', '@', '%', '&', '?', ',', '!' -> true;
            default -> false;
        };
    }

    static boolean isIdentStart(char c) {
        return c < 128 ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' : Character.isLetter(c);
    }

    static boolean isIdentPart(char c) {
        return c < 128 ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                : Character.isLetterOrDigit(c);
    }

    private char at(int i) {
        return i < limit ? b[i] : '\0';
    }

    private void run() {
        while (true) {
            skipBlanks();
            if (p >= limit) break;
            int s = p;
            char c = b[p];
            if (isIdentStart(c)) {
                if (c == '_' && !isIdentPart(at(p + 1))) { p++; out.add(Tokens.ASSIGN, s, p, "_"); continue; }
                identifier(s);
            } else if (c >= '0' && c <= '9') {
                number(s);
            } else {
                switch (c) {
                    case '\'' -> { String str = string(s); out.add(Tokens.LITERAL, s, p, new Literal.Str(str)); }
                    case '$' -> character(s);
                    case '#' -> hash(s);
                    case ':' -> {
                        if (at(p + 1) == '=') { p += 2; out.add(Tokens.ASSIGN, s, p, ":="); }
                        else { p++; out.add(Tokens.COLON, s, p, ":"); }
                    }
                    case '^' -> single(Tokens.CARET, s, "^");
                    case '(' -> single(Tokens.LPAREN, s, "(");
                    case ')' -> single(Tokens.RPAREN, s, ")");
                    case '[' -> single(Tokens.LBRACKET, s, "[");
                    case ']' -> single(Tokens.RBRACKET, s, "]");
                    case '{' -> single(Tokens.LBRACE, s, "{");
                    case '}' -> single(Tokens.RBRACE, s, "}");
                    case '.' -> single(Tokens.PERIOD, s, ".");
                    case ';' -> single(Tokens.SEMI, s, ";");
                    case '|' -> {
                        // SOM's Boolean || is a binary selector; elsewhere || is two bars (empty temps).
                        if (som && at(p + 1) == '|') { p += 2; out.add(Tokens.BINARY, s, p, "||"); }
                        else single(Tokens.BAR, s, "|");
                    }
                    default -> {
                        if (isBinaryChar(c)) {
                            int e = binaryEnd(s);
                            out.add(Tokens.BINARY, s, e, src.name(s, e));
                        } else {
                            src.error(s, "unexpected character " + describeChar(c));
                            p++;
                        }
                    }
                }
            }
        }
        out.add(Tokens.EOF, limit, limit, null);
    }

    static String describeChar(int c) {
        int type = Character.getType(c);
        if (c < 32 || c == 127 || type == Character.FORMAT || type == Character.CONTROL || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || type == Character.SURROGATE) return String.format("U+%04X", c);
        return "'" + new String(Character.toChars(c)) + "'";
    }

    private void single(byte kind, int s, String text) {
        p++;
        out.add(kind, s, p, text);
    }

    private void skipBlanks() {
        while (p < limit) {
            char c = b[p];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') p++;
            else if (c == '"') {
                int s = p++;
                while (p < limit && b[p] != '"') p++;
                if (p >= limit) { src.error(s, "unterminated comment"); return; }
                p++;
            } else if (c < 32 && c != 0) p++;
            else if (c >= 128 && (c == '\uFEFF' || Character.isSpaceChar(c))) p++; // byte order mark, no-break space
            else break;
        }
    }

    /** The end of a binary operator starting at {@code s}; a '-' before a digit starts a number. */
    private int binaryEnd(int s) {
        p = s + 1;
        while (p < limit && isBinaryChar(b[p]) && !(b[p] == '-' && isDigit(at(p + 1)))) p++;
        return p;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void identifier(int s) {
        p++;
        while (p < limit && isIdentPart(b[p])) p++;
        int last = s;
        // Smalltalk.Foo, SystemExceptions.NotYetImplemented: GNU and VisualWorks namespace paths.
        // Namespaces are flattened, so the name is the last part; a period between two capitalized
        // names with no space around it cannot end a sensible statement.
        while (!som && Character.isUpperCase(b[last]) && at(p) == '.' && Character.isUpperCase(at(p + 1))) {
            last = p + 1;
            p += 2;
            while (p < limit && isIdentPart(b[p])) p++;
        }
        if (p < limit && b[p] == ':' && at(p + 1) != '=') {
            p++;
            out.add(Tokens.KEYWORD, s, p, src.name(last, p));
        } else {
            out.add(Tokens.IDENT, s, p, src.name(last, p));
        }
    }

    /** Reads a string literal from the opening quote at {@code s}; p ends after the closing quote. */
    private String string(int s) {
        StringBuilder sb = null;
        int runStart = ++p;
        while (true) {
            if (p >= limit) {
                src.error(s, "unterminated string literal");
                return sb == null ? src.text(runStart, p) : sb.append(b, runStart, p - runStart).toString();
            }
            char c = b[p];
            if (c == '\'') {
                if (at(p + 1) == '\'') {
                    if (sb == null) sb = new StringBuilder();
                    sb.append(b, runStart, p + 1 - runStart);
                    p += 2;
                    runStart = p;
                    continue;
                }
                String result = sb == null ? src.text(runStart, p) : sb.append(b, runStart, p - runStart).toString();
                p++;
                return result;
            }
            if (c == '\\' && som && p + 1 < limit) {
                if (sb == null) sb = new StringBuilder();
                sb.append(b, runStart, p - runStart);
                char e = b[p + 1];
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case '0' -> sb.append('\0');
                    case '\\', '\'', '"' -> sb.append(e);
                    default -> { src.error(p, "unknown escape sequence '\\" + e + "'"); sb.append(e); }
                }
                p += 2;
                runStart = p;
                continue;
            }
            p++;
        }
    }

    private void character(int s) {
        if (p + 1 >= limit) {
            src.error(s, "character expected after '$'");
            p++;
            out.add(Tokens.LITERAL, s, p, new Literal.Char(' '));
            return;
        }
        if (!som && b[p + 1] == '<' && isDigit(at(p + 2))) {
            // GNU Smalltalk writes a character by its code point as $<65>
            int q = p + 2;
            while (q < limit && isDigit(b[q]) && q - p < 10) q++;
            if (at(q) == '>') {
                long code = Long.parseLong(src.text(p + 2, q));
                if (code > Character.MAX_CODE_POINT) src.error(s, "character code " + code + " is out of range");
                p = q + 1;
                out.add(Tokens.LITERAL, s, p, new Literal.Char(code > Character.MAX_CODE_POINT ? 0 : (int) code));
                return;
            }
        }
        int cp = Character.codePointAt(b, p + 1, limit);
        p += 1 + Character.charCount(cp);
        out.add(Tokens.LITERAL, s, p, new Literal.Char(cp));
    }

    private void hash(int s) {
        int q = p + 1;
        while (at(q) == '#') q++; // Squeak accepts ##foo
        char c = at(q);
        if (q == p + 1) {
            if (c == '(') { p += 2; out.add(Tokens.HASH_PAREN, s, p, "#("); return; }
            if (c == '[') { p += 2; out.add(Tokens.HASH_BRACKET, s, p, "#["); return; }
            if (c == '{') { p += 2; out.add(Tokens.HASH_BRACE, s, p, "#{"); return; }
        }
        p = q;
        if (c == '\'') {
            String str = string(p);
            out.add(Tokens.SYMBOL, s, p, str);
        } else if (isIdentStart(c)) {
            int n = p;
            p++;
            while (p < limit) {
                char d = b[p];
                if (isIdentPart(d)) p++;
                else if (d == ':' && at(p + 1) != '=') p++;
                else break;
            }
            out.add(Tokens.SYMBOL, s, p, src.name(n, p));
        } else if (isBinaryChar(c) || c == '|') {
            int n = p;
            p++;
            while (p < limit && (isBinaryChar(b[p]) || b[p] == '|')) p++;
            out.add(Tokens.SYMBOL, s, p, src.text(n, p));
        } else {
            src.error(s, "expected a symbol, '(' or '[' after '#'");
            out.add(Tokens.SYMBOL, s, p, "");
        }
    }

    // ---- numbers ------------------------------------------------------------------------------

    private static int digitValue(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
        if (c >= 'a' && c <= 'z') return c - 'a' + 10;
        return 99;
    }

    /** Digits of the given radix: decimal digits, upper-case letters, lower-case ones when they cannot be an exponent or suffix in a radix up to 10. */
    private boolean isRadixDigit(char c, int radix, boolean lenient) {
        if (c >= '0' && c <= '9') return true;
        if (c >= 'A' && c <= 'Z') return lenient || c - 'A' + 10 < radix;
        if (c >= 'a' && c <= 'z') return radix > 10 && c - 'a' + 10 < radix;
        return false;
    }

    private void number(int s) {
        int radix = 10;
        int intStart = p;
        while (p < limit && isDigit(b[p])) p++;
        int intEnd = p;
        boolean negativeMantissa = false;
        boolean bad = false;
        char c = at(p);
        if (c == 'r' && (isRadixDigit(at(p + 1), 36, true) || (at(p + 1) == '-' && isRadixDigit(at(p + 2), 36, true)))) {
            BigInteger r = new BigInteger(src.text(intStart, intEnd));
            if (r.compareTo(BigInteger.valueOf(2)) < 0 || r.compareTo(BigInteger.valueOf(36)) > 0) {
                src.error(s, "radix " + r + " is out of range (2 to 36)");
                bad = true;
                radix = 36;
            } else radix = r.intValue();
            p++;
            if (b[p] == '-') { negativeMantissa = true; p++; }
            intStart = p;
            while (p < limit && isRadixDigit(b[p], radix, true)) p++;
            intEnd = p;
            if (intEnd == intStart && !bad) {
                src.error(s, "radix " + radix + " number has no digits");
                bad = true;
            }
        }
        int fracStart = -1, fracEnd = -1;
        if (at(p) == '.' && isRadixDigit(at(p + 1), radix, false)) {
            p++;
            fracStart = p;
            while (p < limit && isRadixDigit(b[p], radix, false)) p++;
            fracEnd = p;
        }
        boolean isFloat = fracStart >= 0;
        int exponent = 0;
        boolean hasExponent = false;
        c = at(p);
        if (c == 'e' || c == 'd' || c == 'q') {
            int q = p + 1;
            boolean negExp = false;
            if ((at(q) == '-' || at(q) == '+') && isDigit(at(q + 1))) { negExp = at(q) == '-'; q++; }
            if (isDigit(at(q))) {
                int es = q;
                while (q < limit && isDigit(b[q])) q++;
                String digits = src.text(es, q);
                if (digits.length() > 9) {
                    src.error(s, "exponent is too large in number literal");
                    bad = true;
                } else exponent = Integer.parseInt(digits) * (negExp ? -1 : 1);
                hasExponent = true;
                p = q;
                if (c != 'e') isFloat = true;
            } else if (c != 'e' && !isIdentPart(at(q))) {
                p = q; // 2.0d, 1q: a float marker without an exponent
                isFloat = true;
            }
        }
        int scale = -1;
        if (at(p) == 's' && !isFloat || at(p) == 's' && fracStart >= 0 && !hasExponent) {
            int q = p + 1;
            if (isDigit(at(q))) {
                int ss = q;
                while (q < limit && isDigit(b[q])) q++;
                String digits = src.text(ss, q);
                scale = digits.length() > 6 ? 999999 : Integer.parseInt(digits);
                p = q;
            } else if (!isIdentPart(at(q))) {
                scale = fracStart >= 0 ? fracEnd - fracStart : 0;
                p = q;
            }
        }
        if (isIdentPart(at(p)) && radix != 10 && !bad) {
            // 16rFG or 2r1x: one bad token, not a number followed by a unary message
            while (p < limit && isIdentPart(b[p])) p++;
            src.error(s, "malformed number literal '" + src.text(s, p) + "'");
            bad = true;
        }
        Literal value = bad ? Literal.Int.of(0)
                : numberValue(s, radix, intStart, intEnd, fracStart, fracEnd, negativeMantissa, exponent, isFloat, hasExponent, scale);
        out.add(Tokens.LITERAL, s, p, value);
    }

    private Literal numberValue(int s, int radix, int intStart, int intEnd, int fracStart, int fracEnd, boolean negative,
                                int exponent, boolean isFloat, boolean hasExponent, int scale) {
        StringBuilder digits = new StringBuilder(intEnd - intStart + (fracStart < 0 ? 0 : fracEnd - fracStart));
        digits.append(b, intStart, intEnd - intStart);
        int fracDigits = 0;
        if (fracStart >= 0) { digits.append(b, fracStart, fracEnd - fracStart); fracDigits = fracEnd - fracStart; }
        for (int i = 0; i < digits.length(); i++) {
            char d = digits.charAt(i);
            if (digitValue(d) >= radix) {
                src.error(s, "digit '" + d + "' is not valid in radix " + radix);
                return Literal.Int.of(0);
            }
        }
        BigInteger mantissa;
        if (radix == 10 && digits.length() <= 18) mantissa = BigInteger.valueOf(Long.parseLong(digits, 0, digits.length(), 10));
        else mantissa = new BigInteger(digits.toString(), radix);
        if (negative) mantissa = mantissa.negate();
        int power = exponent - fracDigits;
        if (scale >= 0) {
            BigInteger num = mantissa, den = BigInteger.ONE;
            BigInteger r = BigInteger.valueOf(radix).pow(Math.abs(power));
            if (power >= 0) num = num.multiply(r); else den = r;
            BigInteger g = num.gcd(den);
            if (g.signum() != 0 && !g.equals(BigInteger.ONE)) { num = num.divide(g); den = den.divide(g); }
            return new Literal.ScaledDecimal(num, den, scale);
        }
        if (!isFloat && power >= 0) {
            if (hasExponent && exponent > 100_000) {
                src.error(s, "integer literal is too large");
                return Literal.Int.of(0);
            }
            return new Literal.Int(power == 0 ? mantissa : mantissa.multiply(BigInteger.valueOf(radix).pow(power)));
        }
        double d;
        if (radix == 10) {
            d = Math.abs(power) > 400 + digits.length()
                    ? (power > 0 ? Double.POSITIVE_INFINITY : 0.0) * mantissa.signum()
                    : new BigDecimal(mantissa).scaleByPowerOfTen(power).doubleValue();
        } else {
            if (Math.abs(power) > 2000) d = power > 0 ? Double.POSITIVE_INFINITY * mantissa.signum() : 0.0;
            else {
                BigInteger r = BigInteger.valueOf(radix).pow(Math.abs(power));
                d = power >= 0 ? toDouble(mantissa.multiply(r), BigInteger.ONE) : toDouble(mantissa, r);
            }
        }
        if (Double.isInfinite(d)) {
            src.error(s, "float literal is out of range");
            return new Literal.Float(0.0);
        }
        return new Literal.Float(d);
    }

    /** The double nearest to {@code num / den} (den > 0), rounding half to even. */
    static double toDouble(BigInteger num, BigInteger den) {
        if (num.signum() == 0) return 0.0;
        boolean neg = num.signum() < 0;
        num = num.abs();
        int shift = 55 - (num.bitLength() - den.bitLength());
        BigInteger n = shift > 0 ? num.shiftLeft(shift) : num;
        BigInteger dd = shift < 0 ? den.shiftLeft(-shift) : den;
        BigInteger[] qr = n.divideAndRemainder(dd);
        long q = qr[0].longValue();
        if (qr[1].signum() != 0) q |= 1; // sticky bit: keeps ties from looking exact
        double r = Math.scalb((double) q, -shift);
        return neg ? -r : r;
    }
}
