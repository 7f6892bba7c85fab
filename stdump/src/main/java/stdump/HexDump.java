package stdump;

/** The classic hex dump: offset, sixteen bytes in hex, and the printable ASCII. */
final class HexDump {
    private HexDump() {}

    static String of(byte[] b, int from, int to, long baseOffset) {
        StringBuilder out = new StringBuilder();
        for (int row = from; row < to; row += 16) {
            out.append(String.format("%08x ", baseOffset + row - from));
            for (int i = 0; i < 16; i++) {
                if (i == 8) out.append(' ');
                out.append(row + i < to ? String.format(" %02x", b[row + i] & 0xFF) : "   ");
            }
            out.append("  |");
            for (int i = row; i < Math.min(row + 16, to); i++) {
                int c = b[i] & 0xFF;
                out.append(c >= 0x20 && c < 0x7F ? (char) c : '.');
            }
            out.append("|\n");
        }
        return out.toString();
    }

    /** Bytes as space-separated hex pairs, for JSON and one-line listings. */
    static String pairs(byte[] b, int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < to; i++) out.append(i > from ? " " : "").append(String.format("%02x", b[i] & 0xFF));
        return out.toString();
    }
}
