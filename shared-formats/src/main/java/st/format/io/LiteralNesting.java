package st.format.io;

/**
 * How deeply literals nest: a scalar is 1 deep, an array or block one more than its deepest
 * element or literal. Computed over literals in table order (elements always come first), so
 * neither writer nor reader recurses, and both apply {@link Format#MAX_LITERAL_DEPTH} identically.
 */
final class LiteralNesting {
    private int[] heights = new int[16];
    private int count;

    int scalar() { return add(1); }

    /** An array whose elements are the literals at these (earlier) indices. */
    int array(int[] elements) { return add(1 + max(elements)); }

    /** A block whose code's literal frame holds the literals at these (earlier) indices. */
    int block(int[] codeLiterals) { return add(1 + max(codeLiterals)); }

    private int max(int[] indices) {
        int m = 0;
        for (int i : indices) m = Math.max(m, heights[i]);
        return m;
    }

    private int add(int h) {
        if (count == heights.length) heights = java.util.Arrays.copyOf(heights, count * 2);
        heights[count++] = h;
        return h;
    }
}
