package stc;

/** Lets the CLI tests reach package-private helpers of {@link Main}. */
public final class MainAccess {
    private MainAccess() {}

    public static String defaultOutput(String input) { return Main.defaultOutput(input); }

    public static String decode(byte[] bytes) { return Main.decode(bytes); }
}
