package stc.parse;

import st.format.model.Literal;
import stc.ast.Node;
import stc.ast.Node.*;
import stc.ast.Pos;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The method and expression grammar every dialect shares, over a token range. Errors are reported
 * at the offending token; a statement that fails is skipped up to the next period (or the closing
 * bracket of its block) so one run reports several independent errors.
 */
final class Parser {
    /** Unwinds to the nearest recovery point; the error is already reported. */
    static final class Failed extends RuntimeException {
        Failed() { super(null, null, false, false); }
    }

    /** Far beyond real code; keeps hostile input from overflowing the Java stack. */
    static final int MAX_NESTING = 400;

    private final Source src;
    private final Tokens t;
    private final int end;
    private int p;
    private int depth;

    Parser(Source src, Tokens t, int from, int end) {
        this.src = src;
        this.t = t;
        this.p = from;
        this.end = end;
    }

    /** How a binary operator is spelled as a selector: the identity but in SOM (see {@link SomReader#SELECTORS}). */
    private java.util.function.UnaryOperator<String> binarySelector = op -> op;

    Parser binarySelectors(java.util.function.UnaryOperator<String> mapping) {
        this.binarySelector = mapping;
        return this;
    }

    int position() { return p; }

    void position(int i) { p = i; }

    // ---- token helpers -------------------------------------------------------------------------

    private byte kind() { return p < end ? t.kind[p] : Tokens.EOF; }

    private byte kindAt(int i) { return i < end ? t.kind[i] : Tokens.EOF; }

    private boolean atEnd() { return kind() == Tokens.EOF; }

    private boolean isBinary(int i, String op) { return kindAt(i) == Tokens.BINARY && t.name(i).equals(op); }

    Pos pos(int i) { return src.pos(t.start[Math.min(i, end)]); }

    private Pos here() { return pos(p); }

    String describe(int i) {
        return t.describe(src, Math.min(i, end));
    }

    Failed fail(String message) {
        src.error(t.start[Math.min(p, end)], message);
        return new Failed();
    }

    private Failed unexpected(String expected) {
        return fail("expected " + expected + ", found " + describe(p));
    }

    private Lit constantOrNull(int i) {
        String n = t.name(i);
        return switch (n) {
            case "nil" -> new Lit(pos(i), Literal.Constant.NIL);
            case "true" -> new Lit(pos(i), Literal.Constant.TRUE);
            case "false" -> new Lit(pos(i), Literal.Constant.FALSE);
            default -> null;
        };
    }

    // ---- methods -------------------------------------------------------------------------------

    /** A selector pattern: its selector and parameters. */
    record Pattern(Pos pos, String selector, List<Decl> params, int startToken) {}

    /** Parses {@code foo}, {@code + x} or {@code at: i put: v} at the current token. */
    Pattern parsePattern() {
        int s = p;
        Pos pos = here();
        switch (kind()) {
            case Tokens.IDENT -> { p++; return new Pattern(pos, t.name(s), List.of(), s); }
            case Tokens.BINARY, Tokens.BAR -> {
                String op = t.kind[p] == Tokens.BAR ? "|" : t.name(p);
                p++;
                if (kind() != Tokens.IDENT) throw unexpected("an argument name after binary selector '" + op + "'");
                Decl arg = new Decl(here(), t.name(p++));
                return new Pattern(pos, binarySelector.apply(op), List.of(arg), s);
            }
            case Tokens.KEYWORD -> {
                StringBuilder sel = new StringBuilder();
                List<Decl> params = new ArrayList<>();
                while (kind() == Tokens.KEYWORD) {
                    sel.append(t.name(p++));
                    if (kind() != Tokens.IDENT) throw unexpected("an argument name after '" + t.name(p - 1) + "'");
                    params.add(new Decl(here(), t.name(p++)));
                }
                return new Pattern(pos, sel.toString(), List.copyOf(params), s);
            }
            default -> throw unexpected("a message pattern");
        }
    }

    /**
     * A whole method over the range: pattern, then body. {@code sourceEnd} is the buffer index where
     * the method's source text ends, or -1 for the end of its last token.
     */
    Method parseMethod(int sourceEnd) {
        Pattern pat = parsePattern();
        return parseMethodBody(pat, t.start[pat.startToken()], sourceEnd);
    }

