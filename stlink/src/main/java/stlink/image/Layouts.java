package stlink.image;

/** Alignment arithmetic shared by the writers. */
public final class Layouts {
    private Layouts() {}

    public static long alignUp(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    public static int padding(long value, long alignment) {
        return (int) (alignUp(value, alignment) - value);
    }
}
