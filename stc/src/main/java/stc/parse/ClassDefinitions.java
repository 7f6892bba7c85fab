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
    private final Map<String, ClassDecl> classes = new LinkedHashMap<>();

    ClassDefinitions(Source src, List<Node> items) {
        this.src = src;
        this.items = items;
    }

    void add(ClassDecl decl) {
        ClassDecl old = classes.get(decl.name());
        if (old != null) {
            Pos o = old.pos();
            src.diags.error(src.file, decl.pos(), "class '" + decl.name() + "' is already defined at " + o.line() + ":" + o.col());
            return;
        }
        classes.put(decl.name(), decl);
        items.add(decl);
    }

    ClassDecl find(String name) {
        return classes.get(name);
    }

    void replace(ClassDecl updated) {
        // by identity: the unit's items may have shifted since the class was added
        ClassDecl old = classes.put(updated.name(), updated);
        for (int i = items.size() - 1; i >= 0; i--) {
            if (items.get(i) == old) { items.set(i, updated); return; }
        }
    }

    /**
     * Handles a doit that defines or amends a class. Returns true when the statement was one of
     * those (and so is not a doit), false when it is an ordinary statement.
     */
    boolean handle(DoIt doIt, Pos start) {
        if (doIt.body().size() != 1 || !doIt.temps().isEmpty()) return false;
        if (fluidDefinition(doIt.body().get(0), start)) return true;
        if (!(doIt.body().get(0) instanceof Send send)) return false;
        String first = send.selector().substring(0, send.selector().indexOf(':') + 1);
        if (send.selector().startsWith("defineClass:superclass:") && send.args().get(0) instanceof Lit l
                && l.value() instanceof Literal.Sym) {
            ClassDecl decl = visualWorksDefinition(send, start);
            if (decl != null) add(decl);
            return true;
        }
        if (SHAPES.containsKey(first) && send.args().get(0) instanceof Lit l && l.value() instanceof Literal.Sym
                && (send.receiver() instanceof Var || send.receiver() instanceof Lit r && r.value() == Literal.Constant.NIL)) {
            ClassDecl decl = definition(send, start);
            if (decl != null) add(decl);
            return true;
        }
        // Foo class instanceVariableNames: 'a b'   /   Foo class slots: { #a }
        String sel = send.selector();
        if ((sel.equals("instanceVariableNames:") || sel.equals("slots:") || sel.equals("uses:instanceVariableNames:")
                || sel.equals("uses:slots:"))
                && send.receiver() instanceof Send meta && meta.selector().equals("class") && meta.receiver() instanceof Var cls) {
            ClassDecl c = find(cls.name());
            Expr namesArg = send.args().get(send.args().size() - 1);
            if (send.args().size() == 2 && !(send.args().get(0) instanceof Brace b && b.elements().isEmpty())) {
                src.diags.error(src.file, send.args().get(0).pos(), "traits are not supported");
                return true;
            }
            List<Decl> names = names(namesArg, "class-side instance variable names");
            if (c == null && names != null && names.isEmpty()) return true;
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
            comment(cls.name(), text.value(), cls.pos());
            return true;
        }
        return false;
    }

    void comment(String className, String text, Pos at) {
        ClassDecl c = find(className);
        if (c == null) {
            src.diags.warning(src.file, at, "comment of '" + className + "' is ignored: the class is not defined in this file");
        } else {
            replace(new ClassDecl(c.pos(), c.name(), c.superclass(), c.shape(), c.instVars(), c.classVars(),
                    c.classInstVars(), c.category(), text, c.classVarInits()));
        }
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

    /**
     * Pharo's fluid syntax: {@code Object << #Foo slots: { #a }; tag: 'x'; package: 'P'}. Returns
     * false when the statement is not of this shape.
     */
    private boolean fluidDefinition(Stmt stmt, Pos start) {
        Send head;
        List<Message> messages = new ArrayList<>();
        if (stmt instanceof Cascade c && c.receiver() instanceof Send h && isFluidHead(h)) {
            head = h;
            messages.addAll(c.messages());
        } else if (stmt instanceof Send s && s.receiver() instanceof Send h && isFluidHead(h) && s.args().size() == 1) {
            head = h;
            messages.add(new Message(s.pos(), s.selector(), s.args()));
        } else return false;
        // Transcript << #foo is a stream write: a definition names a class and says its package
        String name = ((Literal.Sym) ((Lit) head.args().get(0)).value()).value();
        if (!Character.isUpperCase(name.charAt(0)) || messages.stream().noneMatch(m -> m.selector().equals("package:"))) return false;
        String superclass = head.receiver() instanceof Var v ? v.name() : null;
        ClassDef.Shape shape = ClassDef.Shape.FIXED;
        List<Decl> ivars = List.of(), cvars = List.of();
        String pkg = null, tag = null;
        boolean ok = true;
        for (Message m : messages) {
            Expr arg = m.args().isEmpty() ? null : m.args().get(0);
            switch (m.selector()) {
                case "slots:" -> ivars = orEmpty(names(arg, "slot names"));
                case "sharedVariables:", "classVariables:" -> cvars = orEmpty(names(arg, "class variable names"));
                case "package:" -> pkg = string(arg, "a package name");
                case "tag:" -> tag = string(arg, "a tag name");
                case "layout:" -> {
                    String layout = arg instanceof Var v ? v.name() : "";
                    switch (layout) {
                        case "FixedLayout" -> shape = ClassDef.Shape.FIXED;
                        case "EphemeronLayout" -> shape = ClassDef.Shape.EPHEMERON;
                        case "VariableLayout" -> shape = ClassDef.Shape.POINTERS;
                        case "ByteLayout" -> shape = ClassDef.Shape.BYTES;
                        case "WordLayout" -> shape = ClassDef.Shape.WORDS;
                        case "WeakLayout" -> shape = ClassDef.Shape.WEAK;
                        default -> { src.diags.error(src.file, m.pos(), "unsupported class layout '" + layout + "'"); ok = false; }
                    }
                }
                case "traits:" -> {
                    if (!(arg instanceof Brace b && b.elements().isEmpty())) {
                        src.diags.error(src.file, m.pos(), "traits are not supported");
                        ok = false;
                    }
                }
                case "sharedPools:" -> {
                    if (!(arg instanceof Brace b && b.elements().isEmpty())) {
                        src.diags.error(src.file, m.pos(), "pool dictionaries are not supported");
                        ok = false;
                    }
                }
                case "comment:" -> { }
                default -> {
                    src.diags.error(src.file, m.pos(), "unknown message '" + m.selector() + "' in the definition of class '" + name + "'");
                    ok = false;
                }
            }
        }
        if (ok) {
            String category = pkg == null ? tag : tag == null || tag.isEmpty() ? pkg : pkg + "-" + tag;
            add(new ClassDecl(start, name, superclass, shape, ivars, cvars, List.of(), category, null, List.of()));
        }
        return true;
    }

    private static boolean isFluidHead(Send s) {
        return s.selector().equals("<<") && s.args().get(0) instanceof Lit l && l.value() instanceof Literal.Sym
                && (s.receiver() instanceof Var || s.receiver() instanceof Lit r && r.value() == Literal.Constant.NIL);
    }

    /**
     * VisualWorks: {@code Smalltalk defineClass: #Foo superclass: #{Core.Object} indexedType: #none
     * private: false instanceVariableNames: 'a' classInstanceVariableNames: '' imports: ''
     * category: 'X'}.
     */
    private ClassDecl visualWorksDefinition(Send send, Pos start) {
        String[] keywords = send.selector().split(":");
        String name = ((Literal.Sym) ((Lit) send.args().get(0)).value()).value();
        String superclass = null;
        Expr sup = send.args().get(1);
        if (sup instanceof Lit l && l.value() instanceof Literal.Binding b) superclass = b.name();
        else if (sup instanceof Lit l && l.value() instanceof Literal.Sym s) superclass = s.value();
        else if (!(sup instanceof Lit l && l.value() == Literal.Constant.NIL)) {
            src.diags.error(src.file, sup.pos(), "expected the superclass as #{Name} or nil");
            return null;
        }
        ClassDef.Shape shape = ClassDef.Shape.FIXED;
        List<Decl> ivars = List.of(), civars = List.of(), cvars = List.of();
        String category = null;
        for (int i = 2; i < keywords.length; i++) {
            Expr arg = send.args().get(i);
            switch (keywords[i]) {
                case "indexedType" -> {
                    String type = arg instanceof Lit l && l.value() instanceof Literal.Sym s ? s.value() : "";
                    switch (type) {
                        case "none" -> shape = ClassDef.Shape.FIXED;
                        case "objects" -> shape = ClassDef.Shape.POINTERS;
                        case "bytes" -> shape = ClassDef.Shape.BYTES;
                        default -> {
                            src.diags.error(src.file, arg.pos(), "unsupported indexedType; expected #none, #objects or #bytes");
                            return null;
                        }
                    }
                }
                case "instanceVariableNames" -> ivars = orEmpty(names(arg, "instance variable names"));
                case "classInstanceVariableNames" -> civars = orEmpty(names(arg, "class-side instance variable names"));
                case "classVariableNames" -> cvars = orEmpty(names(arg, "class variable names"));
                case "category" -> category = string(arg, "a category string");
                case "private", "imports" -> { }
                default -> {
                    src.diags.error(src.file, send.keywordPos().get(i), "unknown keyword '" + keywords[i] + ":' in the definition of class '" + name + "'");
                    return null;
                }
            }
        }
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