    /** Temps, pragmas and statements up to the end of the range, for an already parsed pattern. */
    Method parseMethodBody(Pattern pat, int sourceStart, int sourceEnd) {
        List<Decl> temps = new ArrayList<>();
        List<Pragma> pragmas = new ArrayList<>();
        boolean sawTemps = false;
        while (true) {
            try {
                if (isBinary(p, "<") && (kindAt(p + 1) == Tokens.KEYWORD || kindAt(p + 1) == Tokens.IDENT)) {
                    pragmas.add(parsePragma(temps));
                } else if (kind() == Tokens.BAR) {
                    if (sawTemps) src.error(t.start[p], "temporaries are already declared");
                    sawTemps = true;
                    temps.addAll(parseTemps());
                } else break;
            } catch (Failed f) {
                skipHeaderItem();
            }
        }
        List<Stmt> body = parseStatements(Tokens.EOF);
        Pos endPos = pos(p);
        int srcEnd = sourceEnd >= 0 ? sourceEnd : lastTokenEnd(sourceStart);
        return new Method(pat.pos(), pat.selector(), pat.params(), List.copyOf(temps), List.copyOf(pragmas),
                List.copyOf(body), false, src.text(sourceStart, Math.max(sourceStart, srcEnd)), endPos);
    }

    private int lastTokenEnd(int fallback) {
        int i = Math.min(p, end) - 1;
        return i >= 0 && t.end[i] > fallback ? t.end[i] : fallback;
    }

    private void skipHeaderItem() {
        // after a broken pragma or temp list, resume at the next '>' or '|' closing it, or the next statement
        while (!atEnd() && kind() != Tokens.PERIOD) {
            byte k = kind();
            p++;
            if (k == Tokens.BAR || (k == Tokens.BINARY && t.name(p - 1).endsWith(">"))) return;
        }
    }

    /** {@code | a b c |}, at the opening bar. */
    List<Decl> parseTemps() {
        p++;
        List<Decl> temps = new ArrayList<>();
        while (kind() == Tokens.IDENT) temps.add(new Decl(here(), t.name(p++)));
        if (kind() != Tokens.BAR) throw unexpected("a temporary name or '|'");
        p++;
        return temps;
    }

    /** {@code <primitive: 60>}, {@code <foo>}, at the '<'. An identifier argument of {@code error:} also declares a temp. */
    Pragma parsePragma(List<Decl> temps) {
        Pos pos = here();
        p++;
        String keyword;
        List<Literal> args = new ArrayList<>();
        if (kind() == Tokens.IDENT) {
            keyword = t.name(p++);
        } else {
            StringBuilder sel = new StringBuilder();
            while (kind() == Tokens.KEYWORD) {
                String kw = t.name(p++);
                sel.append(kw);
                if (kind() == Tokens.IDENT && constantOrNull(p) == null) {
                    if (kw.equals("error:") && temps != null) temps.add(new Decl(here(), t.name(p)));
                    args.add(new Literal.Sym(t.name(p++)));
                } else args.add(parseLiteralValue("a literal pragma argument"));
            }
            keyword = sel.toString();
        }
        if (!isBinary(p, ">")) throw unexpected("'>' to close the pragma");
        p++;
        return new Pragma(pos, keyword, List.copyOf(args));
    }

    /** Top-level temps and statements over the whole range, as a doit. */
    DoIt parseDoIt() {
        int s = p;
        Pos pos = here();
        List<Decl> temps = new ArrayList<>();
        if (kind() == Tokens.BAR) {
            try { temps.addAll(parseTemps()); } catch (Failed f) { skipHeaderItem(); }
        }
        List<Stmt> body = parseStatements(Tokens.EOF);
        int sourceStart = t.start[Math.min(s, end)];
        return new DoIt(pos, List.copyOf(temps), List.copyOf(body), src.text(sourceStart, lastTokenEnd(sourceStart)));
    }

    // ---- statements ----------------------------------------------------------------------------

    /** Statements up to {@code closer} (not consumed) or the end of the range. */
    List<Stmt> parseStatements(byte closer) {
        List<Stmt> out = new ArrayList<>();
        while (true) {
            while (kind() == Tokens.PERIOD) p++;
            if (atEnd() || kind() == closer) return out;
            try {
                out.add(parseStatement());
                if (kind() == Tokens.PERIOD) { p++; continue; }
                if (atEnd() || kind() == closer) return out;
                throw unexpected(closer == Tokens.RBRACKET ? "'.' or ']'" : "'.' or end of statement");
            } catch (Failed f) {
                recover(closer);
            }
        }
    }

