package stc.parse;

import st.format.model.ClassDef;
import st.format.model.Literal;
import stc.ast.Node;
import stc.ast.Node.*;
import stc.ast.Pos;

import java.util.ArrayList;
import java.util.List;

/**
 * GNU Smalltalk's bracket syntax: {@code Object subclass: Foo [ ... ]} class bodies with
 * instance variables, class variables with initializers, pragmas and methods; {@code extend}
 * blocks; {@code Foo >> bar [ ]} methods; {@code Eval [ ]}; and top-level statements, which
 * become doits in source order. Message-style class definitions are recognized as in the chunk
 * format. An old-style {@code !} ends a statement like a period.
 */
final class GnuReader {
    private final Source src;
    private final List<Node> items = new ArrayList<>();
    private final ClassDefinitions classes;
    private final List<Decl> topTemps = new ArrayList<>();
    private Tokens t;
    private int p;

    GnuReader(Source src) {
        this.src = src;
        this.classes = new ClassDefinitions(src, items);
    }

    private enum Definition { NONE, CLASS, EXTEND, METHOD, EVAL, NAMESPACE }

    private static final class Skip extends RuntimeException {
        Skip() { super(null, null, false, false); }
    }

    /** A class under construction: GNU spreads one class over its body, extends and class-side blocks. */
    private static final class ClassShape {
        ClassDecl decl;
        final List<Decl> instVars, classVars, classInstVars;
        final List<Assign> inits;
        ClassDef.Shape shape;
        String category, comment;

        ClassShape(ClassDecl d) {
            decl = d;
            instVars = new ArrayList<>(d.instVars());
            classVars = new ArrayList<>(d.classVars());
            classInstVars = new ArrayList<>(d.classInstVars());
            inits = new ArrayList<>(d.classVarInits());
            shape = d.shape();
            category = d.category();
            comment = d.comment();
        }

        ClassDecl build() {
            return new ClassDecl(decl.pos(), decl.name(), decl.superclass(), shape, List.copyOf(instVars),
                    List.copyOf(classVars), List.copyOf(classInstVars), category, comment, List.copyOf(inits));
        }
    }

    List<Node> read() {
        t = Lexer.scan(src, false);
        for (int i = 0; i < t.count; i++) {
            if (t.kind[i] == Tokens.BINARY && t.name(i).equals("!")) t.kind[i] = Tokens.PERIOD;
        }
        topLevel(0, t.count - 1);
        return items;
    }

    private byte kind(int i) { return t.kind[i]; }

    private boolean ident(int i, String name) { return t.kind[i] == Tokens.IDENT && t.name(i).equals(name); }

    private boolean binary(int i, String op) { return t.kind[i] == Tokens.BINARY && t.name(i).equals(op); }

    private Pos pos(int i) { return src.pos(t.start[i]); }

    private String found(int i) {
        return t.describe(src, i);
    }

    private Skip fail(int i, String message) {
        src.error(t.start[i], message);
        return new Skip();
    }

    /** The token after a selector pattern starting at {@code i}, or -1 when there is none. */
    private int patternEnd(int i) {
        switch (t.kind[i]) {
            case Tokens.IDENT -> { return i + 1; }
            case Tokens.BINARY, Tokens.BAR -> { return t.kind[i + 1] == Tokens.IDENT ? i + 2 : -1; }
            case Tokens.KEYWORD -> {
                while (t.kind[i] == Tokens.KEYWORD && t.kind[i + 1] == Tokens.IDENT) i += 2;
                return t.kind[i] == Tokens.KEYWORD ? -1 : i;
            }
            default -> { return -1; }
        }
    }

