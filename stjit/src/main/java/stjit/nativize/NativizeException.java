package stjit.nativize;

/** A method cannot be nativized: unsupported bytecode, unknown primitive or intrinsic, bad operands. */
public final class NativizeException extends RuntimeException {
    public NativizeException(String method, String message) { super(method + ": " + message); }
}
