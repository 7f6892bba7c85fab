package stlink.link;

import stjit.image.HeapImage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the runtime's position-independent heap image ({@link HeapImage}: bytes as if loaded at
 * address 0, the words holding image offsets, the {@code nativeEntry} slots and the data symbols;
 * docs/RUNTIME.md section 11) into the linker's {@link DataImage}, whose relocations the linker
 * resolves once the image and the code have addresses.
 */
public final class HeapImages {
    private HeapImages() {}

    /** A symbol at the image's first byte: the target of every image-internal pointer. */
    public static final String IMAGE_START = "heap:start";

    /**
     * A native entry holds the code address tagged as a SmallInteger (docs/RUNTIME.md): the
     * address plus one, since code is at least 2-byte aligned.
     */
    static final long NATIVE_ENTRY_TAG = 1;

    public static DataImage toDataImage(String name, HeapImage image) {
        return toDataImage(name, image.bytes(), image.pointerOffsets(), image.entryOffsets(), image.symbols());
    }

    /**
     * @param pointerOffsets offsets of words that hold an offset into the image
     * @param entryOffsets   offsets of words that receive a code symbol's address, tagged
     * @param symbols        data symbols: name to offset
     */
    public static DataImage toDataImage(String name, byte[] bytes, int[] pointerOffsets, Map<Integer, String> entryOffsets,
                                        Map<String, Integer> symbols) {
        List<DataImage.Relocation> relocations = new ArrayList<>();
        for (int offset : pointerOffsets) {
            if (offset < 0 || offset + 8 > bytes.length) {
                throw new LinkException(name + ": pointer slot at offset " + offset + " lies outside the image");
            }
            relocations.add(new DataImage.Relocation(offset, IMAGE_START, readLong(bytes, offset)));
        }
        for (Map.Entry<Integer, String> e : new TreeMap<>(entryOffsets).entrySet()) {
            relocations.add(new DataImage.Relocation(e.getKey(), e.getValue(), NATIVE_ENTRY_TAG));
        }
        relocations.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        List<DataImage.Symbol> dataSymbols = new ArrayList<>();
        dataSymbols.add(new DataImage.Symbol(IMAGE_START, 0, 0));
        // In offset order, then by name, so the executable does not depend on map iteration order.
        symbols.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> dataSymbols.add(new DataImage.Symbol(e.getKey(), e.getValue(), 0)));
        return new DataImage(name, bytes, 0, dataSymbols, relocations);
    }

    private static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = v << 8 | (b[at + i] & 0xFF);
        return v;
    }
}
