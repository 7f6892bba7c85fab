package stc.compile;

import stc.ast.Pos;

import java.util.ArrayList;
import java.util.List;

/**
 * A variable that lives in a frame: an argument or temporary of a method or block, a temporary
 * hoisted out of an inlined block, or a hidden temp the compiler introduces (loop limits, temp
 * vector holders). Instance, class and global variables are not Variables: they need no frame slot.
 */
final class Variable {
    enum Kind {
        /** A method or real block argument: read-only. */
        ARG,
        /** An argument of an inlined block ({@code ifNotNil: [:x |}, {@code to:do:}): stored by the compiler, read-only for the program. */
        INLINED_ARG,
        TEMP,
        /** Introduced by the compiler; never visible by name. */
        HIDDEN
    }

    /** When a write or a capture happened: a walk order number and the inlined loops around it. */
    record Event(int seq, int[] loops) {}

    final String name;
    final Kind kind;
    final Scope scope;
    final int id;
    final Pos pos;
    /** How many inlined loops enclosed the declaration: loops deeper than this run inside its lifetime. */
    final int declLoopDepth;

    boolean read;
    boolean written;
    /** Assigned from inside a block other than the declaring code: sharing needs a temp vector. */
    boolean writtenFromNestedCode;
    final List<Event> writes = new ArrayList<>();
    final List<Event> captures = new ArrayList<>();

    /** Set when the variable lives in a temp vector instead of a frame slot. */
    Variable vectorHolder;
    int vectorIndex;

    Variable(String name, Kind kind, Scope scope, int id, Pos pos, int declLoopDepth) {
        this.name = name;
        this.kind = kind;
        this.scope = scope;
        this.id = id;
        this.pos = pos;
        this.declLoopDepth = declLoopDepth;
    }

    boolean isReadOnly() { return kind == Kind.ARG || kind == Kind.INLINED_ARG; }

    boolean inVector() { return vectorHolder != null; }

    /**
     * A captured variable can be copied into each closure only if no one can observe a later
     * change: it must not be assigned from a nested block, nor after a capture. Inside an inlined
     * loop that encloses both a write and a capture, "after" includes the next iteration.
     */
    boolean needsVector() {
        if (captures.isEmpty()) return false;
        if (writtenFromNestedCode) return true;
        for (Event w : writes) {
            for (Event c : captures) {
                if (w.seq() > c.seq()) return true;
                if (sameLoopInsideLifetime(w, c)) return true;
            }
        }
        return false;
    }

    private boolean sameLoopInsideLifetime(Event w, Event c) {
        int d = declLoopDepth;
        return w.loops().length > d && c.loops().length > d && w.loops()[d] == c.loops()[d];
    }

    @Override public String toString() { return name + "#" + id; }
}