    private Definition definitionAt(int i) {
        if (t.kind[i] != Tokens.IDENT) return Definition.NONE;
        if (ident(i, "Eval") && kind(i + 1) == Tokens.LBRACKET) return Definition.EVAL;
        if (t.kind[i + 1] == Tokens.KEYWORD && (t.kind[i + 2] == Tokens.IDENT || t.kind[i + 2] == Tokens.SYMBOL)
                && t.kind[i + 3] == Tokens.LBRACKET) {
            String kw = t.name(i + 1);
            if (kw.equals("subclass:")) return Definition.CLASS;
            if (kw.equals("current:")) return Definition.NAMESPACE;
        }
        int j = ident(i + 1, "class") ? i + 2 : i + 1;
        if (ident(j, "extend") && kind(j + 1) == Tokens.LBRACKET) return Definition.EXTEND;
        if (j == i + 2 && kind(j) == Tokens.LBRACKET) return Definition.EXTEND;
        if (binary(j, ">>")) {
            int e = patternEnd(j + 1);
            if (e > 0 && kind(e) == Tokens.LBRACKET) return Definition.METHOD;
        }
        return Definition.NONE;
    }

    // ---- top level -----------------------------------------------------------------------------

    private void topLevel(int from, int to) {
        p = from;
        List<Stmt> run = new ArrayList<>();
        int[] runExtent = {-1, -1};
        while (p < to) {
            if (kind(p) == Tokens.PERIOD) { p++; continue; }
            if (kind(p) == Tokens.BAR) {
                Parser temps = new Parser(src, t, p, to);
                try {
                    topTemps.addAll(temps.parseTemps());
                    p = temps.position();
                } catch (Parser.Failed f) {
                    skipStatement(to);
                }
                continue;
            }
            Definition d = definitionAt(p);
            if (d != Definition.NONE) {
                flush(run, runExtent);
                try {
                    switch (d) {
                        case CLASS -> classDefinition();
                        case EXTEND -> extend();
                        case METHOD -> items.add(methodWithClass());
                        case EVAL -> eval();
                        case NAMESPACE -> namespace();
                        default -> throw new IllegalStateException();
                    }
                } catch (Skip s) {
                    skipMember(to);
                }
                continue;
            }
            statement(to, run, runExtent);
        }
        flush(run, runExtent);
    }

    private void statement(int to, List<Stmt> run, int[] extent) {
        int start = p;
        Parser parser = new Parser(src, t, p, to);
        try {
            Stmt s = parser.parseStatement();
            p = parser.position();
            if (p < to && kind(p) != Tokens.PERIOD && definitionAt(p) == Definition.NONE)
                throw parser.fail("expected '.' or end of statement, found " + parser.describe(p));
            int end = t.end[p - 1];
            if (s instanceof Send && classes.handle(new DoIt(s.pos(), List.of(), List.of(s), ""), pos(start))) {
                flush(run, extent);
            } else {
                if (run.isEmpty()) extent[0] = t.start[start];
                extent[1] = end;
                run.add(s);
            }
        } catch (Parser.Failed f) {
            p = parser.position();
            skipStatement(to);
        }
    }

    private void flush(List<Stmt> run, int[] extent) {
        if (run.isEmpty()) return;
        items.add(new DoIt(run.get(0).pos(), List.copyOf(topTemps), List.copyOf(run), src.text(extent[0], extent[1])));
        run.clear();
    }

    private void skipStatement(int to) {
        int depth = 0;
        while (p < to) {
            byte k = kind(p);
            if (Brackets.opens(k)) depth++;
            else if (Brackets.closes(k) && depth > 0) depth--;
            else if (k == Tokens.PERIOD && depth == 0) { p++; return; }
            p++;
        }
    }

    /** After a broken definition: on past the next bracketed body or period. */
    private void skipMember(int to) {
        while (p < to) {
            if (kind(p) == Tokens.LBRACKET) { p = Math.min(Brackets.match(t, p) + 1, to); return; }
            if (kind(p) == Tokens.PERIOD) { p++; return; }
            p++;
        }
    }

    private int body(int open) {
        int close = Brackets.match(t, open);
        if (kind(close) != Tokens.RBRACKET) {
            Pos o = pos(open);
            throw fail(close, "missing ']' to close the body opened at " + o.line() + ":" + o.col());
        }
        return close;
    }

