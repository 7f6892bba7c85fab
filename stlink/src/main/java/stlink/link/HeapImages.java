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

    /**
     * @param zeroFillSymbols places in the zero fill that follows the image (the globals block, new
     *                        space), as offsets from the image's first byte; the zero fill extends
     *                        to the largest of them
     */
    public static DataImage toDataImage(String name, HeapImage image, Map<String, Long> zeroFillSymbols) {
        // Native entries of methods and send-cache targets (stubs) are both tagged code addresses.
        Map<Integer, String> codeSlots = new TreeMap<>(image.entryOffsets());
        codeSlots.putAll(image.stubRefs());
        return toDataImage(name, image.bytes(), image.pointerOffsets(), codeSlots, image.symbols(), zeroFillSymbols);
    }

    /**
     * @param pointerOffsets offsets of words that hold an offset into the image
     * @param entryOffsets   offsets of words that receive a code symbol's address, tagged: native
     *                       entries and send-cache targets
     * @param symbols        data symbols: name to offset
     * @param zeroFillSymbols symbols at or beyond the image's end (rounded up to 16): name to offset
     */
    public static DataImage toDataImage(String name, byte[] bytes, int[] pointerOffsets, Map<Integer, String> entryOffsets,
                                        Map<String, Integer> symbols, Map<String, Long> zeroFillSymbols) {
        long imageEnd = (bytes.length + 15L) & -16L;
        long zeroFill = 0;
        for (Map.Entry<String, Long> e : zeroFillSymbols.entrySet()) {
            if (e.getValue() < imageEnd) {
                throw new LinkException(name + ": zero-fill symbol '" + e.getKey() + "' lies inside the image");
            }
            zeroFill = Math.max(zeroFill, e.getValue() - imageEnd);
        }
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
        Map<String, Long> all = new java.util.HashMap<>();
        symbols.forEach((k, v) -> all.put(k, (long) v));
        all.putAll(zeroFillSymbols);
        Long start = all.putIfAbsent(IMAGE_START, 0L);
        if (start != null && start != 0) throw new LinkException(name + ": symbol '" + IMAGE_START + "' is not at offset 0");
        List<DataImage.Symbol> dataSymbols = new ArrayList<>();
        // In offset order, then by name, so the executable does not depend on map iteration order.
        all.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> dataSymbols.add(new DataImage.Symbol(e.getKey(), e.getValue(), 0)));
        return new DataImage(name, bytes, zeroFill, dataSymbols, relocations);
    }

    private static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = v << 8 | (b[at + i] & 0xFF);
        return v;
    }
}
