package stlink.image;

import java.util.EnumMap;
import java.util.Map;

/** Applies a program's fixups once its sections have addresses. */
public final class Relocator {
    private Relocator() {}

    /** Raised when a fixup cannot be applied, such as a REL32 target beyond +-2 GiB. */
    public static final class RelocationException extends RuntimeException {
        public RelocationException(String message) { super(message); }
    }

    /**
     * Copies of the text, rodata and data sections with every fixup applied. The program itself is
     * left untouched.
     */
    public static Map<Section, byte[]> apply(Program program, AddressMap addresses) {
        Map<Section, byte[]> out = new EnumMap<>(Section.class);
        out.put(Section.TEXT, program.text().clone());
        out.put(Section.RODATA, program.rodata().clone());
        out.put(Section.DATA, program.data().clone());
        for (Fixup f : program.fixups()) {
            byte[] bytes = out.get(f.section());
            if (bytes == null) throw new RelocationException("relocation in " + f.section() + ", which has no contents");
            long target = addresses.addressOf(f.target()) + f.addend();
            switch (f.kind()) {
                case ABS64 -> {
                    check(f, bytes, 8);
                    putLong(bytes, (int) f.offset(), target);
                }
                case REL32 -> {
                    check(f, bytes, 4);
                    long site = addresses.addressOf(f.section()) + f.offset();
                    long displacement = target - (site + 4);
                    if (displacement != (int) displacement) {
                        throw new RelocationException(String.format(
                                "REL32 relocation at %s+0x%x cannot reach 0x%x", f.section(), f.offset(), target));
                    }
                    putInt(bytes, (int) f.offset(), (int) displacement);
                }
            }
        }
        return out;
    }

    private static void check(Fixup f, byte[] bytes, int width) {
        if (f.offset() < 0 || f.offset() + width > bytes.length) {
            throw new RelocationException(String.format("%s relocation at %s+0x%x lies outside the section (0x%x bytes)",
                    f.kind(), f.section(), f.offset(), bytes.length));
        }
    }

    static void putInt(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) b[at + i] = (byte) (v >>> (8 * i));
    }

    static void putLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) b[at + i] = (byte) (v >>> (8 * i));
    }
}
