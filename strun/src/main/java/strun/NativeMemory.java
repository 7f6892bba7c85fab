package strun;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Page mappings through libc's mmap/mprotect/munmap, called with FFM. strun maps the heap, the
 * Smalltalk stack (with a guard page) and the code zone this way; code pages are written while
 * read-write and then flipped to read-execute, never both.
 */
final class NativeMemory {
    static final int PAGE = 4096;
    static final int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    private static final int MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("mmap").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MPROTECT = LINKER.downcallHandle(LINKER.defaultLookup().find("mprotect").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("munmap").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));

    private NativeMemory() {}

    /** A fresh zero-filled private mapping. */
    static long map(long size, int protection) {
        long address;
        try {
            address = (long) MMAP.invokeExact(0L, roundUp(size), protection, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap failed", t);
        }
        if (address == -1L) throw new IllegalStateException("mmap of " + size + " bytes failed");
        return address;
    }

    static void protect(long address, long size, int protection) {
        int rc;
        try {
            rc = (int) MPROTECT.invokeExact(address, roundUp(size), protection);
        } catch (Throwable t) {
            throw new IllegalStateException("mprotect failed", t);
        }
        if (rc != 0) throw new IllegalStateException("mprotect(" + Long.toHexString(address) + ", " + size + ") failed");
    }

    static void unmap(long address, long size) {
        try {
            int ignored = (int) MUNMAP.invokeExact(address, roundUp(size));
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed", t);
        }
    }

    static long roundUp(long size) { return (size + PAGE - 1) & -PAGE; }

    /** A view of raw memory for reading and writing. */
    static MemorySegment at(long address, long size) { return MemorySegment.ofAddress(address).reinterpret(size); }
}
