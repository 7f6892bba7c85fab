package stc.parse;

import st.format.model.Literal;
import stc.ast.Node;
import stc.ast.Node.*;

import java.math.BigInteger;
import java.util.List;

/**
 * Renders an AST as compact, deterministic S-expressions, e.g. {@code (send (var x) + (lit 1))}.
 * Used by tests and usable for {@code stc --emit ast}.
 */
public final class AstPrinter {
    private AstPrinter() {}

    public static String print(Node node) {
        StringBuilder sb = new StringBuilder();
        node(sb, node, 0);
        return sb.toString();
    }

    public static String literal(Literal l) {
        StringBuilder sb = new StringBuilder();
        lit(sb, l);
        return sb.toString();
    }

    private static void nl(StringBuilder sb, int indent) {
        sb.append('\n');
        sb.append("  ".repeat(indent));
    }

    private static void decls(StringBuilder sb, String tag, List<Decl> ds) {
        if (ds.isEmpty()) return;
        sb.append(" (").append(tag);
        for (Decl d : ds) sb.append(' ').append(d.name());
        sb.append(')');
    }

    private static void stmts(StringBuilder sb, List<? extends Node> body, int indent) {
        for (Node s : body) {
            nl(sb, indent);
            node(sb, s, indent);
        }
    }

    private static void node(StringBuilder sb, Node n, int indent) {
        switch (n) {
            case Decl d -> sb.append(d.name());
            case Return r -> { sb.append("(^ "); node(sb, r.value(), indent); sb.append(')'); }
            case Lit l -> { sb.append("(lit "); lit(sb, l.value()); sb.append(')'); }
            case Var v -> sb.append("(var ").append(v.name()).append(')');
            case Assign a -> { sb.append("(:= ").append(a.target().name()).append(' '); node(sb, a.value(), indent); sb.append(')'); }
            case Send s -> {
                sb.append("(send ");
                node(sb, s.receiver(), indent);
                sb.append(' ').append(s.selector());
                for (Expr a : s.args()) { sb.append(' '); node(sb, a, indent); }
                sb.append(')');
            }
            case Cascade c -> {
                sb.append("(cascade ");
                node(sb, c.receiver(), indent);
                for (Message m : c.messages()) { sb.append(' '); node(sb, m, indent); }
                sb.append(')');
            }
            case Message m -> {
                sb.append('(').append(m.selector());
                for (Expr a : m.args()) { sb.append(' '); node(sb, a, indent); }
                sb.append(')');
            }
            case Block b -> {
                sb.append("(block");
                decls(sb, "params", b.params());
                decls(sb, "temps", b.temps());
                for (Stmt s : b.body()) { sb.append(' '); node(sb, s, indent); }
                sb.append(')');
            }
            case Brace b -> {
                sb.append("(brace");
                for (Expr e : b.elements()) { sb.append(' '); node(sb, e, indent); }
                sb.append(')');
            }
            case Pragma p -> {
                sb.append('<').append(p.keyword());
                for (Literal l : p.args()) { sb.append(' '); lit(sb, l); }
                sb.append('>');
            }
            case Method m -> {
                sb.append("(method ").append(m.selector());
                decls(sb, "params", m.params());
                decls(sb, "temps", m.temps());
                for (Pragma p : m.pragmas()) { sb.append(' '); node(sb, p, indent); }
                if (m.primitive()) sb.append(" primitive");
                stmts(sb, m.body(), indent + 1);
                sb.append(')');
            }
            case MethodDef d -> {
                sb.append("(methodDef ").append(d.className()).append(d.meta() ? " class" : "")
                        .append(" [").append(d.category()).append("] ");
                node(sb, d.method(), indent);
                sb.append(')');
            }
            case ClassDecl c -> {
                sb.append("(class ").append(c.name()).append(" super=").append(c.superclass())
                        .append(' ').append(c.shape());
                decls(sb, "ivars", c.instVars());
                decls(sb, "cvars", c.classVars());
                decls(sb, "civars", c.classInstVars());
                if (c.category() != null) sb.append(" [").append(c.category()).append(']');
                if (c.comment() != null) sb.append(" comment=").append(quote(c.comment()));
                for (Assign a : c.classVarInits()) { nl(sb, indent + 1); node(sb, a, indent + 1); }
                sb.append(')');
            }
            case DoIt d -> {
                sb.append("(doit");
                decls(sb, "temps", d.temps());
                stmts(sb, d.body(), indent + 1);
                sb.append(')');
            }
            case Unit u -> {
                sb.append("(unit ").append(u.dialect());
                stmts(sb, u.items(), indent + 1);
                sb.append(')');
            }
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static void lit(StringBuilder sb, Literal l) {
        switch (l) {
            case Literal.Constant c -> sb.append(c.name().toLowerCase(java.util.Locale.ROOT));
            case Literal.Int i -> sb.append(i.value());
            case Literal.Float f -> sb.append(f.value());
            case Literal.ScaledDecimal s -> {
                sb.append(s.numerator());
                if (!s.denominator().equals(BigInteger.ONE)) sb.append('/').append(s.denominator());
                sb.append('s').append(s.scale());
            }
            case Literal.Char c -> sb.append('$').appendCodePoint(c.codePoint());
            case Literal.Str s -> sb.append(quote(s.value()));
            case Literal.Sym s -> sb.append('#').append(s.value());
            case Literal.Bytes b -> {
                sb.append("#[");
                for (int i = 0; i < b.value().length; i++) sb.append(i == 0 ? "" : " ").append(b.value()[i] & 0xff);
                sb.append(']');
            }
            case Literal.Array a -> {
                sb.append("#(");
                for (int i = 0; i < a.elements().size(); i++) { if (i > 0) sb.append(' '); lit(sb, a.elements().get(i)); }
                sb.append(')');
            }
            case Literal.Binding b -> sb.append("#{").append(b.owner() == null ? "" : b.owner() + ".").append(b.name()).append('}');
            case Literal.Block b -> sb.append("<block>");
        }
    }
}
