package strun;

import st.format.model.Module;
import st.format.model.NativeCode;
import stjit.image.Globals;
import stjit.image.HeapImage;
import stjit.image.HeapImage.CodeInfo;
import stjit.image.ImageBuilder;
import stjit.image.Layout;
import stjit.nativize.Nativizer;
import stjit.nativize.RuntimeSymbols;
import stjit.nativize.Stubs;
import stjit.x64.Assembled;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * Runs a program in this process: lays out the heap from the modules, maps heap, stack and code
 * zone, and enters the Smalltalk runtime (Runtime class>>start) through the entry stub. Methods
 * are nativized when the Smalltalk lookup first finds them: it calls {@link #jit} through an FFM
 * upcall. This class holds no object model of its own: the heap is only read here to find which
 * method an upcall names.
 */
public final class Host implements AutoCloseable {

    /** Sizes and switches of one run. */
    /** heapMaxBytes: the limit of live old data (0: ST_HEAP_MAX, else the kernel's default). */
    public record Options(long newSpaceBytes, long stackBytes, long codeBytes, int gcTorturePeriod,
                          boolean traceJit, boolean perfMap, PrintStream log, long heapMaxBytes) {
        public Options(long newSpaceBytes, long stackBytes, long codeBytes, int gcTorturePeriod,
                       boolean traceJit, boolean perfMap, PrintStream log) {
            this(newSpaceBytes, stackBytes, codeBytes, gcTorturePeriod, traceJit, perfMap, log, 0);
        }

        public static Options defaults() {
            return new Options(32L << 20, 16L << 20, 256L << 20, 0, false, false, System.err);
        }

        public Options withTorture(int period) {
            return new Options(newSpaceBytes, stackBytes, codeBytes, period, traceJit, perfMap, log, heapMaxBytes);
        }

        public Options withHeapMax(long bytes) {
            return new Options(newSpaceBytes, stackBytes, codeBytes, gcTorturePeriod, traceJit, perfMap, log, bytes);
        }
    }

    /** What a run did: the exit status and the statistics of --stats. */
    public record Outcome(int exitStatus, int methodsNativized, long codeBytes, long gcCount, long gcMicros,
                          long nativizeNanos, GcStatistics gc) {}

    /** The collector's counters (globals block, docs/RUNTIME.md section 12). */
    public record GcStatistics(long scavenges, long fullCollections, long scavengeMicros, long scavengeMaxMicros,
                               long fullMicros, long fullMaxMicros, long bytesTenured, long bytesSurvived,
                               long oldBytesUsed, long oldBytesMapped, long heapMax) {}

    private final Options options;
    private final HeapImage image;
    private final Nativizer nativizer;
    private final Arena arena = Arena.ofConfined();
    private final long heapBase, heapSize, stackLow, codeBase;
    private final MemorySegment globals;
    private long codeTop;
    private final Map<String, Long> codeSymbols = new HashMap<>();
    private final Map<Long, CodeInfo> methodsByOop = new HashMap<>();
    private final Map<String, CodeInfo> methodsBySymbol = new HashMap<>();
    private final Map<String, CodeInfo> blocksBySymbol = new HashMap<>();
    private final List<String> perfLines = new ArrayList<>();
    private int methodsNativized;
    private long nativizeNanos;
    private final long argvMemory;

    public Host(List<Module> modules, List<String> programArguments, Options options) {
        this.options = options;
        this.image = ImageBuilder.build(modules);
        this.nativizer = new Nativizer(image);
        long imageBytes = NativeMemory.roundUp(image.bytes().length);
        heapSize = imageBytes + 2 * options.newSpaceBytes();
        heapBase = NativeMemory.map(heapSize, NativeMemory.PROT_READ | NativeMemory.PROT_WRITE);
        stackLow = NativeMemory.map(options.stackBytes(), NativeMemory.PROT_READ | NativeMemory.PROT_WRITE);
        NativeMemory.protect(stackLow, NativeMemory.PAGE, NativeMemory.PROT_NONE); // the guard page
        codeBase = NativeMemory.map(options.codeBytes(), NativeMemory.PROT_READ | NativeMemory.PROT_WRITE);
        codeTop = codeBase;
        globals = arena.allocate(Globals.SIZE, 16);

        loadImage(imageBytes);
        for (CodeInfo c : image.codeList()) {
            if (!c.block()) {
                methodsByOop.put(heapBase + c.objectOffset(), c);
                methodsBySymbol.put(c.symbol(), c);
            }
        }
        for (CodeInfo c : image.codeList()) if (c.block()) blocksBySymbol.put(c.symbol(), c);
        argvMemory = writeArguments(programArguments);
        boolean kernelIsLibrary = modules.getFirst().nativeCode() != null;
        if (!kernelIsLibrary) installStubs();
        placeLibraries(modules);
        if (kernelIsLibrary) installStubs();
        if (System.getenv("ST_DEBUG") != null)
            options.log().printf("strun: heap %x-%x, stack %x-%x, code %x-%x%n", heapBase, heapBase + heapSize, stackLow,
                    stackLow + options.stackBytes(), codeBase, codeBase + options.codeBytes());
    }

    private void loadImage(long imageBytes) {
        MemorySegment heap = NativeMemory.at(heapBase, heapSize);
        byte[] bytes = image.bytes();
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, heap, 0, bytes.length);
        for (int offset : image.pointerOffsets()) heap.set(JAVA_LONG, offset, heap.get(JAVA_LONG, offset) + heapBase);
        long newSpace = heapBase + imageBytes;
        long survivor = newSpace + options.newSpaceBytes();
        setGlobal(Globals.ALLOC_PTR, newSpace);
        setGlobal(Globals.ALLOC_LIMIT, options.gcTorturePeriod() > 0 ? newSpace : newSpace + options.newSpaceBytes());
        setGlobal(Globals.NEW_SPACE_START, newSpace);
        setGlobal(Globals.NEW_SPACE_END, newSpace + options.newSpaceBytes());
        setGlobal(Globals.SURVIVOR_START, survivor);
        setGlobal(Globals.SURVIVOR_END, survivor + options.newSpaceBytes());
        setGlobal(Globals.IMAGE_START, heapBase);
        setGlobal(Globals.IMAGE_END, heapBase + bytes.length);
        setGlobal(Globals.STACK_BASE, stackLow + options.stackBytes());
        setGlobal(Globals.STACK_LIMIT, stackLow + NativeMemory.PAGE + 2L * Stubs.STACK_RESERVE);
        setGlobal(Globals.NORMAL_STACK_LIMIT, global(Globals.STACK_LIMIT));
        setGlobal(Globals.GC_TORTURE_PERIOD, options.gcTorturePeriod());
        setGlobal(Globals.TORTURE_COUNTDOWN, options.gcTorturePeriod());
        setGlobal(Globals.HOSTED, 1);
        setGlobal(Globals.HEAP_MAX, options.heapMaxBytes() > 0 ? options.heapMaxBytes() : heapMaxFromEnvironment());
    }

    /** ST_HEAP_MAX (bytes, or with a k/m/g suffix), or 0 for the kernel's default. */
    private long heapMaxFromEnvironment() {
        String value = System.getenv("ST_HEAP_MAX");
        if (value == null || value.isBlank()) return 0;
        try {
            return parseSize(value);
        } catch (IllegalArgumentException e) {
            options.log().println("strun: ignoring ST_HEAP_MAX: " + e.getMessage());
            return 0;
        }
    }

    /** A byte count: digits with an optional k, m or g suffix (powers of 1024). */
    public static long parseSize(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        long unit = 1;
        if (t.endsWith("k")) unit = 1L << 10;
        else if (t.endsWith("m")) unit = 1L << 20;
        else if (t.endsWith("g")) unit = 1L << 30;
        if (unit != 1) t = t.substring(0, t.length() - 1);
        if (t.isEmpty() || !t.chars().allMatch(Character::isDigit) || t.length() > 12)
            throw new IllegalArgumentException("not a size: " + text);
        long n = Long.parseLong(t);
        if (n <= 0 || n > (1L << 46) / unit) throw new IllegalArgumentException("size out of range: " + text);
        return n * unit;
    }

    /**
     * The argument vector as on a Linux process's initial stack: the arguments, NULL, then the
     * environment's NAME=value strings and NULL (OS class>>environmentAt: reads them there).
     */
    private long writeArguments(List<String> args) {
        List<String> environment = new ArrayList<>();
        System.getenv().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> environment.add(e.getKey() + "=" + e.getValue()));
        MemorySegment vector = arena.allocate(8L * (args.size() + environment.size() + 2), 8);
        for (int i = 0; i < args.size(); i++) vector.setAtIndex(JAVA_LONG, i, cString(args.get(i)));
        vector.setAtIndex(JAVA_LONG, args.size(), 0);
        for (int i = 0; i < environment.size(); i++)
            vector.setAtIndex(JAVA_LONG, args.size() + 1 + i, cString(environment.get(i)));
        vector.setAtIndex(JAVA_LONG, args.size() + 1 + environment.size(), 0);
        setGlobal(Globals.ARGC, args.size());
        setGlobal(Globals.ARGV, vector.address());
        return vector.address();
    }

    private long cString(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        MemorySegment s = arena.allocate(b.length + 1L);
        MemorySegment.copy(MemorySegment.ofArray(b), 0, s, 0, b.length);
        s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, b.length, (byte) 0);
        return s.address();
    }

    private void setGlobal(int offset, long value) { globals.set(JAVA_LONG, offset, value); }

    private static final java.lang.invoke.VarHandle GLOBAL_WORD = JAVA_LONG.varHandle();

    /**
     * Asks the running program to stop with {@code status} (124 for a timeout, 130 for SIGINT)
     * at its next interrupt point, a prologue or a loop back edge: the request goes into the
     * globals block first, then the stack limit is set to all ones so the stack check traps
     * (docs/RUNTIME.md, section 6). Safe from any thread; the stores are ordered.
     */
    public void requestInterrupt(int status) {
        MemorySegment shared = MemorySegment.ofAddress(globals.address()).reinterpret(Globals.SIZE);
        GLOBAL_WORD.setVolatile(shared, (long) Globals.INTERRUPT, (long) status);
        GLOBAL_WORD.setVolatile(shared, (long) Globals.STACK_LIMIT, -1L);
    }

    /** Whether an interrupt was requested and not yet taken by the program. */
    public boolean interruptPending() {
        MemorySegment shared = MemorySegment.ofAddress(globals.address()).reinterpret(Globals.SIZE);
        return (long) GLOBAL_WORD.getVolatile(shared, (long) Globals.INTERRUPT) != 0;
    }

    private long global(int offset) { return globals.get(JAVA_LONG, offset); }

    /**
     * Methods that stjit already nativized run as they are: each library's text goes into the code
     * zone, its symbols are defined, its relocations applied, and its methods' nativeEntry set.
     */
    private void placeLibraries(List<Module> modules) {
        Map<Module, Long> placedAt = new java.util.IdentityHashMap<>();
        for (Module m : modules) {
            NativeCode nc = m.nativeCode();
            if (nc == null) continue;
            long at = (codeTop + 63) & -64;
            if (at + nc.text().length > codeBase + options.codeBytes()) throw new IllegalStateException("the code zone is full");
            codeTop = at + nc.text().length;
            placedAt.put(m, at);
            for (NativeCode.Symbol sym : nc.symbols()) codeSymbols.putIfAbsent(sym.name(), at + sym.offset());
        }
        MemorySegment heap = NativeMemory.at(heapBase, heapSize);
        for (Module m : modules) {
            Long at = placedAt.get(m);
            if (at == null) continue;
            NativeCode nc = m.nativeCode();
            byte[] text = nc.text().clone();
            // _start and the elf:* stubs (signal handlers) belong to executables: strun never runs
            // them, and the zero-fill symbols they refer to exist only in a linked executable.
            List<NativeCode.Symbol> executableOnly = nc.symbols().stream()
                    .filter(x -> x.name().equals("_start") || x.name().startsWith("elf:")).toList();
            for (NativeCode.Relocation r : nc.relocations()) {
                if (executableOnly.stream().anyMatch(x -> r.offset() >= x.offset() && r.offset() < x.offset() + x.size())) continue;
                long target = address(r.target()) + r.addend();
                switch (r.kind()) {
                    case ABS64 -> MemorySegment.ofArray(text).set(JAVA_LONG_UNALIGNED, r.offset(), target);
                    case REL32 -> MemorySegment.ofArray(text).set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, r.offset(),
                            (int) (target - (at + r.offset() + 4)));
                }
            }
            long pageStart = at & -NativeMemory.PAGE;
            long pageEnd = NativeMemory.roundUp(at + text.length);
            NativeMemory.protect(pageStart, pageEnd - pageStart, NativeMemory.PROT_READ | NativeMemory.PROT_WRITE);
            MemorySegment.copy(MemorySegment.ofArray(text), 0, NativeMemory.at(at, text.length), 0, text.length);
            NativeMemory.protect(pageStart, pageEnd - pageStart, NativeMemory.PROT_READ | NativeMemory.PROT_EXEC);
            for (NativeCode.Symbol sym : nc.symbols()) {
                CodeInfo c = sym.kind() == NativeCode.SymbolKind.BLOCK ? blocksBySymbol.get(sym.name()) : methodsBySymbol.get(sym.name());
                if (c != null && codeSymbols.get(sym.name()) == at + sym.offset())
                    heap.set(JAVA_LONG, c.objectOffset() + Layout.slotOffset(Layout.CM_NATIVE_ENTRY), at + sym.offset() + 1);
                if (options.perfMap())
                    perfLines.add(Long.toHexString(at + sym.offset()) + " " + Long.toHexString(sym.size()) + " " + sym.name());
            }
        }
    }

    private void installStubs() {
        if (codeSymbols.containsKey(RuntimeSymbols.SEND_MISS)) { // the kernel library brought them
            fillStubRefs();
            installUpcall();
            return;
        }
        Stubs.Code stubs = Stubs.emit();
        long at = place(stubs.code(), stubs.entries(), "stubs");
        fillStubRefs();
        installUpcall();
        if (at == 0) throw new IllegalStateException("no stubs");
    }

    private void fillStubRefs() {
        MemorySegment heap = NativeMemory.at(heapBase, heapSize);
        for (var e : image.stubRefs().entrySet()) heap.set(JAVA_LONG, e.getKey(), codeSymbols.get(e.getValue()) + 1);
    }

    private void installUpcall() {
        MethodHandle jit;
        try {
            jit = MethodHandles.lookup().bind(this, "jit", MethodType.methodType(long.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        MemorySegment upcall = Linker.nativeLinker().upcallStub(jit, FunctionDescriptor.of(JAVA_LONG, JAVA_LONG), arena);
        setGlobal(Globals.JIT_UPCALL, upcall.address());
    }

    /**
     * Copies assembled code into the code zone (16-aligned), defines its symbols, then applies its
     * relocations, nativizing the methods it calls directly on the way. Pages are flipped to
     * read-execute afterwards.
     */
    private long place(Assembled code, List<Nativizer.Entry> entries, String what) {
        long at = (codeTop + 63) & -64;
        int size = code.size();
        if (at + size > codeBase + options.codeBytes()) throw new IllegalStateException("the code zone is full");
        codeTop = at + size;
        for (Nativizer.Entry e : entries) codeSymbols.put(e.symbol(), at + e.offset());
        for (NativeCode.Relocation r : code.relocations()) address(r.target()); // may place more code
        byte[] bytes = code.relocatedAt(at, this::address);
        long pageStart = at & -NativeMemory.PAGE;
        long pageEnd = NativeMemory.roundUp(at + size);
        NativeMemory.protect(pageStart, pageEnd - pageStart, NativeMemory.PROT_READ | NativeMemory.PROT_WRITE);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, NativeMemory.at(at, size), 0, size);
        NativeMemory.protect(pageStart, pageEnd - pageStart, NativeMemory.PROT_READ | NativeMemory.PROT_EXEC);
        if (options.perfMap()) for (Nativizer.Entry e : entries)
            perfLines.add(Long.toHexString(at + e.offset()) + " " + Long.toHexString(size - e.offset()) + " " + e.symbol());
        return at;
    }

    /** The address of a symbol the code refers to: heap objects, stubs and (nativized on demand) methods. */
    private long address(String symbol) {
        Long code = codeSymbols.get(symbol);
        if (code != null) return code;
        Integer data = image.symbols().get(symbol);
        if (data != null) return heapBase + data;
        // The kernel library's executable-only stubs (the signal handlers next to _start) name the
        // globals block, which an executable keeps in its zero fill and strun in its own memory.
        if (symbol.equals("heap:globals")) return globals.address();
        CodeInfo method = methodsBySymbol.get(symbol);
        if (method != null) {
            nativize(method);
            return codeSymbols.get(symbol);
        }
        throw new IllegalStateException("undefined symbol " + symbol);
    }

    private void nativize(CodeInfo method) {
        long start = System.nanoTime();
        Nativizer.Result result = nativizer.nativize(method);
        // Define the entries before placing, so that recursive and mutually recursive static calls resolve.
        long at = place(result.code(), result.entries(), method.symbol());
        MemorySegment heap = NativeMemory.at(heapBase, heapSize);
        for (Nativizer.Entry e : result.entries()) {
            long entrySlot = e.info().objectOffset() + Layout.slotOffset(Layout.CM_NATIVE_ENTRY);
            heap.set(JAVA_LONG, entrySlot, at + e.offset() + 1);
        }
        methodsNativized++;
        nativizeNanos += System.nanoTime() - start;
        if (options.traceJit())
            options.log().printf("jit: %s at %x (%d bytes)%n", method.symbol(), at, result.code().size());
    }

    /** The nativizer upcall: {@code long jit(long compiledMethodOop)}. Never throws into native code. */
    long jit(long methodOop) {
        try {
            CodeInfo method = methodsByOop.get(methodOop);
            if (method == null) return 0;
            if (!codeSymbols.containsKey(method.symbol())) nativize(method);
            return codeSymbols.get(method.symbol());
        } catch (Throwable t) {
            options.log().println("strun: cannot nativize: " + t.getMessage());
            return 0;
        }
    }

    /** Runs Runtime class>>start and answers the program's exit status. */
    public Outcome run() {
        long entry = address(RuntimeSymbols.ENTRY);
        long start = address("Runtime class>>start") + RuntimeSymbols.UNCHECKED_OFFSET;
        long receiver = address("class:Runtime");
        MethodHandle handle = Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(entry),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        long status;
        MemorySegment jvmActions = installFaultHandlers();
        try {
            status = (long) handle.invokeExact(globals.address(), stackLow + options.stackBytes(), receiver, start);
        } catch (Throwable t) {
            throw new IllegalStateException("the entry stub failed", t);
        } finally {
            restoreFaultHandlers(jvmActions);
        }
        int exit = (status & 1) == 1 ? (int) (status >> 1) : 0;
        if (options.perfMap()) writePerfMap();
        GcStatistics gc = new GcStatistics(global(Globals.SCAVENGES), global(Globals.FULL_COLLECTIONS),
                global(Globals.SCAVENGE_MICROS), global(Globals.SCAVENGE_MAX_MICROS), global(Globals.FULL_MICROS),
                global(Globals.FULL_MAX_MICROS), global(Globals.BYTES_TENURED), global(Globals.BYTES_SURVIVED),
                global(Globals.OLD_FREE) - global(Globals.OLD_START), global(Globals.OLD_END) - global(Globals.OLD_START),
                global(Globals.HEAP_MAX));
        return new Outcome(exit, methodsNativized, codeTop - codeBase, global(Globals.GC_COUNT), global(Globals.GC_MICROS),
                nativizeNanos, gc);
    }

    // ---- native faults ----------------------------------------------------------------------

    /** SIGILL, SIGBUS, SIGFPE, SIGSEGV: faults of native code. */
    private static final int[] FAULT_SIGNALS = {4, 7, 8, 11};
    /** glibc's struct sigaction: handler, 128 bytes of mask, int flags, restorer. */
    private static final int SIGACTION_SIZE = 152, SA_FLAGS = 136;
    private static final int SA_SIGINFO = 4, SA_ONSTACK = 0x08000000, SA_RESTART = 0x10000000;
    private static final MethodHandle SIGACTION = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("sigaction").orElseThrow(),
            FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT, java.lang.foreign.ValueLayout.JAVA_INT, JAVA_LONG, JAVA_LONG));

    /**
     * Installs, over the JVM's handlers, one per fault signal that reports a fault in the code
     * zone the way an executable does (Stubs.emitHostedFaultHandler: Class>>selector+offset, a
     * backtrace, status 134) and passes every other fault on to the JVM's handler. Answers the
     * JVM's actions, to put back when the program is done. ST_NO_FAULT_HANDLER=1 leaves the
     * JVM's alone (its crash report then names the address in the code zone).
     */
    private MemorySegment installFaultHandlers() {
        if (System.getenv("ST_NO_FAULT_HANDLER") != null) return null;
        MemorySegment jvm = arena.allocate((long) SIGACTION_SIZE * FAULT_SIGNALS.length, 16);
        MemorySegment ours = arena.allocate(SIGACTION_SIZE, 16);
        for (int i = 0; i < FAULT_SIGNALS.length; i++) {
            int signal = FAULT_SIGNALS[i];
            MemorySegment previous = jvm.asSlice((long) i * SIGACTION_SIZE, SIGACTION_SIZE);
            sigaction(signal, 0, previous.address()); // read the JVM's first: ours chains to it
            Stubs.Code handler = Stubs.emitHostedFaultHandler(signal, globals.address(), codeBase,
                    codeBase + options.codeBytes(), previous.address());
            place(handler.code(), handler.entries(), "fault handler");
            ours.fill((byte) 0);
            ours.set(JAVA_LONG, 0, codeSymbols.get("host:onFault:" + signal));
            ours.set(java.lang.foreign.ValueLayout.JAVA_INT, SA_FLAGS, SA_SIGINFO | SA_ONSTACK | SA_RESTART);
            sigaction(signal, ours.address(), 0);
        }
        return jvm;
    }

    private void restoreFaultHandlers(MemorySegment jvm) {
        if (jvm == null) return;
        for (int i = 0; i < FAULT_SIGNALS.length; i++)
            sigaction(FAULT_SIGNALS[i], jvm.address() + (long) i * SIGACTION_SIZE, 0);
    }

    private static void sigaction(int signal, long action, long previous) {
        int rc;
        try {
            rc = (int) SIGACTION.invokeExact(signal, action, previous);
        } catch (Throwable t) {
            throw new IllegalStateException("sigaction failed", t);
        }
        if (rc != 0) throw new IllegalStateException("sigaction(" + signal + ") failed");
    }

    private void writePerfMap() {
        try {
            java.nio.file.Files.write(java.nio.file.Path.of("/tmp/perf-" + ProcessHandle.current().pid() + ".map"), perfLines);
        } catch (java.io.IOException e) {
            options.log().println("strun: cannot write the perf map: " + e.getMessage());
        }
    }

    @Override public void close() {
        NativeMemory.unmap(heapBase, heapSize);
        NativeMemory.unmap(stackLow, options.stackBytes());
        NativeMemory.unmap(codeBase, options.codeBytes());
        arena.close();
        if (argvMemory == 0) throw new IllegalStateException();
    }
}
