package st.format.io;

/**
 * A file that is not a well-formed file of the format: truncated, corrupted, hostile or written
 * by a newer toolchain. The message names the problem and where it is, for example
 * {@code bad checksum in section METH} or {@code section CODE, entry 3: literal index 77 out of
 * range (12 literals)}.
 */
public final class FormatException extends Exception {
    public FormatException(String message) {
        super(message);
    }
}
