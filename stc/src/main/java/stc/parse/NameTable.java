package stc.parse;

/**
 * Interns identifier, keyword and operator text straight from the scanner's char array, so each
 * distinct name is one String however often it occurs. This keeps the token arrays of a large
 * file small, which matters more for throughput than the lookups cost.
 */
final class NameTable {
    private String[] table = new String[1024];
    private int size;

    String intern(char[] b, int start, int end) {
        int len = end - start;
        int h = 0;
        for (int i = start; i < end; i++) h = 31 * h + b[i];
        int mask = table.length - 1;
        int slot = (h ^ (h >>> 16)) & mask;
        while (true) {
            String s = table[slot];
            if (s == null) {
                s = new String(b, start, len);
                table[slot] = s;
                if (++size * 2 > table.length) grow();
                return s;
            }
            if (s.hashCode() == h && s.length() == len && matches(s, b, start)) return s;
            slot = (slot + 1) & mask;
        }
    }

    private static boolean matches(String s, char[] b, int start) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) != b[start + i]) return false;
        return true;
    }

    private void grow() {
        String[] old = table;
        table = new String[old.length * 2];
        int mask = table.length - 1;
        for (String s : old) {
            if (s == null) continue;
            int h = s.hashCode();
            int slot = (h ^ (h >>> 16)) & mask;
            while (table[slot] != null) slot = (slot + 1) & mask;
            table[slot] = s;
        }
    }
}
