package stc.compile;

import stc.ast.Node;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The variables that top-level statements assign outside any real block (inlined blocks such as
 * those of ifTrue: or to:do: count as outside). gst and a Pharo playground accept such variables
 * without a declaration; the compiler makes them temps of the startup method. A name only read, or
 * only assigned inside a real block ({@code do: [:each | totl := ...]}), is still reported as
 * undeclared: that is where typos hide.
 */
final class TopLevelAssignments {
    private final Set<String> names = new HashSet<>();

    private TopLevelAssignments() {}

    static Set<String> of(List<Node.Stmt> body) {
        TopLevelAssignments scan = new TopLevelAssignments();
        scan.statements(body);
        return Set.copyOf(scan.names);
    }

    private void statements(List<Node.Stmt> body) {
        for (Node.Stmt s : body) statement(s);
    }

    private void statement(Node.Stmt s) {
        switch (s) {
            case Node.Return r -> expr(r.value());
            case Node.Expr e -> expr(e);
        }
    }

    private void expr(Node.Expr e) {
        switch (e) {
            case Node.Assign a -> {
                names.add(a.target().name());
                expr(a.value());
            }
            case Node.Send s -> {
                boolean inlined = Inlining.of(s) != null;
                operand(s.receiver(), inlined);
                for (Node.Expr arg : s.args()) operand(arg, inlined);
            }
            case Node.Cascade c -> {
                expr(c.receiver());
                for (Node.Message m : c.messages()) for (Node.Expr arg : m.args()) operand(arg, false);
            }
            case Node.Brace b -> b.elements().forEach(this::expr);
            default -> { }
        }
    }

    /** An operand of a send: the body of a block is scanned only when the send is inlined. */
    private void operand(Node.Expr e, boolean inlined) {
        if (e instanceof Node.Block b) {
            if (inlined) statements(b.body());
        } else {
            expr(e);
        }
    }
}
