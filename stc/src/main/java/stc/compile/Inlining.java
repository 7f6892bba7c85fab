package stc.compile;

import st.format.model.Literal;
import stc.ast.Node;

import java.math.BigInteger;
import java.util.List;

/**
 * Which sends the compiler open-codes. A send is inlined only when every block it needs is written
 * literally with the expected number of arguments; otherwise it stays a real send, so behaviour
 * never depends on a block the compiler cannot see. {@code ensure:} and {@code ifCurtailed:} are
 * never inlined: they need a real activation to unwind through.
 */
enum Inlining {
    IF_TRUE, IF_FALSE, IF_TRUE_IF_FALSE, IF_FALSE_IF_TRUE, AND, OR,
    WHILE_TRUE, WHILE_FALSE, WHILE_TRUE_UNARY, WHILE_FALSE_UNARY,
    TO_DO, TO_BY_DO, TIMES_REPEAT, REPEAT,
    IF_NIL, IF_NOT_NIL, IF_NIL_IF_NOT_NIL, IF_NOT_NIL_IF_NIL;

    /** The inlined form of a send, or null when it must be a real send. */
    static Inlining of(Node.Send s) {
        List<Node.Expr> a = s.args();
        if (a.size() != arity(s.selector())) return null; // a malformed tree from error recovery
        return switch (s.selector()) {
            case "ifTrue:" -> block(a.get(0), 0) ? IF_TRUE : null;
            case "ifFalse:" -> block(a.get(0), 0) ? IF_FALSE : null;
            case "ifTrue:ifFalse:" -> block(a.get(0), 0) && block(a.get(1), 0) ? IF_TRUE_IF_FALSE : null;
            case "ifFalse:ifTrue:" -> block(a.get(0), 0) && block(a.get(1), 0) ? IF_FALSE_IF_TRUE : null;
            case "and:" -> block(a.get(0), 0) ? AND : null;
            case "or:" -> block(a.get(0), 0) ? OR : null;
            case "whileTrue:" -> block(s.receiver(), 0) && block(a.get(0), 0) ? WHILE_TRUE : null;
            case "whileFalse:" -> block(s.receiver(), 0) && block(a.get(0), 0) ? WHILE_FALSE : null;
            case "whileTrue" -> block(s.receiver(), 0) ? WHILE_TRUE_UNARY : null;
            case "whileFalse" -> block(s.receiver(), 0) ? WHILE_FALSE_UNARY : null;
            case "repeat" -> block(s.receiver(), 0) ? REPEAT : null;
            case "to:do:" -> block(a.get(1), 1) ? TO_DO : null;
            case "to:by:do:" -> block(a.get(2), 1) && step(a.get(1)) != null ? TO_BY_DO : null;
            case "timesRepeat:" -> block(a.get(0), 0) ? TIMES_REPEAT : null;
            case "ifNil:" -> block(a.get(0), 0) ? IF_NIL : null;
            case "ifNotNil:" -> optionalArgBlock(a.get(0)) ? IF_NOT_NIL : null;
            case "ifNil:ifNotNil:" -> block(a.get(0), 0) && optionalArgBlock(a.get(1)) ? IF_NIL_IF_NOT_NIL : null;
            case "ifNotNil:ifNil:" -> optionalArgBlock(a.get(0)) && block(a.get(1), 0) ? IF_NOT_NIL_IF_NIL : null;
            default -> null;
        };
    }

    private static int arity(String selector) {
        int colons = 0;
        for (int i = 0; i < selector.length(); i++) if (selector.charAt(i) == ':') colons++;
        return colons;
    }

    boolean isLoop() {
        return switch (this) {
            case WHILE_TRUE, WHILE_FALSE, WHILE_TRUE_UNARY, WHILE_FALSE_UNARY, TO_DO, TO_BY_DO, TIMES_REPEAT, REPEAT -> true;
            default -> false;
        };
    }

    private static boolean block(Node.Expr e, int args) {
        return e instanceof Node.Block b && b.params().size() == args;
    }

    private static boolean optionalArgBlock(Node.Expr e) {
        return e instanceof Node.Block b && b.params().size() <= 1;
    }

    /** The step of {@code to:by:do:} when it is a nonzero SmallInteger-sized literal, else null. */
    static BigInteger step(Node.Expr e) {
        if (e instanceof Node.Lit l && l.value() instanceof Literal.Int i && i.value().signum() != 0
                && i.value().bitLength() < 62) return i.value();
        return null;
    }
}
