package stjit.x64;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.function.ToLongFunction;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Runs assembled code on this CPU, for tests of what instructions do (not just how they are
 * encoded): maps a page read-write, copies the code in, flips it to read-execute (never both) and
 * calls it through an FFM downcall using the platform's C calling convention.
 */
final class CpuCode implements AutoCloseable {
    private static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP, MPROTECT, MUNMAP;

    static {
        SymbolLookup libc = LINKER.defaultLookup();
        MMAP = LINKER.downcallHandle(libc.find("mmap").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        MPROTECT = LINKER.downcallHandle(libc.find("mprotect").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        MUNMAP = LINKER.downcallHandle(libc.find("munmap").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    }

    /** True on Linux x86-64, where these tests can run. */
    static boolean supported() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    final MemorySegment segment;
    final long base;

    /**
     * Places the code, resolving relocations with {@code symbols}, which receives the base address
     * through {@link #base} (symbols inside the block resolve to base + offset).
     */
    CpuCode(Assembled code, java.util.function.LongFunction<ToLongFunction<String>> symbols) throws Throwable {
        long size = Math.max(4096, (code.size() + 4095) & ~4095L);
        MemorySegment m = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, size, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
        if (m.address() == -1L) throw new IllegalStateException("mmap failed");
        segment = m.reinterpret(size);
        base = segment.address();
        byte[] bytes = code.relocatedAt(base, symbols.apply(base));
        segment.copyFrom(MemorySegment.ofArray(bytes));
        int rc = (int) MPROTECT.invokeExact(segment, size, PROT_READ | PROT_EXEC);
        if (rc != 0) throw new IllegalStateException("mprotect failed");
    }

    CpuCode(Assembled code) throws Throwable {
        this(code, base -> name -> { throw new IllegalArgumentException("unexpected symbol " + name); });
    }

    /** A C-convention function at {@code offset} with the given signature. */
    MethodHandle function(int offset, FunctionDescriptor signature) {
        return LINKER.downcallHandle(MemorySegment.ofAddress(base + offset), signature);
    }

    /** Calls {@code long f(long...)} at offset 0. */
    long call(long... args) throws Throwable {
        return callAt(0, args);
    }

    long callAt(int offset, long... args) throws Throwable {
        java.lang.foreign.MemoryLayout[] params = new java.lang.foreign.MemoryLayout[args.length];
        java.util.Arrays.fill(params, JAVA_LONG);
        Object[] boxed = new Object[args.length];
        for (int i = 0; i < args.length; i++) boxed[i] = args[i];
        return (long) function(offset, FunctionDescriptor.of(JAVA_LONG, params)).invokeWithArguments(boxed);
    }

    @Override public void close() {
        int rc;
        try {
            rc = (int) MUNMAP.invokeExact(segment, segment.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed", t);
        }
        if (rc != 0) throw new IllegalStateException("munmap failed");
    }
}
