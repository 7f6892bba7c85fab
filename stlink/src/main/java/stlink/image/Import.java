package stlink.image;

/** A function imported by name from a dynamic library, such as {@code kernel32.dll!WriteFile}. */
public record Import(String dll, String function) {
    @Override public String toString() { return dll + "!" + function; }
}
