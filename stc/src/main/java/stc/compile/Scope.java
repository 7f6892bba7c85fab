package stc.compile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A name scope: the body of a method, a real block, or an inlined block. Inlined blocks have a
 * scope of their own (their names are private to them) but their variables live in the frame of
 * the enclosing real code.
 */
final class Scope {
    final Scope parent;
    final Code code;
    final boolean inlined;
    /** Inside an inlined loop of the same code: temps must be reset to nil on every entry. */
    final boolean insideLoop;
    final Map<String, Variable> names = new LinkedHashMap<>();
    /** Every variable declared here, named or hidden, in declaration order. */
    final List<Variable> variables = new ArrayList<>();
    /** Variables of this scope that live in a temp vector created on entry to the scope. */
    final List<Variable> vectorVariables = new ArrayList<>();
    Variable vectorHolder;

    Scope(Scope parent, Code code, boolean inlined, boolean insideLoop) {
        this.parent = parent;
        this.code = code;
        this.inlined = inlined;
        this.insideLoop = insideLoop;
    }

    Variable lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Variable v = s.names.get(name);
            if (v != null) return v;
        }
        return null;
    }
}
