package stjit.image;

/**
 * The object model of docs/RUNTIME.md, sections 1–3: oop tags, the header bit layout, formats and
 * the fixed class indexes. The nativizer, the image builder and the tests all encode objects
 * through this class so the layout is written down once in Java.
 */
public final class ObjectModel {
    private ObjectModel() {}

    public static final int WORD = 8;

    public static final long SMALLINT_TAG = 1;
    public static final long CHARACTER_TAG = 2;
    public static final long TAG_MASK = 7;
    public static final long MIN_SMALLINT = -(1L << 62);
    public static final long MAX_SMALLINT = (1L << 62) - 1;

    public static final int CLASS_INDEX_BITS = 22;
    public static final long CLASS_INDEX_MASK = (1L << CLASS_INDEX_BITS) - 1;
    public static final int MARK_BIT = 22;
    public static final int REMEMBERED_BIT = 23;
    public static final int FORMAT_SHIFT = 24;
    public static final long FORMAT_MASK = 0x1F;
    public static final int HASH_SHIFT = 32;
    public static final long HASH_MASK = (1L << 22) - 1;
    public static final int SLOTS_SHIFT = 56;
    public static final int OVERFLOW_SLOTS = 255;

    // formats (section 2)
    public static final int FORMAT_EMPTY = 0;
    public static final int FORMAT_FIXED = 1;
    public static final int FORMAT_POINTERS = 2;
    public static final int FORMAT_WEAK = 4;
    /** Fixed pointer slots, the first one (the key) ephemeral. */
    public static final int FORMAT_EPHEMERON = 5;
    public static final int FORMAT_WORDS = 10;
    public static final int FORMAT_BYTES = 16;

    public static long smallInt(long value) {
        if (value < MIN_SMALLINT || value > MAX_SMALLINT) throw new IllegalArgumentException("not a SmallInteger: " + value);
        return value << 1 | SMALLINT_TAG;
    }

    public static boolean fitsSmallInt(long value) { return value >= MIN_SMALLINT && value <= MAX_SMALLINT; }

    public static long character(int codePoint) { return (long) codePoint << 3 | CHARACTER_TAG; }

    /** A raw address (code entry, frame pointer) kept where the GC expects an oop. */
    public static long taggedAddress(long address) { return address << 1 | SMALLINT_TAG; }

    public static long header(int classIndex, int format, int hash, int slots) {
        if (classIndex <= 0 || classIndex > CLASS_INDEX_MASK) throw new IllegalArgumentException("class index " + classIndex);
        int slotField = Math.min(slots, OVERFLOW_SLOTS);
        return (classIndex & CLASS_INDEX_MASK) | ((long) format & FORMAT_MASK) << FORMAT_SHIFT
                | ((long) hash & HASH_MASK) << HASH_SHIFT | (long) slotField << SLOTS_SHIFT;
    }

    public static int classIndexOf(long header) { return (int) (header & CLASS_INDEX_MASK); }

    public static int formatOf(long header) { return (int) (header >>> FORMAT_SHIFT & FORMAT_MASK); }

    public static int hashOf(long header) { return (int) (header >>> HASH_SHIFT & HASH_MASK); }

    public static int slotFieldOf(long header) { return (int) (header >>> SLOTS_SHIFT); }

    /** Slots needed for {@code n} bytes, and the byte format recording the unused tail. */
    public static int byteSlots(int n) { return (n + 7) / 8; }

    public static int byteFormat(int n) { return FORMAT_BYTES + (byteSlots(n) * 8 - n); }

    /** Bytes an object with {@code slots} slots occupies, including the overflow word and the minimum of one slot. */
    public static int objectBytes(int slots) {
        return WORD * (1 + Math.max(1, slots)) + (slots >= OVERFLOW_SLOTS ? WORD : 0);
    }

    /** FNV-1a over the bytes, folded to the 22-bit hash field: the hash of Strings and Symbols. */
    public static int bytesHash(byte[] bytes) {
        int h = 0x811C9DC5;
        for (byte b : bytes) {
            h ^= b & 0xFF;
            h *= 0x01000193;
        }
        return (int) ((h ^ (h >>> 22)) & HASH_MASK);
    }

    /** instanceSpec of a Behavior: named slot count in bits 0–15, instance format in bits 16–20. */
    public static long instanceSpec(int namedSlots, int format) { return namedSlots | (long) format << 16; }
}
