package st.format.model;

import java.util.List;

/**
 * Compiled code: a method body or a block body.
 *
 * @param numArgs    arguments, which are the first temps of the frame
 * @param numCopied  for a block, the copied values that follow the arguments; 0 for a method
 * @param numTemps   temps declared by this method or block (excluding args and copied values)
 * @param frameSize  the maximum depth of the operand stack
 * @param flags      {@link #HAS_NONLOCAL_RETURN}, {@link #USES_THIS_CONTEXT}, ...
 * @param sourceMap  pc ranges to source positions, in pc order
 */
public record CodeDef(int numArgs, int numCopied, int numTemps, int frameSize, int flags,
                      byte[] bytecodes, List<Literal> literals, List<SourcePos> sourceMap) {

    /** Contains a non-local return ({@code ^} inside a block), or a block that does. */
    public static final int HAS_NONLOCAL_RETURN = 1;
    /** Refers to {@code thisContext}. */
    public static final int USES_THIS_CONTEXT = 2;
    /** A block (otherwise a method). */
    public static final int IS_BLOCK = 4;

    public boolean is(int flag) { return (flags & flag) != 0; }

    /** All temps in the frame: args, copied values and declared temps. */
    public int frameTemps() { return numArgs + numCopied + numTemps; }

    @Override public boolean equals(Object o) {
        return o instanceof CodeDef c && c.numArgs == numArgs && c.numCopied == numCopied && c.numTemps == numTemps
                && c.frameSize == frameSize && c.flags == flags && java.util.Arrays.equals(c.bytecodes, bytecodes)
                && c.literals.equals(literals) && c.sourceMap.equals(sourceMap);
    }

    @Override public int hashCode() { return java.util.Arrays.hashCode(bytecodes) * 31 + literals.hashCode(); }

    /** Code from {@code pc} on came from {@code line:col} (1-based) of the method's source file. */
    public record SourcePos(int pc, int line, int col) {}

    /** The source position of the instruction at {@code pc}, or null. */
    public SourcePos positionAt(int pc) {
        SourcePos best = null;
        for (SourcePos p : sourceMap) {
            if (p.pc() <= pc) best = p; else break;
        }
        return best;
    }
}
