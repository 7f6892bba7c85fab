package st.format.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * What an executable carries so that tools can read it as Smalltalk: every library it was linked
 * from (as the linker saw it, after {@code --gc-methods}), where each library's code landed, and
 * where the initial heap lies. {@code stlink} writes it into a section that is never loaded
 * ({@code .stlibs}); {@code stdump} reads it back. The layout is in docs/FORMAT.md, "Executables".
 *
 * <p>The reader trusts nothing: every count, length and offset is checked against the bytes that
 * hold it before use, and decompression is bounded by the length the entry declares.
 */
public final class LinkedLibraries {
    /** "\x89STX\r\n\x1A\n": the format's magic with X for executable. */
    public static final byte[] MAGIC = {(byte) 0x89, 'S', 'T', 'X', '\r', '\n', 0x1A, '\n'};
    public static final int VERSION = 1;
    /** The section's name in an ELF or PE executable (eight characters at most, for PE). */
    public static final String SECTION_NAME = ".stlibs";
    static final int MAX_LIBRARIES = 4096, MAX_NAME = 4096;
    /** Far above any real library (the kernel is under 2 MiB), far below a harmful allocation. */
    static final long MAX_LIBRARY_SIZE = 64L << 20;
    static final int FIXED = 8 + 4 + 4 + 8 + 8 + 8;

    /**
     * One linked library.
     *
     * @param name        the library's file name, without directories
     * @param textAddress where its code starts in memory
     * @param textSize    its code's length in bytes
     * @param library     the library file's bytes
     */
    public record Library(String name, long textAddress, long textSize, byte[] library) {}

    /**
     * @param heapAddress the initial heap's address (0 when there is none)
     * @param heapBytes   its initialised bytes
     * @param heapZeroFill the zero-filled memory that follows them
     */
    public record Contents(List<Library> libraries, long heapAddress, long heapBytes, long heapZeroFill) {
        public Contents { libraries = List.copyOf(libraries); }
    }

    private LinkedLibraries() {}

    public static byte[] write(Contents contents) {
        List<byte[]> names = new ArrayList<>(), blobs = new ArrayList<>();
        long size = FIXED;
        for (Library l : contents.libraries()) {
            byte[] name = l.name().getBytes(StandardCharsets.UTF_8);
            byte[] blob = deflate(l.library());
            names.add(name);
            blobs.add(blob);
            size += 4 + name.length + 8 + 8 + 4 + 4 + 4 + blob.length;
        }
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(contents.libraries().size());
        b.putLong(contents.heapAddress()).putLong(contents.heapBytes()).putLong(contents.heapZeroFill());
        for (int i = 0; i < names.size(); i++) {
            Library l = contents.libraries().get(i);
            CRC32 crc = new CRC32();
            crc.update(l.library());
            b.putInt(names.get(i).length).put(names.get(i)).putLong(l.textAddress()).putLong(l.textSize());
            b.putInt(blobs.get(i).length).putInt(l.library().length).putInt((int) crc.getValue());
            b.put(blobs.get(i));
        }
        return b.array();
    }

    public static Contents read(byte[] section) throws FormatException {
        ByteBuffer b = ByteBuffer.wrap(section).order(ByteOrder.LITTLE_ENDIAN);
        if (section.length < FIXED) throw new FormatException("linked-library table truncated (" + section.length + " bytes)");
        byte[] magic = new byte[8];
        b.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) throw new FormatException("linked-library table has a bad magic number");
        int version = b.getInt();
        if (version != VERSION) throw new FormatException("linked-library table version " + Integer.toUnsignedString(version) + " (this reader knows " + VERSION + ")");
        int count = b.getInt();
        if (count < 0 || count > MAX_LIBRARIES) throw new FormatException("linked-library table claims " + Integer.toUnsignedString(count) + " libraries");
        long heapAddress = b.getLong(), heapBytes = b.getLong(), heapZeroFill = b.getLong();
        if (heapBytes < 0 || heapZeroFill < 0) throw new FormatException("linked-library table: negative heap size");
        List<Library> libraries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String where = "linked library " + i;
            need(b, 4, where);
            int nameLength = b.getInt();
            if (nameLength < 0 || nameLength > MAX_NAME) throw new FormatException(where + ": name length " + Integer.toUnsignedString(nameLength));
            need(b, nameLength + 8 + 8 + 4 + 4 + 4, where);
            byte[] name = new byte[nameLength];
            b.get(name);
            long textAddress = b.getLong(), textSize = b.getLong();
            if (textSize < 0) throw new FormatException(where + ": negative text size");
            int compressed = b.getInt(), length = b.getInt(), crc = b.getInt();
            if (compressed < 0 || length < 0 || length > MAX_LIBRARY_SIZE)
                throw new FormatException(where + ": bad lengths (" + Integer.toUnsignedString(compressed) + " compressed, "
                        + Integer.toUnsignedString(length) + " bytes)");
            need(b, compressed, where);
            byte[] blob = new byte[compressed];
            b.get(blob);
            byte[] library = inflate(blob, length, where);
            CRC32 check = new CRC32();
            check.update(library);
            if ((int) check.getValue() != crc) throw new FormatException(where + ": checksum mismatch");
            libraries.add(new Library(new String(name, StandardCharsets.UTF_8), textAddress, textSize, library));
        }
        if (b.hasRemaining()) throw new FormatException("linked-library table: " + b.remaining() + " bytes after the last library");
        return new Contents(libraries, heapAddress, heapBytes, heapZeroFill);
    }

    private static void need(ByteBuffer b, long n, String where) throws FormatException {
        if (n > b.remaining()) throw new FormatException(where + " runs past the end of the table");
    }

    /** Deflate at a fixed level and strategy: the same bytes always compress to the same bytes. */
    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            d.setInput(data);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 3 + 64);
            byte[] chunk = new byte[1 << 16];
            while (!d.finished()) out.write(chunk, 0, d.deflate(chunk));
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    private static byte[] inflate(byte[] blob, int length, String where) throws FormatException {
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(blob);
            // Grown as data arrives, so a lying length costs only what the stream really holds.
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(length, 1 << 20));
            byte[] chunk = new byte[1 << 16];
            long total = 0;
            while (!inf.finished()) {
                int n = inf.inflate(chunk);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) break;
                total += n;
                if (total > length) break;
                out.write(chunk, 0, n);
            }
            if (!inf.finished() || total != length || inf.getRemaining() != 0)
                throw new FormatException(where + ": compressed data does not hold the declared " + length + " bytes");
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new FormatException(where + ": corrupt compressed data (" + e.getMessage() + ")");
        } finally {
            inf.end();
        }
    }
}
