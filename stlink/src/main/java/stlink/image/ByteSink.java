package stlink.image;

import java.util.Arrays;

/**
 * A growable little-endian byte buffer for laying out headers and tables. Writers fill it in
 * order and patch earlier fields (sizes, checksums) once later parts are known.
 */
public final class ByteSink {
    private byte[] bytes = new byte[4096];
    private int size;

    public int size() { return size; }

    private void ensure(int capacity) {
        if (capacity > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(capacity, bytes.length * 2));
    }

    public ByteSink u8(int v) {
        ensure(size + 1);
        bytes[size++] = (byte) v;
        return this;
    }

    public ByteSink u16(int v) { return u8(v).u8(v >>> 8); }

    public ByteSink u32(long v) { return u16((int) v).u16((int) (v >>> 16)); }

    public ByteSink u64(long v) { return u32(v).u32(v >>> 32); }

    public ByteSink bytes(byte[] b) {
        ensure(size + b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
        return this;
    }

    /** {@code s} in ASCII, zero-padded or truncated to exactly {@code width} bytes. */
    public ByteSink fixedAscii(String s, int width) {
        for (int i = 0; i < width; i++) u8(i < s.length() ? s.charAt(i) : 0);
        return this;
    }

    public ByteSink zeros(int n) {
        ensure(size + n);
        size += n; // the array is zero beyond size: we never shrink
        return this;
    }

    /** Pads with zeros up to the next multiple of {@code alignment}. */
    public ByteSink alignTo(int alignment) {
        return zeros(Layouts.padding(size, alignment));
    }

    /** Pads with zeros up to {@code position}, which must not be behind the current size. */
    public ByteSink padTo(long position) {
        if (position < size) throw new IllegalStateException("cannot pad backwards to " + position + " from " + size);
        return zeros((int) (position - size));
    }

    public void putU16(int at, int v) {
        bytes[at] = (byte) v;
        bytes[at + 1] = (byte) (v >>> 8);
    }

    public void putU32(int at, long v) {
        putU16(at, (int) v);
        putU16(at + 2, (int) (v >>> 16));
    }

    public void putU64(int at, long v) {
        putU32(at, v);
        putU32(at + 4, v >>> 32);
    }

    public void put(int at, byte[] b) { System.arraycopy(b, 0, bytes, at, b.length); }

    public byte[] toByteArray() { return Arrays.copyOf(bytes, size); }
}