    /** Skips to just after the next period, or to {@code closer}, at this nesting depth. */
    private void recover(byte closer) {
        int depth = 0;
        while (!atEnd()) {
            byte k = kind();
            switch (k) {
                case Tokens.LPAREN, Tokens.LBRACKET, Tokens.LBRACE, Tokens.HASH_PAREN, Tokens.HASH_BRACKET,
                     Tokens.HASH_BRACE -> depth++;
                case Tokens.RPAREN, Tokens.RBRACKET, Tokens.RBRACE -> {
                    if (depth == 0 && k == closer) return;
                    if (depth > 0) depth--;
                }
                case Tokens.PERIOD -> {
                    if (depth == 0) { p++; return; }
                }
                default -> { }
            }
            p++;
        }
    }

    Stmt parseStatement() {
        if (kind() == Tokens.CARET) {
            Pos pos = here();
            p++;
            return new Return(pos, parseExpression());
        }
        return parseExpression();
    }

    Expr parseExpression() {
        if (++depth > MAX_NESTING) throw fail("expression is nested too deeply");
        try {
            return parseExpressionUnchecked();
        } finally {
            depth--;
        }
    }

    private Expr parseExpressionUnchecked() {
        if (kind() == Tokens.IDENT && kindAt(p + 1) == Tokens.ASSIGN) {
            Pos pos = here();
            Var target = new Var(pos, t.name(p));
            if (constantOrNull(p) != null) throw fail("cannot assign to '" + t.name(p) + "'");
            p += 2;
            return new Assign(pos, target, parseExpression());
        }
        if (kind() == Tokens.ASSIGN) throw fail("expected a variable name before '" + t.value[p] + "'");
        Expr receiver = parsePrimary();
        return parseCascade(receiver);
    }

    private Expr parseCascade(Expr receiver) {
        int before = p;
        Expr e = parseMessages(receiver);
        if (kind() != Tokens.SEMI) return e;
        if (p == before || !(e instanceof Send first)) throw fail("a cascade needs a message before ';'");
        List<Message> messages = new ArrayList<>();
        messages.add(new Message(first.pos(), first.selector(), first.args()));
        while (kind() == Tokens.SEMI) {
            p++;
            messages.add(parseCascadeMessage());
        }
        return new Cascade(first.pos(), first.receiver(), List.copyOf(messages));
    }

    private Message parseCascadeMessage() {
        Pos pos = here();
        Message m;
        switch (kind()) {
            case Tokens.IDENT -> m = new Message(pos, t.name(p++), List.of());
            case Tokens.BINARY, Tokens.BAR -> {
                String op = kind() == Tokens.BAR ? "|" : t.name(p);
                p++;
                m = new Message(pos, binarySelector.apply(op), List.of(parseUnaries(parsePrimary())));
            }
            case Tokens.KEYWORD -> {
                StringBuilder sel = new StringBuilder();
                List<Expr> args = new ArrayList<>();
                while (kind() == Tokens.KEYWORD) {
                    sel.append(t.name(p++));
                    args.add(parseBinaries(parseUnaries(parsePrimary())));
                }
                m = new Message(pos, sel.toString(), List.copyOf(args));
            }
            default -> throw unexpected("a message after ';'");
        }
        byte k = kind();
        if (k == Tokens.IDENT || k == Tokens.BINARY || k == Tokens.BAR || k == Tokens.KEYWORD)
            throw fail("a cascade part is a single message; parenthesize to send '" + describe(p).replace("'", "") + "' to its result");
        return m;
    }

    private Expr parseMessages(Expr receiver) {
        Expr e = parseBinaries(parseUnaries(receiver));
        if (kind() != Tokens.KEYWORD) return e;
        Pos pos = here();
        StringBuilder sel = new StringBuilder();
        List<Expr> args = new ArrayList<>();
        List<Pos> kwPos = new ArrayList<>();
        while (kind() == Tokens.KEYWORD) {
            kwPos.add(here());
            sel.append(t.name(p++));
            args.add(parseBinaries(parseUnaries(parsePrimary())));
        }
        return new Send(pos, e, sel.toString(), List.copyOf(args), List.copyOf(kwPos));
    }

    private Expr parseUnaries(Expr e) {
        while (kind() == Tokens.IDENT) {
            Pos pos = here();
            e = new Send(pos, e, t.name(p++), List.of(), List.of(pos));
        }
        return e;
    }

    private Expr parseBinaries(Expr e) {
        while (kind() == Tokens.BINARY || kind() == Tokens.BAR) {
            Pos pos = here();
            String op = kind() == Tokens.BAR ? "|" : t.name(p);
            p++;
            Expr arg = parseUnaries(parsePrimary());
            e = new Send(pos, e, binarySelector.apply(op), List.of(arg), List.of(pos));
        }
        return e;
    }

