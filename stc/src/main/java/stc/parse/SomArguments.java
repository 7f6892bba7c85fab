package stc.parse;

import stc.ast.Node;
import stc.ast.Node.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rewrites of SOM method bodies, done by the SOM front end. SOM sends of {@code class} become
 * {@code somClass} (see {@link #selector}). And SOM lets a method or block assign to its own arguments ({@code dec: n = ( n := n - 1. ^n )});
 * Smalltalk-80 and the compiler do not. The SOM front end rewrites such a method or block: the
 * argument gets a hidden name (one no source can spell) and a temp of the argument's name, set from
 * it on entry, takes every use. Code that never assigns an argument is left as it is.
 */
final class SomArguments {
    private SomArguments() {}

    /** The hidden name of an assigned argument: '@' cannot start an identifier. */
    static String hidden(String name) { return "@" + name; }

    static Method rewrite(Method m) {
        Set<String> assigned = m.primitive() ? Set.of() : assignedParams(m.params(), m.temps(), m.body());
        List<Stmt> body = blocks(m.body());
        String name = selector(m.selector());
        if (assigned.isEmpty() && body == m.body() && name.equals(m.selector())) return m;
        List<Decl> params = new ArrayList<>();
        List<Decl> temps = new ArrayList<>();
        List<Stmt> prologue = new ArrayList<>();
        split(m.params(), assigned, params, temps, prologue);
        temps.addAll(m.temps());
        prologue.addAll(body);
        return new Method(m.pos(), name, params, temps, m.pragmas(), prologue, m.primitive(), m.source(), m.end());
    }

    private static void split(List<Decl> in, Set<String> assigned, List<Decl> params, List<Decl> temps, List<Stmt> prologue) {
        for (Decl d : in) {
            if (!assigned.contains(d.name())) { params.add(d); continue; }
            params.add(new Decl(d.pos(), hidden(d.name())));
            temps.add(d);
            prologue.add(new Assign(d.pos(), new Var(d.pos(), d.name()), new Var(d.pos(), hidden(d.name()))));
        }
    }

    /** The params assigned somewhere in the body (nested blocks included, unless they shadow the name). */
    private static Set<String> assignedParams(List<Decl> params, List<Decl> temps, List<Stmt> body) {
        Set<String> names = new HashSet<>();
        for (Decl d : params) names.add(d.name());
        for (Decl d : temps) names.remove(d.name());
        Set<String> found = new HashSet<>();
        if (!names.isEmpty()) for (Stmt s : body) scan(s, names, found);
        return found;
    }

    private static void scan(Node n, Set<String> names, Set<String> found) {
        switch (n) {
            case Return r -> scan(r.value(), names, found);
            case Assign a -> {
                if (names.contains(a.target().name())) found.add(a.target().name());
                scan(a.value(), names, found);
            }
            case Send s -> { scan(s.receiver(), names, found); for (Expr e : s.args()) scan(e, names, found); }
            case Cascade c -> {
                scan(c.receiver(), names, found);
                for (Message m : c.messages()) for (Expr e : m.args()) scan(e, names, found);
            }
            case Block b -> {
                Set<String> inner = new HashSet<>(names);
                for (Decl d : b.params()) inner.remove(d.name());
                for (Decl d : b.temps()) inner.remove(d.name());
                if (!inner.isEmpty()) for (Stmt s : b.body()) scan(s, inner, found);
            }
            case Brace br -> { for (Expr e : br.elements()) scan(e, names, found); }
            default -> { }
        }
    }

    /** The statements with every block inside rewritten; the same list when nothing changed. */
    private static List<Stmt> blocks(List<Stmt> body) {
        List<Stmt> out = new ArrayList<>(body.size());
        boolean changed = false;
        for (Stmt s : body) {
            Stmt r = stmt(s);
            changed |= r != s;
            out.add(r);
        }
        return changed ? out : body;
    }

    private static Stmt stmt(Stmt s) {
        return s instanceof Return r ? ret(r) : expr((Expr) s);
    }

    private static Stmt ret(Return r) {
        Expr v = expr(r.value());
        return v == r.value() ? r : new Return(r.pos(), v);
    }

    private static List<Expr> exprs(List<Expr> in) {
        List<Expr> out = new ArrayList<>(in.size());
        boolean changed = false;
        for (Expr e : in) {
            Expr r = expr(e);
            changed |= r != e;
            out.add(r);
        }
        return changed ? out : in;
    }

    private static Expr expr(Expr e) {
        return switch (e) {
            case Assign a -> {
                Expr v = expr(a.value());
                yield v == a.value() ? a : new Assign(a.pos(), a.target(), v);
            }
            case Send s -> {
                Expr rcv = expr(s.receiver());
                List<Expr> args = exprs(s.args());
                String selector = selector(s.selector());
                yield rcv == s.receiver() && args == s.args() && selector.equals(s.selector()) ? s
                        : new Send(s.pos(), rcv, selector, args, s.keywordPos());
            }
            case Cascade c -> {
                Expr rcv = expr(c.receiver());
                List<Message> ms = new ArrayList<>();
                boolean changed = rcv != c.receiver();
                for (Message m : c.messages()) {
                    List<Expr> args = exprs(m.args());
                    String selector = selector(m.selector());
                    boolean same = args == m.args() && selector.equals(m.selector());
                    changed |= !same;
                    ms.add(same ? m : new Message(m.pos(), selector, args));
                }
                yield changed ? new Cascade(c.pos(), rcv, ms) : c;
            }
            case Brace br -> {
                List<Expr> els = exprs(br.elements());
                yield els == br.elements() ? br : new Brace(br.pos(), els);
            }
            case Block b -> block(b);
            default -> e;
        };
    }

    /**
     * SOM selectors that mean something else than the kernel's, compiled under names of their own
     * (sends and method definitions alike, as SomReader.SELECTORS for binary ones): SOM's
     * {@code class} answers Integer for every integer (the kernel's answers SmallInteger or a
     * large-integer class); SOM's {@code raisedTo:} multiplies once per step of {@code 1 to: n}
     * (an exponent below one gives one), while the kernel's own code needs the real power; SOM's
     * {@code indexOf:} answers nil (Array) or -1 (String, Vector: of a substring) for none, the
     * kernel's 0; SOM's {@code perform: #class} answers what its {@code class} does. SOM's
     * {@code new} does not send {@code initialize} (the kernel's does, as Pharo's), so a SOM class
     * whose {@code new} is {@code ^super new initialize} must not be initialized twice: SOM's
     * {@code initialize} is {@code somInitialize}. kernel/SOM implements the {@code som} selectors.
     */
    private static String selector(String selector) {
        return RENAMED.getOrDefault(selector, selector);
    }

    private static final java.util.Map<String, String> RENAMED = java.util.Map.of(
            "class", "somClass",
            "raisedTo:", "somRaisedTo:",
            "indexOf:", "somIndexOf:",
            "indexOf:startingAt:", "somIndexOf:startingAt:",
            "perform:", "somPerform:",
            "initialize", "somInitialize");

    /** The selector as SOM source spells it: the inverse of {@link #selector}. */
    static String sourceSelector(String compiled) {
        for (var e : RENAMED.entrySet()) if (e.getValue().equals(compiled)) return e.getKey();
        return compiled;
    }

    private static Block block(Block b) {
        Set<String> assigned = assignedParams(b.params(), b.temps(), b.body());
        List<Stmt> body = blocks(b.body());
        if (assigned.isEmpty() && body == b.body()) return b;
        List<Decl> params = new ArrayList<>();
        List<Decl> temps = new ArrayList<>();
        List<Stmt> prologue = new ArrayList<>();
        split(b.params(), assigned, params, temps, prologue);
        temps.addAll(b.temps());
        prologue.addAll(body);
        return new Block(b.pos(), params, temps, prologue, b.end());
    }
}