    private void eval() {
        int open = p + 1;
        int close = body(open);
        DoIt d = new Parser(src, t, open + 1, close).parseDoIt();
        if (!d.body().isEmpty()) items.add(d);
        p = close + 1;
    }

    private void namespace() {
        // Namespace current: Foo [ ... ]: namespaces are flattened; the contents count as top level
        int open = p + 3;
        int close = body(open);
        int resume = close + 1;
        topLevel(open + 1, close);
        p = resume;
    }

    // ---- classes -------------------------------------------------------------------------------

    private void classDefinition() {
        int start = p;
        String superclass = ident(p, "nil") ? null : t.name(p);
        String name = t.name(p + 2);
        int open = p + 3;
        int close = body(open);
        ClassDecl existing = classes.find(name);
        ClassShape shape;
        if (existing != null) {
            // GNU reopens a class when it is defined again with the same superclass
            if (!java.util.Objects.equals(existing.superclass(), superclass)) {
                Pos o = existing.pos();
                src.error(t.start[start], "class '" + name + "' is already defined at " + o.line() + ":" + o.col()
                        + " with superclass " + existing.superclass());
                p = close + 1;
                return;
            }
            shape = new ClassShape(existing);
        } else {
            ClassDecl decl = new ClassDecl(pos(start), name, superclass, ClassDef.Shape.FIXED, List.of(), List.of(),
                    List.of(), null, null, List.of());
            classes.add(decl);
            shape = new ClassShape(decl);
        }
        classBody(shape, name, false, open + 1, close);
        finish(shape);
        p = close + 1;
    }

    private void finish(ClassShape shape) {
        ClassDecl built = shape.build();
        classes.replace(built);
        shape.decl = built;
    }

    private void extend() {
        String name = t.name(p);
        boolean meta = ident(p + 1, "class");
        int open = meta ? p + 2 : p + 1;
        if (ident(open, "extend")) open++;
        int close = body(open);
        ClassDecl existing = classes.find(name);
        ClassShape shape = existing == null ? null : new ClassShape(existing);
        classBody(shape, name, meta, open + 1, close);
        if (shape != null) finish(shape);
        p = close + 1;
    }

    /**
     * The members of a class body in {@code (from, to)}. {@code shape} is null when the class is
     * defined elsewhere, so only methods may be added.
     */
    private void classBody(ClassShape shape, String className, boolean meta, int from, int to) {
        p = from;
        while (p < to) {
            try {
                member(shape, className, meta, to);
            } catch (Skip s) {
                skipMember(to);
            } catch (Parser.Failed f) {
                skipMember(to);
            }
        }
    }

    private void member(ClassShape shape, String className, boolean meta, int to) {
        int i = p;
        if (kind(i) == Tokens.PERIOD) { p++; return; }
        if (kind(i) == Tokens.BAR && !(kind(i + 1) == Tokens.IDENT && kind(i + 2) == Tokens.LBRACKET)) {
            Parser parser = new Parser(src, t, i, to);
            List<Decl> names = parser.parseTemps();
            p = parser.position();
            if (shape == null) throw fail(i, "cannot add variables to '" + className + "', which is not defined in this file");
            (meta ? shape.classInstVars : shape.instVars).addAll(names);
            return;
        }
        if (binary(i, "<") && kind(i + 1) == Tokens.KEYWORD) {
            Parser parser = new Parser(src, t, i, to);
            Pragma pragma = parser.parsePragma(null);
            p = parser.position();
            classPragma(shape, className, pragma);
            return;
        }
        if (kind(i) == Tokens.IDENT && kind(i + 1) == Tokens.ASSIGN) {
            Parser parser = new Parser(src, t, i, to);
            Assign init = (Assign) parser.parseExpression();
            p = parser.position();
            if (p < to && kind(p) != Tokens.PERIOD) throw parser.fail("expected '.' after the class variable initializer, found " + parser.describe(p));
            if (shape == null) throw fail(i, "cannot add class variables to '" + className + "', which is not defined in this file");
            shape.classVars.add(new Decl(init.pos(), init.target().name()));
            shape.inits.add(init);
            return;
        }
        if (kind(i) == Tokens.IDENT && ident(i + 1, "class") && kind(i + 2) == Tokens.LBRACKET) {
            checkOwnClass(i, className);
            int close = body(i + 2);
            int resume = close + 1;
            classBody(shape, className, true, i + 3, close);
            p = resume;
            return;
        }
        if (kind(i) == Tokens.IDENT && (binary(i + 1, ">>") || ident(i + 1, "class") && binary(i + 2, ">>"))) {
            checkOwnClass(i, className);
            items.add(methodWithClass());
            return;
        }
        items.add(method(className, meta, to));
    }

