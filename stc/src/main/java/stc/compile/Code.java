package stc.compile;

import stc.ast.Node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** One piece of compiled code: a method or a real (not inlined) block, with its frame layout. */
final class Code {
    final Code outer;
    /** The block this code compiles, or null for a method. */
    final Node.Block block;
    /** Walk order number and enclosing loops at the point where the closure is created. */
    final int creationSeq;
    final int[] creationLoops;
    Scope scope;

    /** Variables declared outside this code that it (or a block inside it) refers to. */
    final java.util.Set<Variable> referencedOuter = new java.util.LinkedHashSet<>();
    boolean hasNonLocalReturn;
    boolean usesThisContext;

    /** Filled in after analysis: the frame layout. */
    final List<Variable> args = new ArrayList<>();
    final List<Variable> copied = new ArrayList<>();
    final List<Variable> temps = new ArrayList<>();
    final Map<Variable, Integer> slots = new HashMap<>();

    Code(Code outer, Node.Block block, int creationSeq, int[] creationLoops) {
        this.outer = outer;
        this.block = block;
        this.creationSeq = creationSeq;
        this.creationLoops = creationLoops;
    }

    /** The frame slot of a variable accessible as a temp in this code. */
    int slot(Variable v) {
        Integer s = slots.get(v);
        if (s == null) throw new IllegalStateException("no slot for " + v + " in code " + this);
        return s;
    }

    /** Lays out the frame: args, copied values (ordered by declaration), then own temps. */
    void layout(List<Variable> ownTemps) {
        TreeSet<Variable> copiedSet = new TreeSet<>((a, b) -> Integer.compare(a.id, b.id));
        for (Variable v : referencedOuter) copiedSet.add(v.inVector() ? v.vectorHolder : v);
        copied.addAll(copiedSet);
        temps.addAll(ownTemps);
        int n = 0;
        for (Variable v : args) slots.put(v, n++);
        for (Variable v : copied) slots.put(v, n++);
        for (Variable v : temps) slots.put(v, n++);
    }

    int frameTemps() { return args.size() + copied.size() + temps.size(); }
}
