package stlink.link;

import st.format.model.NativeCode.RelocationKind;

import java.util.List;
import java.util.Objects;

/**
 * Initialised data the linker places in the executable's writable data, already relocated when
 * the program starts: the runtime's initial Smalltalk heap (classes, method dictionaries,
 * symbols, literals, compiled methods). The image builder makes one; the linker gives it an
 * address, applies its relocations and exports its symbols to the code. See docs/LINKER.md.
 *
 * @param name       how errors and the link map name it
 * @param bytes      the contents; placed 16-byte aligned at the start of the data section
 * @param zeroFill   bytes of zeroed memory that follow {@code bytes} immediately (rounded up to
 *                   16), such as free heap space, which take no room in the file
 * @param symbols    named places in the image, exported to every library
 * @param relocations 64-bit absolute addresses to store in {@code bytes}: each names a symbol of
 *                   any library, of this image, or one the linker defines
 */
public record DataImage(String name, byte[] bytes, long zeroFill, List<Symbol> symbols, List<Relocation> relocations) {

    /** Offsets at or beyond {@code bytes.length} (rounded up to 16) fall in the zero-filled part. */
    public record Symbol(String name, long offset, long size) {}

    /** The address of {@code target} plus {@code addend}, stored as 8 bytes at {@code offset}. */
    public record Relocation(long offset, String target, long addend) {
        public RelocationKind kind() { return RelocationKind.ABS64; }
    }

    public DataImage {
        Objects.requireNonNull(name);
        Objects.requireNonNull(bytes);
        if (zeroFill < 0) throw new IllegalArgumentException("negative zero fill");
        symbols = List.copyOf(symbols);
        relocations = List.copyOf(relocations);
    }
}
