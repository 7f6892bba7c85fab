package st.format.io;

/**
 * Bounds on literal structure, computed over literals in table order (elements always come
 * first), so neither writer nor reader recurses and both apply the same limits:
 * <ul>
 * <li>depth: a scalar is 1 deep, an array or block one more than its deepest element or literal;
 *     at most {@link Format#MAX_LITERAL_DEPTH};</li>
 * <li>expanded size: the number of objects a literal stands for when shared parts are counted at
 *     every use. A few hundred bytes of shared arrays could otherwise stand for 2^255 objects and
 *     make every tool that walks them hang; a module's methods may expand to at most
 *     {@link Format#MAX_EXPANDED_LITERALS} objects in all.</li>
 * </ul>
 */
final class LiteralNesting {
    private int[] heights = new int[16];
    private long[] sizes = new long[16];
    private int count;

    int scalar() { return add(1, 1); }

    /** An array whose elements are the literals at these (earlier) indices. */
    int array(int[] elements) { return add(1 + maxHeight(elements), 1 + size(elements)); }

    /** A block whose code's literal frame holds the literals at these (earlier) indices. */
    int block(int[] codeLiterals) { return add(1 + maxHeight(codeLiterals), 1 + size(codeLiterals)); }

    /** The expanded size of the literal at this index. */
    long sizeOf(int index) { return sizes[index]; }

    /** The expanded size of a literal frame, saturating rather than overflowing. */
    long size(int[] indices) {
        long s = 0;
        for (int i : indices) s = Math.min(s + sizes[i], Long.MAX_VALUE / 4);
        return s;
    }

    private int maxHeight(int[] indices) {
        int m = 0;
        for (int i : indices) m = Math.max(m, heights[i]);
        return m;
    }

    private int add(int h, long size) {
        if (count == heights.length) {
            heights = java.util.Arrays.copyOf(heights, count * 2);
            sizes = java.util.Arrays.copyOf(sizes, count * 2);
        }
        heights[count] = h;
        sizes[count++] = size;
        return h;
    }
}
