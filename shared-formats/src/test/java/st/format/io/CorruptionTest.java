package st.format.io;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.*;

/** Truncated, flipped and hostile files must all end in a FormatException with a message. */
class CorruptionTest {

    private static void assertRefused(byte[] bytes, String what) {
        try {
            ModuleReader.read(bytes);
            fail(what + ": read without error");
        } catch (FormatException e) {
            assertNotNull(e.getMessage(), what);
            assertFalse(e.getMessage().isBlank(), what);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError(what + ": " + e, e);
        }
    }

    /** Reading may succeed (the file is still well formed) but must not fail any other way. */
    private static void assertReadsOrRefuses(byte[] bytes, String what) {
        try {
            ModuleReader.read(bytes);
        } catch (FormatException e) {
            assertFalse(e.getMessage().isBlank(), what);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError(what + ": " + e, e);
        }
    }

    @Test void truncationAtEveryOffsetIsRefused() {
        byte[] file = ModuleWriter.write(Samples.library());
        for (int n = 0; n < file.length; n++) assertRefused(Arrays.copyOf(file, n), "truncated to " + n);
    }

    @Test void everySingleByteFlipIsDetected() {
        byte[] file = ModuleWriter.write(Samples.library());
        for (int i = 0; i < file.length; i++) {
            for (int mask : new int[] {0x01, 0x80, 0xFF}) {
                byte[] bad = file.clone();
                bad[i] ^= (byte) mask;
                assertRefused(bad, "flip " + Integer.toHexString(mask) + " at " + i);
            }
        }
    }

    @Test void appendedBytesAreRefused() {
        byte[] file = ModuleWriter.write(Samples.module());
        assertRefused(Arrays.copyOf(file, file.length + 8), "appended");
    }

    /**
     * Checksums catch flips before parsing, so to exercise the section parsers themselves every
     * byte is flipped and the checksums are then recomputed, as a hostile writer would.
     */
    @Test void flipsBehindValidChecksumsNeverEscapeAsRuntimeErrors() throws Exception {
        byte[] file = ModuleWriter.write(Samples.library());
        FileLayout layout = ModuleReader.layout(file);
        int tableEnd = Format.HEADER_SIZE + layout.sections().size() * Format.SECTION_ENTRY_SIZE;
        for (int i = 0; i < file.length; i++) {
            for (int mask : new int[] {0x01, 0x10, 0x80, 0xFF}) {
                byte[] bad = file.clone();
                bad[i] ^= (byte) mask;
                reseal(bad, layout, tableEnd);
                assertReadsOrRefuses(bad, "resealed flip " + Integer.toHexString(mask) + " at " + i);
            }
        }
    }

    @Test void hostileCountsDoNotAllocate() throws Exception {
        byte[] file = ModuleWriter.write(Samples.module());
        FileLayout layout = ModuleReader.layout(file);
        int tableEnd = Format.HEADER_SIZE + layout.sections().size() * Format.SECTION_ENTRY_SIZE;
        for (FileLayout.Entry e : layout.sections()) {
            if (e.length() < 4) continue;
            byte[] bad = file.clone();
            put32(bad, (int) e.offset(), 0x7FFFFFFF);
            reseal(bad, layout, tableEnd);
            var ex = assertThrows(FormatException.class, () -> ModuleReader.read(bad), e.tag());
            assertTrue(ex.getMessage().startsWith("section " + e.tag()), ex.getMessage());
        }
    }

    @Test void namedErrors() throws Exception {
        byte[] file = ModuleWriter.write(Samples.module());
        FileLayout layout = ModuleReader.layout(file);
        int tableEnd = Format.HEADER_SIZE + layout.sections().size() * Format.SECTION_ENTRY_SIZE;

        assertEquals("not a module, library or image file (bad magic number)",
                message("hello world, this is not a module at all".getBytes()));
        assertEquals("truncated header (3 bytes)", message(Arrays.copyOf(file, 3)));

        byte[] newer = file.clone();
        newer[8] = 2;
        newer[10] = 0;
        assertEquals("format version 2.0 is newer than this toolchain reads (1.x); use a newer toolchain", message(newer));

        byte[] newerMinor = file.clone();
        newerMinor[10] = 9;
        ModuleWriter.Out.put32(newerMinor, 32, ModuleWriter.headerCrc(newerMinor, tableEnd));
        assertEquals(9, ModuleReader.layout(newerMinor).minor(), "a newer minor version is accepted");

        byte[] flipped = file.clone();
        FileLayout.Entry meth = layout.find(Section.METH.id);
        flipped[(int) meth.offset() + 5] ^= 1;
        assertEquals("bad checksum in section METH", message(flipped));

        byte[] truncated = Arrays.copyOf(file, file.length - 1);
        assertTrue(message(truncated).startsWith("truncated file ("), message(truncated));

        // The first method's class name is a string index; point it past the table.
        byte[] badIndex = file.clone();
        put32(badIndex, (int) meth.offset() + 4, 77);
        reseal(badIndex, layout, tableEnd);
        int strings = ModuleReader.read(file).module().sourceFiles().size();
        assertTrue(strings > 0);
        assertTrue(message(badIndex).matches("section METH, entry 0: string index 77 out of range \\(\\d+ strings\\)"),
                message(badIndex));
    }

    @Test void endlessStreamsAreReadOnlyAsFarAsTheHeaderSays() throws Exception {
        byte[] file = ModuleWriter.write(Samples.module());
        var endless = new java.io.InputStream() {
            long at;
            @Override public int read() { return at < file.length ? file[(int) at++] & 0xFF : 0; }
        };
        byte[] read = ModuleReader.readAll(endless);
        assertEquals(file.length + 1, read.length);
        assertEquals("1 unexpected bytes after the end of the file", message(read));
        assertArrayEquals(file, ModuleReader.readAll(new java.io.ByteArrayInputStream(file)));

        byte[] huge = file.clone();
        put32(huge, 28, 0x10); // file length 2^36
        assertThrows(FormatException.class, () -> ModuleReader.readAll(new java.io.ByteArrayInputStream(huge)));
    }

    @Test void unknownSectionsOfANewerMinorAreKeptAsRawBytes() throws Exception {
        var raw = new java.util.TreeMap<Integer, byte[]>();
        raw.put(Section.idOf("XTRA"), new byte[] {9, 9});
        ModuleFile f = new ModuleFile(Samples.module(), raw);
        ModuleFile back = ModuleReader.read(ModuleWriter.write(f));
        assertArrayEquals(new byte[] {9, 9}, back.rawSections().get(Section.idOf("XTRA")));
    }

    private static String message(byte[] bytes) {
        return assertThrows(FormatException.class, () -> ModuleReader.read(bytes)).getMessage();
    }

    /** Recomputes every section checksum and the header checksum, keeping the table's lengths. */
    static void reseal(byte[] file, FileLayout layout, int tableEnd) {
        for (int i = 0; i < layout.sections().size(); i++) {
            FileLayout.Entry e = layout.sections().get(i);
            CRC32 crc = new CRC32();
            crc.update(file, (int) e.offset(), (int) e.length());
            put32(file, Format.HEADER_SIZE + i * Format.SECTION_ENTRY_SIZE + 4, (int) crc.getValue());
        }
        put32(file, 32, ModuleWriter.headerCrc(file, tableEnd));
    }

    static void put32(byte[] b, int at, int v) { ModuleWriter.Out.put32(b, at, v); }
}
