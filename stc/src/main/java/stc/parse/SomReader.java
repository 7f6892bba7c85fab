package stc.parse;

import st.format.model.ClassDef;
import stc.ast.Node;
import stc.ast.Node.*;
import stc.ast.Pos;

import java.util.ArrayList;
import java.util.List;

/**
 * SOM, the language of the Are-We-Fast-Yet benchmarks and the SOM test suite: one class per file,
 * {@code Name = Super ( | fields | methods ---- | class fields | class methods )}, with
 * {@code pattern = ( body )} or {@code pattern = primitive} methods.
 */
final class SomReader {
    /**
     * SOM binary selectors whose meaning differs from the kernel's selector of the same spelling,
     * compiled under a name of their own (sends and method definitions alike) so that SOM code and
     * kernel code each get their own semantics (docs/DECISIONS.md, "SOM selectors"):
     * SOM's {@code /} divides integers truncating (the kernel's makes a Fraction) and its {@code //}
     * divides as Doubles (the kernel's is floored integer division). kernel/SOM implements both.
     * SOM's {@code &&} and {@code ||} are {@code and:} and {@code or:} taking a block or a Boolean
     * (the argument gets {@code value}, which a Boolean answers with itself).
     */
    static final java.util.Map<String, String> SELECTORS = java.util.Map.of("/", "somDivide:", "//", "somFloatDivide:",
            "&&", "and:", "||", "or:");

    private static String somSelector(String op) { return SELECTORS.getOrDefault(op, op); }

    private final Source src;
    private Tokens t;
    private int p;

    SomReader(Source src) { this.src = src; }

    private String name(int i) { return t.name(i); }

    private boolean isSeparator(int i) {
        return t.kind[i] == Tokens.BINARY && name(i).length() >= 4 && name(i).chars().allMatch(c -> c == '-');
    }

    private boolean isBinary(int i, String op) {
        return t.kind[i] == Tokens.BINARY && name(i).equals(op);
    }

    private void error(int i, String message) { src.error(t.start[i], message); }

    private String found(int i) {
        return t.describe(src, i);
    }

    List<Node> read() {
        t = Lexer.scan(src, true);
        List<Node> items = new ArrayList<>();
        p = 0;
        if (t.kind[p] != Tokens.IDENT) {
            error(p, "expected a class definition 'Name = Superclass ( ... )', found " + found(p));
            return items;
        }
        Pos pos = src.pos(t.start[p]);
        String className = name(p++);
        if (!isBinary(p, "=")) { error(p, "expected '=' after the class name, found " + found(p)); return items; }
        p++;
        String superclass = "Object";
        if (t.kind[p] == Tokens.IDENT) {
            superclass = name(p).equals("nil") ? null : name(p);
            p++;
        }
        if (t.kind[p] != Tokens.LPAREN) { error(p, "expected '(' to open the class body, found " + found(p)); return items; }
        int open = p++;
        int close = Brackets.match(t, open);
        List<Decl> fields = fields();
        List<Decl> classFields = List.of();
        List<Node> methods = new ArrayList<>();
        boolean meta = false;
        while (p < close) {
            if (isSeparator(p)) {
                if (meta) error(p, "the class side separator appears twice");
                meta = true;
                p++;
                classFields = fields();
                continue;
            }
            MethodDef m = method(className, meta, close);
            if (m != null) methods.add(m);
        }
        if (t.kind[close] != Tokens.RPAREN) {
            error(close, "missing ')' to close class " + className + " opened at " + pos.line() + ":" + src.pos(t.start[open]).col());
        } else if (t.kind[close + 1] != Tokens.EOF) {
            error(close + 1, "unexpected " + found(close + 1) + " after the end of class " + className);
        }
        items.add(new ClassDecl(pos, className, superclass, ClassDef.Shape.FIXED, fields, List.of(), classFields,
                null, null, List.of()));
        items.addAll(methods);
        for (boolean side : new boolean[] {false, true}) {
            MethodDef dnu = bridgeDoesNotUnderstand(methods, className, side);
            if (dnu != null) items.add(dnu);
        }
        return items;
    }

