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
 * Tonel, the file-per-class format of Pharo and Iceberg: an optional class comment, a
 * {@code Class { ... }} or {@code Extension { ... }} header in STON, then methods written as
 * {@code { #category : 'x' } Foo >> bar [ body ]}. The STON header uses tokens the Smalltalk
 * scanner already knows, so one token stream serves the whole file.
 */
final class TonelReader {
    private final Source src;
    private Tokens t;
    private int p;

    TonelReader(Source src) { this.src = src; }

    /** A STON value and the token where it starts. */
    private record Ston(Object value, int token) {}

    private Failed fail(int i, String message) {
        src.error(t.start[i], message);
        return new Failed();
    }

    private static final class Failed extends RuntimeException {
        Failed() { super(null, null, false, false); }
    }

    private String found(int i) {
        return t.describe(src, i);
    }

    List<Node> read() {
        List<Node> items = new ArrayList<>();
        String comment = leadingComment();
        t = Lexer.scan(src, false);
        p = 0;
        if (t.kind[0] == Tokens.EOF) return items;
        if (t.kind[0] != Tokens.IDENT || t.kind[1] != Tokens.LBRACE) {
            src.error(t.start[0], "expected a Tonel definition such as 'Class {' or 'Extension {', found " + found(0));
            return items;
        }
        String kind = t.name(0);
        int headerPos = 0;
        p = 1;
        Map<String, Ston> header;
        try {
            header = map();
        } catch (Failed f) {
            return items;
        }
        String className;
        switch (kind) {
            case "Class" -> {
                ClassDecl decl = classDecl(header, headerPos, comment);
                if (decl == null) return items;
                items.add(decl);
                className = decl.name();
            }
            case "Extension" -> {
                className = symbolOrString(header, "name", headerPos);
                if (className == null) return items;
            }
            case "Trait" -> {
                src.error(t.start[0], "traits are not supported");
                return items;
            }
            case "Package" -> { return items; }
            default -> {
                src.error(t.start[0], "unknown Tonel definition '" + kind + "'; expected Class, Extension or Package");
                return items;
            }
        }
        while (t.kind[p] != Tokens.EOF) {
            try {
                MethodDef m = method(className);
                if (m != null) items.add(m);
            } catch (Failed f) {
                skipMethod();
            }
        }
        return items;
    }

    /** The comment before the definition, with Tonel's doubled quotes undone; null when absent. */
    private String leadingComment() {
        char[] b = src.buf;
        int i = 0;
        while (i < b.length && Character.isWhitespace(b[i])) i++;
        if (i >= b.length || b[i] != '"') return null;
        StringBuilder sb = new StringBuilder();
        for (i++; i < b.length; i++) {
            if (b[i] == '"') {
                if (i + 1 < b.length && b[i + 1] == '"') { sb.append('"'); i++; }
                else return sb.toString();
            } else sb.append(b[i]);
        }
        return null; // the scanner reports the unterminated comment
    }

    // ---- STON ----------------------------------------------------------------------------------

    private Map<String, Ston> map() {
        int open = p;
        p++;
        Map<String, Ston> out = new LinkedHashMap<>();
        if (t.kind[p] == Tokens.RBRACE) { p++; return out; }
        while (true) {
            String key;
            if (t.kind[p] == Tokens.SYMBOL) key = t.name(p);
            else if (t.kind[p] == Tokens.LITERAL && t.value[p] instanceof Literal.Str s) key = s.value();
            else throw fail(p, "expected a key such as #name, found " + found(p));
            p++;
            if (t.kind[p] != Tokens.COLON) throw fail(p, "expected ':' after the key #" + key + ", found " + found(p));
            p++;
            out.put(key, value());
            if (t.kind[p] == Tokens.BINARY && t.name(p).equals(",")) { p++; continue; }
            if (t.kind[p] == Tokens.RBRACE) { p++; return out; }
            Pos o = src.pos(t.start[open]);
            throw fail(p, "expected ',' or '}' in the map opened at " + o.line() + ":" + o.col() + ", found " + found(p));
        }
    }

    private Ston value() {
        int s = p;
        switch (t.kind[p]) {
            case Tokens.SYMBOL -> { p++; return new Ston(t.name(s), s); }
            case Tokens.LITERAL -> {
                p++;
                return new Ston(t.value[s] instanceof Literal.Str str ? str.value() : t.value[s], s);
            }
            case Tokens.IDENT -> {
                p++;
                return switch (t.name(s)) {
                    case "nil" -> new Ston(null, s);
                    case "true" -> new Ston(Boolean.TRUE, s);
                    case "false" -> new Ston(Boolean.FALSE, s);
                    default -> new Ston(t.name(s), s);
                };
            }
            case Tokens.LBRACKET -> {
                p++;
                List<Ston> list = new ArrayList<>();
                if (t.kind[p] == Tokens.RBRACKET) { p++; return new Ston(list, s); }
                while (true) {
                    list.add(value());
                    if (t.kind[p] == Tokens.BINARY && t.name(p).equals(",")) { p++; continue; }
                    if (t.kind[p] == Tokens.RBRACKET) { p++; return new Ston(list, s); }
                    throw fail(p, "expected ',' or ']' in a list, found " + found(p));
                }
            }
            case Tokens.LBRACE -> { return new Ston(map(), s); }
            default -> throw fail(p, "expected a value, found " + found(p));
        }
    }

    private String symbolOrString(Map<String, Ston> header, String key, int at) {
        Ston v = header.get(key);
        if (v == null) { fail(at, "the definition has no #" + key); return null; }
        if (v.value() instanceof String s) return s;
        fail(v.token(), "#" + key + " must be a symbol or a string");
        return null;
    }

    private List<Decl> names(Map<String, Ston> header, String key) {
        Ston v = header.get(key);
        if (v == null || v.value() == null) return List.of();
        List<Ston> elements;
        if (v.value() instanceof List<?> l) {
            @SuppressWarnings("unchecked") List<Ston> ls = (List<Ston>) l;
            elements = ls;
        } else if (v.value() instanceof String s) {
            // some writers give a space-separated string, as in the chunk format
            List<Decl> out = new ArrayList<>();
            for (String n : s.trim().split("\\s+")) if (!n.isEmpty()) out.add(new Decl(src.pos(t.start[v.token()]), n));
            return out;
        } else {
            fail(v.token(), "#" + key + " must be a list of names");
            return List.of();
        }
        List<Decl> out = new ArrayList<>();
        for (Ston e : elements) {
            if (e.value() instanceof String s && !s.isEmpty() && Lexer.isIdentStart(s.charAt(0))
                    && s.chars().allMatch(c -> Lexer.isIdentPart((char) c))) {
                Pos pos = src.pos(t.start[e.token()]);
                // point at the name itself, inside its quotes
                out.add(new Decl(t.kind[e.token()] == Tokens.LITERAL || t.kind[e.token()] == Tokens.SYMBOL
                        ? src.pos(t.start[e.token()] + 1) : pos, s));
            } else {
                src.error(t.start[e.token()], "'" + e.value() + "' in #" + key + " is not a valid variable name");
            }
        }
        return out;
    }

    private ClassDecl classDecl(Map<String, Ston> header, int at, String comment) {
        String name = symbolOrString(header, "name", at);
        if (name == null) return null;
        String superclass = "Object";
        Ston sup = header.get("superclass");
        if (sup != null) {
            if (sup.value() == null) superclass = null;
            else if (sup.value() instanceof String s) superclass = s.equals("nil") ? null : s;
            else fail(sup.token(), "#superclass must be a class name");
        }
        ClassDef.Shape shape = ClassDef.Shape.FIXED;
        Ston type = header.get("type");
        if (type != null && type.value() instanceof String ty) {
            switch (ty) {
                case "normal" -> { }
                case "variable" -> shape = ClassDef.Shape.POINTERS;
                case "bytes", "compiledMethod" -> shape = ClassDef.Shape.BYTES;
                case "words" -> shape = ClassDef.Shape.WORDS;
                case "weak" -> shape = ClassDef.Shape.WEAK;
                case "ephemeron" -> shape = ClassDef.Shape.EPHEMERON;
                default -> src.error(t.start[type.token()], "unsupported class #type '" + ty + "'");
            }
        }
        for (String key : new String[] {"traits", "classTraits"}) {
            Ston tr = header.get(key);
            if (tr != null && tr.value() instanceof String s && !s.isBlank() && !s.equals("{}"))
                src.error(t.start[tr.token()], "traits are not supported");
        }
        Ston pools = header.get("pools");
        if (pools != null && pools.value() instanceof List<?> l && !l.isEmpty())
            src.error(t.start[pools.token()], "pool dictionaries are not supported");
        String category = header.get("category") != null && header.get("category").value() instanceof String c ? c : null;
        if (category == null && header.get("package") != null && header.get("package").value() instanceof String pk) {
            category = pk;
            if (header.get("tag") != null && header.get("tag").value() instanceof String tag && !tag.isEmpty())
                category = pk + "-" + tag;
        }
        return new ClassDecl(src.pos(t.start[at]), name, superclass, shape, names(header, "instVars"),
                names(header, "classVars"), names(header, "classInstVars"), category, comment, List.of());
    }

    // ---- methods -------------------------------------------------------------------------------

    private MethodDef method(String definedClass) {
        int defStart = p;
        String category = null;
        if (t.kind[p] == Tokens.LBRACE) {
            Map<String, Ston> meta = map();
            if (meta.get("category") != null && meta.get("category").value() instanceof String c) category = c;
        }
        if (t.kind[p] != Tokens.IDENT) throw fail(p, "expected a method definition 'Class >> selector [', found " + found(p));
        String className = t.name(p++);
        // A link name (Dictionary@SOM: the SOM layer's classes that SOM programs see under the
        // kernel's names) is written as it is spelled, with no space around the '@'.
        if (t.kind[p] == Tokens.BINARY && t.name(p).equals("@") && t.kind[p + 1] == Tokens.IDENT
                && t.start[p] == t.end[p - 1] && t.start[p + 1] == t.end[p]) {
            className = className + "@" + t.name(p + 1);
            p += 2;
        }
        boolean meta = false;
        if (t.kind[p] == Tokens.IDENT && t.name(p).equals("class")) { meta = true; p++; }
        if (!(t.kind[p] == Tokens.BINARY && t.name(p).equals(">>"))) throw fail(p, "expected '>>' after the class name, found " + found(p));
        p++;
        Parser parser = new Parser(src, t, p, t.count - 1);
        Parser.Pattern pattern;
        try {
            pattern = parser.parsePattern();
        } catch (Parser.Failed f) {
            throw new Failed();
        }
        p = parser.position();
        if (t.kind[p] != Tokens.LBRACKET) throw fail(p, "expected '[' to open the method body, found " + found(p));
        int close = Brackets.match(t, p);
        if (t.kind[close] != Tokens.RBRACKET) {
            Pos o = src.pos(t.start[p]);
            src.error(t.start[close], "missing ']' to close the method body opened at " + o.line() + ":" + o.col());
            p = t.count - 1;
            return null;
        }
        if (!className.equals(definedClass))
            src.error(t.start[defStart], "method of '" + className + "' in the file of '" + definedClass + "'");
        Parser body = new Parser(src, t, p + 1, close);
        Method m = body.parseMethodBody(pattern, t.start[pattern.startToken()], t.end[close]);
        p = close + 1;
        return new MethodDef(src.pos(t.start[defStart]), className, meta, category, m);
    }

    /** After a broken method header, on to the next method: past the next bracketed body. */
    private void skipMethod() {
        while (t.kind[p] != Tokens.EOF) {
            if (t.kind[p] == Tokens.LBRACKET) {
                p = Brackets.match(t, p);
                if (t.kind[p] != Tokens.EOF) p++;
                return;
            }
            p++;
        }
    }
}