    private void checkOwnClass(int i, String className) {
        if (!t.name(i).equals(className))
            throw fail(i, "method of '" + t.name(i) + "' inside the body of '" + className + "'");
    }

    private void classPragma(ClassShape shape, String className, Pragma pragma) {
        if (pragma.keyword().equals("category:") || pragma.keyword().equals("comment:") || pragma.keyword().equals("shape:")) {
            if (shape == null) {
                src.warning(t.start[p - 1], "<" + pragma.keyword() + "> ignored: '" + className + "' is not defined in this file");
                return;
            }
        }
        Literal arg = pragma.args().isEmpty() ? null : pragma.args().get(0);
        switch (pragma.keyword()) {
            case "category:" -> { if (arg instanceof Literal.Str s) shape.category = s.value(); }
            case "comment:" -> {
                if (arg instanceof Literal.Str s) shape.comment = s.value();
                else if (arg == Literal.Constant.NIL) shape.comment = null;
            }
            case "shape:" -> {
                String kind = arg instanceof Literal.Sym s ? s.value() : arg == Literal.Constant.NIL ? "nil" : "?";
                ClassDef.Shape sh = switch (kind) {
                    case "pointer", "inherit" -> ClassDef.Shape.POINTERS;
                    case "byte", "int8", "uint8", "character" -> ClassDef.Shape.BYTES;
                    case "word", "int", "uint", "int32", "uint32", "utf32" -> ClassDef.Shape.WORDS;
                    case "nil" -> ClassDef.Shape.FIXED;
                    default -> null;
                };
                if (sh == null) src.diags.error(src.file, pragma.pos(), "unsupported class shape " + AstPrinter.literal(arg));
                else shape.shape = sh;
            }
            case "import:" -> src.diags.warning(src.file, pragma.pos(), "<import:> is ignored: namespaces are flattened");
            default -> { } // other class pragmas are metadata this toolchain does not keep
        }
    }

    // ---- methods -------------------------------------------------------------------------------

    /** {@code Foo >> bar [ ]} or {@code Foo class >> bar [ ]} at the current token. */
    private MethodDef methodWithClass() {
        int start = p;
        String className = t.name(p);
        boolean meta = ident(p + 1, "class");
        p += meta ? 3 : 2;
        MethodDef m = method(className, meta, t.count - 1);
        return new MethodDef(pos(start), m.className(), m.meta(), m.category(), m.method());
    }

    private MethodDef method(String className, boolean meta, int to) {
        Parser parser = new Parser(src, t, p, to);
        Parser.Pattern pattern = parser.parsePattern();
        p = parser.position();
        if (kind(p) != Tokens.LBRACKET) throw fail(p, "expected '[' to open the method body, found " + found(p));
        int close = body(p);
        Method m = new Parser(src, t, p + 1, close).parseMethodBody(pattern, t.start[pattern.startToken()], t.end[close]);
        p = close + 1;
        String category = null;
        for (Pragma pr : m.pragmas())
            if (pr.keyword().equals("category:") && pr.args().get(0) instanceof Literal.Str s) category = s.value();
        return new MethodDef(pattern.pos(), className, meta, category, m);
    }
}
