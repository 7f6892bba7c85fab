package stlink.testing;

import java.io.ByteArrayOutputStream;

/** Hand-assembled machine code for tests, written as hex with optional spaces. */
public final class Code {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    public Code hex(String hex) {
        String h = hex.replace(" ", "");
        for (int i = 0; i < h.length(); i += 2) bytes.write(Integer.parseInt(h.substring(i, i + 2), 16));
        return this;
    }

    /** The offset the next byte will have. */
    public int here() { return bytes.size(); }

    public byte[] toBytes() { return bytes.toByteArray(); }
}