    Expr parsePrimary() {
        Pos pos = here();
        switch (kind()) {
            case Tokens.IDENT -> {
                Lit c = constantOrNull(p);
                p++;
                return c != null ? c : new Var(pos, t.name(p - 1));
            }
            case Tokens.LITERAL -> { return new Lit(pos, (Literal) t.value[p++]); }
            case Tokens.SYMBOL -> { return new Lit(pos, new Literal.Sym(t.name(p++))); }
            case Tokens.HASH_PAREN -> { p++; return new Lit(pos, parseLiteralArray(Tokens.RPAREN)); }
            case Tokens.HASH_BRACKET -> { p++; return new Lit(pos, parseByteArray()); }
            case Tokens.HASH_BRACE -> { return new Lit(pos, parseBindingLiteral()); }
            case Tokens.LPAREN -> {
                p++;
                Expr e = parseExpression();
                if (kind() != Tokens.RPAREN) throw unexpected("')' to close the parenthesis at " + pos.line() + ":" + pos.col());
                p++;
                return e;
            }
            case Tokens.LBRACKET -> { return parseBlock(); }
            case Tokens.LBRACE -> { return parseBrace(); }
            case Tokens.BINARY -> {
                if (t.name(p).equals("-") && kindAt(p + 1) == Tokens.LITERAL && t.adjacent(p) && isNumber(t.value[p + 1])) {
                    p += 2;
                    return new Lit(pos, negate((Literal) t.value[p - 1]));
                }
                throw unexpected("an expression");
            }
            default -> throw unexpected("an expression");
        }
    }

    private static boolean isNumber(Object v) {
        return v instanceof Literal.Int || v instanceof Literal.Float || v instanceof Literal.ScaledDecimal;
    }

    private static Literal negate(Literal l) {
        return switch (l) {
            case Literal.Int i -> new Literal.Int(i.value().negate());
            case Literal.Float f -> new Literal.Float(-f.value());
            case Literal.ScaledDecimal s -> new Literal.ScaledDecimal(s.numerator().negate(), s.denominator(), s.scale());
            default -> l;
        };
    }

    private Block parseBlock() {
        Pos pos = here();
        p++;
        List<Decl> params = new ArrayList<>();
        while (kind() == Tokens.COLON) {
            p++;
            if (kind() != Tokens.IDENT) throw unexpected("a block parameter name after ':'");
            params.add(new Decl(here(), t.name(p++)));
        }
        if (!params.isEmpty()) {
            if (kind() == Tokens.BAR) p++;
            else if (kind() != Tokens.RBRACKET) throw unexpected("'|' after the block parameters");
        }
        List<Decl> temps = kind() == Tokens.BAR ? parseTemps() : List.of();
        List<Stmt> body = parseStatements(Tokens.RBRACKET);
        if (kind() != Tokens.RBRACKET) throw fail("missing ']' to close the block opened at " + pos.line() + ":" + pos.col());
        Pos endPos = here();
        p++;
        return new Block(pos, List.copyOf(params), List.copyOf(temps), List.copyOf(body), endPos);
    }

    private Brace parseBrace() {
        Pos pos = here();
        p++;
        List<Expr> elements = new ArrayList<>();
        while (true) {
            while (kind() == Tokens.PERIOD) p++;
            if (kind() == Tokens.RBRACE) break;
            if (atEnd()) throw fail("missing '}' to close the brace array opened at " + pos.line() + ":" + pos.col());
            if (kind() == Tokens.CARET) throw fail("'^' is not allowed inside a brace array");
            elements.add(parseExpression());
            if (kind() != Tokens.PERIOD && kind() != Tokens.RBRACE) throw unexpected("'.' or '}'");
        }
        p++;
        return new Brace(pos, List.copyOf(elements));
    }

    // ---- literals ------------------------------------------------------------------------------

