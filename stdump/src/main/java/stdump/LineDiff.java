package stdump;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff by longest common subsequence: lines prefixed {@code "  "} (same), {@code "- "}
 * (only in the old text) or {@code "+ "} (only in the new). Methods are small; beyond
 * {@link #MAX_CELLS} the table would be too large, and the diff degrades to all-removed,
 * all-added rather than taking quadratic time.
 */
final class LineDiff {
    static final long MAX_CELLS = 4_000_000;

    private LineDiff() {}

    static List<String> diff(List<String> a, List<String> b) {
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) prefix++;
        int suffix = 0;
        while (suffix < a.size() - prefix && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) suffix++;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < prefix; i++) out.add("  " + a.get(i));
        List<String> x = a.subList(prefix, a.size() - suffix), y = b.subList(prefix, b.size() - suffix);
        if ((long) (x.size() + 1) * (y.size() + 1) > MAX_CELLS) {
            for (String s : x) out.add("- " + s);
            for (String s : y) out.add("+ " + s);
        } else {
            int[][] lcs = new int[x.size() + 1][y.size() + 1];
            for (int i = x.size() - 1; i >= 0; i--)
                for (int j = y.size() - 1; j >= 0; j--)
                    lcs[i][j] = x.get(i).equals(y.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            int i = 0, j = 0;
            while (i < x.size() || j < y.size()) {
                if (i < x.size() && j < y.size() && x.get(i).equals(y.get(j))) {
                    out.add("  " + x.get(i));
                    i++;
                    j++;
                } else if (i < x.size() && (j == y.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                    out.add("- " + x.get(i++));
                } else {
                    out.add("+ " + y.get(j++));
                }
            }
        }
        for (int i = a.size() - suffix; i < a.size(); i++) out.add("  " + a.get(i));
        return out;
    }

    static List<String> lines(String text) {
        if (text == null || text.isEmpty()) return List.of();
        return List.of(text.split("\r\n|\r|\n", -1));
    }
}