    /**
     * SOM classes handle unknown messages with {@code doesNotUnderstand: selector arguments: args};
     * the runtime sends {@code doesNotUnderstand: aMessage}. A class (or metaclass) defining the
     * first and not the second gets the second, forwarding to the first.
     */
    private static MethodDef bridgeDoesNotUnderstand(List<Node> methods, String className, boolean meta) {
        MethodDef handler = null;
        for (Node n : methods) {
            if (!(n instanceof MethodDef m) || m.meta() != meta) continue;
            if (m.method().selector().equals("doesNotUnderstand:")) return null;
            if (m.method().selector().equals("doesNotUnderstand:arguments:")) handler = m;
        }
        if (handler == null) return null;
        Pos pos = handler.pos();
        String arg = "@message";
        Var message = new Var(pos, arg);
        Expr selector = new Send(pos, message, "selector", List.of(), List.of());
        Expr arguments = new Send(pos, new Send(pos, message, "arguments", List.of(), List.of()), "asArray", List.of(), List.of());
        Expr forward = new Send(pos, new Var(pos, "self"), "doesNotUnderstand:arguments:", List.of(selector, arguments),
                List.of(pos, pos));
        Method m = new Method(pos, "doesNotUnderstand:", List.of(new Decl(pos, arg)), List.of(), List.of(),
                List.of(new Return(pos, forward)), false, handler.method().source(), handler.method().end());
        return new MethodDef(pos, className, meta, null, m);
    }

    /** {@code | a b c |}, if present. */
    private List<Decl> fields() {
        if (t.kind[p] != Tokens.BAR) return List.of();
        if (t.kind[p + 1] == Tokens.IDENT && isBinary(p + 2, "=")) return List.of(); // the binary method |
        p++;
        List<Decl> out = new ArrayList<>();
        while (t.kind[p] == Tokens.IDENT) { out.add(new Decl(src.pos(t.start[p]), name(p))); p++; }
        if (t.kind[p] != Tokens.BAR) error(p, "expected a field name or '|', found " + found(p));
        else p++;
        return out;
    }

    private MethodDef method(String className, boolean meta, int classEnd) {
        Parser parser = new Parser(src, t, p, classEnd).binarySelectors(SomReader::somSelector);
        try {
            Parser.Pattern pat = parser.parsePattern();
            p = parser.position();
            if (!isBinary(p, "=")) throw parser.fail("expected '=' after the method pattern, found " + found(p));
            p++;
            int start = t.start[pat.startToken()];
            if (t.kind[p] == Tokens.IDENT && name(p).equals("primitive")) {
                Method m = new Method(pat.pos(), pat.selector(), pat.params(), List.of(), List.of(), List.of(), true,
                        src.text(start, t.end[p]), src.pos(t.start[p]));
                p++;
                return new MethodDef(pat.pos(), className, meta, null, m);
            }
            if (t.kind[p] != Tokens.LPAREN) {
                parser.position(p);
                throw parser.fail("expected '(' or 'primitive' after '=', found " + found(p));
            }
            int close = Brackets.match(t, p);
            if (close > classEnd || t.kind[close] != Tokens.RPAREN) {
                Pos o = src.pos(t.start[p]);
                error(Math.min(close, classEnd), "missing ')' to close the method body opened at " + o.line() + ":" + o.col());
                p = classEnd;
                return null;
            }
            Parser body = new Parser(src, t, p + 1, close).binarySelectors(SomReader::somSelector);
            Method m = SomArguments.rewrite(body.parseMethodBody(pat, start, t.end[close]));
            if (body.position() < close) body.fail("unexpected " + found(body.position()) + " in the method body");
            p = close + 1;
            return new MethodDef(pat.pos(), className, meta, null, m);
        } catch (Parser.Failed f) {
            skipToNextMethod(classEnd);
            return null;
        }
    }

    /** After a broken method header: on past the next {@code = ( ... )} body or primitive. */
    private void skipToNextMethod(int classEnd) {
        while (p < classEnd) {
            if (isSeparator(p)) return;
            if (isBinary(p, "=") && t.kind[p + 1] == Tokens.LPAREN) { p = Math.min(Brackets.match(t, p + 1) + 1, classEnd); return; }
            if (isBinary(p, "=") && t.kind[p + 1] == Tokens.IDENT && name(p + 1).equals("primitive")) { p += 2; return; }
            p++;
        }
    }
}
