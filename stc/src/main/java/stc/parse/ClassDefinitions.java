package stc.parse;

import st.format.model.ClassDef;
import st.format.model.Literal;
import stc.ast.Node;
import stc.ast.Node.*;
import stc.ast.Pos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recognizes the message-style class definitions of the chunk world and GNU
 * ({@code Object subclass: #Foo instanceVariableNames: 'a' ... category: 'X'}) and the messages
 * that amend a class ({@code Foo class instanceVariableNames: 'x'}, {@code Foo comment: '...'}),
 * and keeps the unit's class declarations up to date as they arrive.
 */
final class ClassDefinitions {
    private static final Map<String, ClassDef.Shape> SHAPES = Map.of(
            "subclass:", ClassDef.Shape.FIXED,
            "variableSubclass:", ClassDef.Shape.POINTERS,
            "variableByteSubclass:", ClassDef.Shape.BYTES,
            "variableWordSubclass:", ClassDef.Shape.WORDS,
            "weakSubclass:", ClassDef.Shape.WEAK,
            "ephemeronSubclass:", ClassDef.Shape.FIXED);

    private final Source src;
    private final List<Node> items;
    private final Map<String, Integer> classIndex = new LinkedHashMap<>();

    ClassDefinitions(Source src, List<Node> items) {
        this.src = src;
        this.items = items;
    }

    void add(ClassDecl decl) {
        Integer old = classIndex.get(decl.name());
        if (old != null) {
            Pos o = ((ClassDecl) items.get(old)).pos();
            src.diags.error(src.file, decl.pos(), "class '" + decl.name() + "' is already defined at " + o.line() + ":" + o.col());
            return;
        }
        classIndex.put(decl.name(), items.size());
        items.add(decl);
    }

    ClassDecl find(String name) {
        Integer i = classIndex.get(name);
        return i == null ? null : (ClassDecl) items.get(i);
    }

    void replace(ClassDecl updated) {
        items.set(classIndex.get(updated.name()), updated);
    }

    /**
     * Handles a doit that defines or amends a class. Returns true when the statement was one of
     * those (and so is not a doit), false when it is an ordinary statement.
     */
    boolean handle(DoIt doIt, Pos start) {
        if (doIt.body().size() != 1 || !doIt.temps().isEmpty() || !(doIt.body().get(0) instanceof Send send)) return false;
        String first = send.selector().substring(0, send.selector().indexOf(':') + 1);
        if (SHAPES.containsKey(first) && send.args().get(0) instanceof Lit l && l.value() instanceof Literal.Sym
                && (send.receiver() instanceof Var || send.receiver() instanceof Lit r && r.value() == Literal.Constant.NIL)) {
            ClassDecl decl = definition(send, start);
            if (decl != null) add(decl);
            return true;
        }
        // Foo class instanceVariableNames: 'a b'   /   Foo class slots: { #a }
        if ((send.selector().equals("instanceVariableNames:") || send.selector().equals("slots:"))
                && send.receiver() instanceof Send meta && meta.selector().equals("class") && meta.receiver() instanceof Var cls) {
            ClassDecl c = find(cls.name());
            List<Decl> names = names(send.args().get(0), "class-side instance variable names");
            if (c == null) {
                src.diags.warning(src.file, cls.pos(), "class-side instance variables of '" + cls.name()
                        + "' are ignored: the class is not defined in this file");
            } else if (names != null) {
                replace(new ClassDecl(c.pos(), c.name(), c.superclass(), c.shape(), c.instVars(), c.classVars(),
                        names, c.category(), c.comment(), c.classVarInits()));
            }
            return true;
        }
        if (send.selector().equals("comment:") && send.receiver() instanceof Var cls && send.args().get(0) instanceof Lit l
                && l.value() instanceof Literal.Str text) {
            ClassDecl c = find(cls.name());
            if (c == null) {
                src.diags.warning(src.file, cls.pos(), "comment of '" + cls.name() + "' is ignored: the class is not defined in this file");
            } else {
                replace(new ClassDecl(c.pos(), c.name(), c.superclass(), c.shape(), c.instVars(), c.classVars(),
                        c.classInstVars(), c.category(), text.value(), c.classVarInits()));
            }
            return true;
        }
        return false;
    }

    private ClassDecl definition(Send send, Pos start) {
        String[] keywords = send.selector().split(":");
        ClassDef.Shape shape = SHAPES.get(keywords[0] + ":");
        String name = ((Literal.Sym) ((Lit) send.args().get(0)).value()).value();
        String superclass = send.receiver() instanceof Var v ? v.name() : null;
        List<Decl> ivars = List.of(), cvars = List.of(), civars = List.of();
        String category = null, tag = null;
        boolean ok = true;
        for (int i = 1; i < keywords.length; i++) {
            Expr arg = send.args().get(i);
            Pos kwPos = send.keywordPos().size() > i ? send.keywordPos().get(i) : send.pos();
            switch (keywords[i]) {
                case "instanceVariableNames", "slots" -> ivars = orEmpty(names(arg, "instance variable names"));
                case "classVariableNames", "classVariables" -> cvars = orEmpty(names(arg, "class variable names"));
                case "classInstanceVariableNames" -> civars = orEmpty(names(arg, "class-side instance variable names"));
                case "poolDictionaries", "sharedPools" -> {
                    List<Decl> pools = names(arg, "pool names");
                    if (pools != null && !pools.isEmpty()) {
                        src.diags.error(src.file, pools.get(0).pos(), "pool dictionaries are not supported");
                        ok = false;
                    }
                }
                case "category", "package" -> category = string(arg, "a category string");
                case "tag" -> tag = string(arg, "a tag string");
                case "uses" -> {
                    if (!(arg instanceof Brace b && b.elements().isEmpty())) {
                        src.diags.error(src.file, kwPos, "traits are not supported");
                        ok = false;
                    }
                }
                default -> {
                    src.diags.error(src.file, kwPos, "unknown keyword '" + keywords[i] + ":' in the definition of class '" + name + "'");
                    ok = false;
                }
            }
        }
        if (!ok) return null;
        if (tag != null && !tag.isEmpty()) category = category == null ? tag : category + "-" + tag;
        return new ClassDecl(start, name, superclass, shape, ivars, cvars, civars, category, null, List.of());
    }

    private static List<Decl> orEmpty(List<Decl> l) {
        return l == null ? List.of() : l;
    }

    private String string(Expr e, String what) {
        if (e instanceof Lit l && (l.value() instanceof Literal.Str s)) return s.value();
        if (e instanceof Lit l && (l.value() instanceof Literal.Sym s)) return s.value();
        src.diags.error(src.file, e.pos(), "expected " + what);
        return null;
    }

    /** Names from {@code 'a b c'}, {@code #(a b)} or {@code {#a. #b}}, each with its own position where known. */
    private List<Decl> names(Expr e, String what) {
        if (e instanceof Lit l && l.value() instanceof Literal.Str s) return splitNames(s.value(), l.pos());
        if (e instanceof Lit l && l.value() instanceof Literal.Array a) {
            List<Decl> out = new ArrayList<>();
            for (Literal x : a.elements()) {
                if (x instanceof Literal.Sym sym) out.add(new Decl(l.pos(), sym.value()));
                else { src.diags.error(src.file, l.pos(), "expected " + what); return null; }
            }
            return out;
        }
        if (e instanceof Brace b) {
            List<Decl> out = new ArrayList<>();
            for (Expr x : b.elements()) {
                if (x instanceof Lit l && l.value() instanceof Literal.Sym sym) out.add(new Decl(l.pos(), sym.value()));
                else {
                    src.diags.error(src.file, x.pos(), "only plain slot names are supported in " + what);
                    return null;
                }
            }
            return out;
        }
        src.diags.error(src.file, e.pos(), "expected a string of " + what);
        return null;
    }

    /** Splits a names string; each name's position is computed inside the string literal at {@code at}. */
    List<Decl> splitNames(String text, Pos at) {
        List<Decl> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) i++;
            int s = i;
            while (i < n && !Character.isWhitespace(text.charAt(i))) i++;
            if (i > s) {
                Pos pos = at.offset() < 0 ? at : src.posOfFileOffset(at.offset() + 1 + s);
                String name = text.substring(s, i);
                if (!Lexer.isIdentStart(name.charAt(0)) || !name.chars().allMatch(c -> Lexer.isIdentPart((char) c)))
                    src.diags.error(src.file, pos, "'" + name + "' is not a valid variable name");
                else out.add(new Decl(pos, name));
            }
        }
        return out;
    }
}