    /** A literal where only a literal may stand (pragma arguments, class definitions). */
    Literal parseLiteralValue(String what) {
        switch (kind()) {
            case Tokens.LITERAL -> { return (Literal) t.value[p++]; }
            case Tokens.SYMBOL -> { return new Literal.Sym(t.name(p++)); }
            case Tokens.HASH_PAREN -> { p++; return parseLiteralArray(Tokens.RPAREN); }
            case Tokens.HASH_BRACKET -> { p++; return parseByteArray(); }
            case Tokens.HASH_BRACE -> { return parseBindingLiteral(); }
            case Tokens.IDENT -> {
                Lit c = constantOrNull(p);
                if (c != null) { p++; return c.value(); }
                throw unexpected(what);
            }
            case Tokens.BINARY -> {
                if (t.name(p).equals("-") && kindAt(p + 1) == Tokens.LITERAL && t.adjacent(p) && isNumber(t.value[p + 1])) {
                    p += 2;
                    return negate((Literal) t.value[p - 1]);
                }
                throw unexpected(what);
            }
            default -> throw unexpected(what);
        }
    }

    /** The elements of {@code #( ... )} after the opening token, through the closing ')'. */
    private Literal.Array parseLiteralArray(byte closer) {
        if (++depth > MAX_NESTING) throw fail("literal array is nested too deeply");
        try {
            return parseLiteralArrayUnchecked(closer);
        } finally {
            depth--;
        }
    }

    private Literal.Array parseLiteralArrayUnchecked(byte closer) {
        int open = p - 1;
        List<Literal> elements = new ArrayList<>();
        while (kind() != closer) {
            switch (kind()) {
                case Tokens.EOF -> {
                    Pos o = pos(open);
                    throw fail("missing ')' to close the literal array opened at " + o.line() + ":" + o.col());
                }
                case Tokens.IDENT -> {
                    Lit c = constantOrNull(p);
                    elements.add(c != null ? c.value() : new Literal.Sym(t.name(p)));
                    p++;
                }
                case Tokens.KEYWORD -> {
                    // foo:bar: written without spaces is one symbol, as in #(at:put: size)
                    StringBuilder sym = new StringBuilder(t.name(p));
                    while (t.adjacent(p) && (kindAt(p + 1) == Tokens.KEYWORD || kindAt(p + 1) == Tokens.IDENT)) {
                        p++;
                        sym.append(t.name(p));
                        if (t.kind[p] == Tokens.IDENT) break;
                    }
                    p++;
                    elements.add(new Literal.Sym(sym.toString()));
                }
                case Tokens.BINARY -> {
                    if (t.name(p).equals("-") && kindAt(p + 1) == Tokens.LITERAL && t.adjacent(p) && isNumber(t.value[p + 1])) {
                        p += 2;
                        elements.add(negate((Literal) t.value[p - 1]));
                    } else elements.add(new Literal.Sym(t.name(p++)));
                }
                case Tokens.BAR -> { p++; elements.add(new Literal.Sym("|")); }
                case Tokens.LPAREN, Tokens.HASH_PAREN -> { p++; elements.add(parseLiteralArray(Tokens.RPAREN)); }
                case Tokens.LBRACKET, Tokens.HASH_BRACKET -> { p++; elements.add(parseByteArray()); }
                case Tokens.LITERAL, Tokens.SYMBOL, Tokens.HASH_BRACE -> elements.add(parseLiteralValue("a literal"));
                default -> throw fail("unexpected " + describe(p) + " in a literal array");
            }
        }
        p++;
        return new Literal.Array(List.copyOf(elements));
    }

    /** {@code #[1 2 255]} after the opening token, through ']'. */
    private Literal.Bytes parseByteArray() {
        int open = p - 1;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        while (kind() != Tokens.RBRACKET) {
            if (atEnd()) {
                Pos o = pos(open);
                throw fail("missing ']' to close the byte array opened at " + o.line() + ":" + o.col());
            }
            if (kind() == Tokens.LITERAL && t.value[p] instanceof Literal.Int i
                    && i.value().signum() >= 0 && i.value().compareTo(BigInteger.valueOf(255)) <= 0) {
                bytes.write(i.value().intValue());
                p++;
            } else throw fail("byte array elements must be integers from 0 to 255, found " + describe(p));
        }
        p++;
        return new Literal.Bytes(bytes.toByteArray());
    }

    /** {@code #{Foo}} or {@code #{Smalltalk.Foo}}: a binding to a global, resolved at link time. */
    private Literal.Binding parseBindingLiteral() {
        p++;
        StringBuilder name = new StringBuilder();
        while (kind() == Tokens.IDENT || kind() == Tokens.PERIOD) name.append(t.value[p++]);
        if (kind() != Tokens.RBRACE || name.isEmpty()) throw unexpected("a global name and '}' in a binding literal");
        p++;
        String n = name.toString();
        return new Literal.Binding(null, n.substring(n.lastIndexOf('.') + 1));
    }
}
