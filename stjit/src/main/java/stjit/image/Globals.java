package stjit.image;

/**
 * Offsets into the runtime globals block, the raw (non-heap) memory {@code r15} points at while
 * Smalltalk code runs (docs/RUNTIME.md, section 11). All fields are 64-bit raw values.
 */
public final class Globals {
    private Globals() {}

    public static final int ALLOC_PTR = 0;
    public static final int ALLOC_LIMIT = 8;
    public static final int STACK_LIMIT = 16;
    public static final int NEW_SPACE_START = 24;
    public static final int NEW_SPACE_END = 32;
    /** The native (C) stack pointer saved by the entry stub: upcalls and the exit to the host switch back to it. */
    public static final int NATIVE_RSP = 40;
    public static final int STACK_BASE = 48;
    public static final int GC_TORTURE_PERIOD = 56;
    public static final int IMAGE_START = 64;
    public static final int IMAGE_END = 72;
    /** Address of the FFM upcall stub of the nativizer (strun only; 0 in an executable). */
    public static final int JIT_UPCALL = 80;
    public static final int EXIT_CODE = 88;
    /** Non-zero when running inside strun: exiting returns to the host instead of calling exit. */
    public static final int HOSTED = 96;
    public static final int ARGC = 104;
    public static final int ARGV = 112;
    public static final int LOOKUPS = 120;
    public static final int GC_COUNT = 128;
    public static final int GC_MICROS = 136;
    public static final int TORTURE_COUNTDOWN = 144;
    /** Other half of the copying collector's new space. */
    public static final int SURVIVOR_START = 152;
    public static final int SURVIVOR_END = 160;
    public static final int NLR_SERIAL = 168;
    /** 16 bytes of scratch for syscall results (OS class>>microsecondClock). */
    public static final int SCRATCH = 176;
    /** How many doesNotUnderstand: sends are under way, nested (Runtime class>>doesNotUnderstand:...). */
    public static final int DNU_DEPTH = 192;
    /** The stack limit outside of stack-overflow handling: unwinding restores it. */
    public static final int NORMAL_STACK_LIMIT = 200;
    /**
     * A pending interrupt: 0 when none, else the exit status it asks for (124 strun --timeout, 130
     * SIGINT). Whoever requests one also sets the stack limit to all ones, so the next prologue or
     * loop back edge traps into stub:stackOverflow, which hands it to Runtime class>>interrupted:.
     */
    public static final int INTERRUPT = 208;
    /** Executables: the signal number of a native fault being reported (0 when none): a second fault exits at once. */
    public static final int FAULT = 216;
    // The generational collector's (kernel/Runtime/Memory.class.st, docs/RUNTIME.md section 12).
    /** Young space (eden and both survivor halves) as start and size: the write barrier's test. */
    public static final int YOUNG_START = 256;
    public static final int YOUNG_SIZE = 264;
    /** The remembered set: next free entry, limit, base (raw addresses of object headers). */
    public static final int REMEMBERED_NEXT = 272;
    public static final int REMEMBERED_LIMIT = 280;
    public static final int REMEMBERED_BASE = 288;
    public static final int OLD_START = 296;
    public static final int OLD_FREE = 304;
    public static final int OLD_END = 312;
    /** Survivors: the half in use, its top, the empty half, the size of a half. */
    public static final int SURVIVORS = 320;
    public static final int SURVIVORS_TOP = 328;
    public static final int OTHER_SURVIVORS = 336;
    public static final int SURVIVOR_HALF = 344;
    /** The heap limit (bytes of live old data); 0 until set (strun sets it, executables read ST_HEAP_MAX). */
    public static final int HEAP_MAX = 352;
    public static final int SCAVENGES = 360;
    public static final int FULL_COLLECTIONS = 368;
    public static final int SCAVENGE_MICROS = 376;
    public static final int FULL_MICROS = 384;
    public static final int SCAVENGE_MAX_MICROS = 392;
    public static final int FULL_MAX_MICROS = 400;
    public static final int BYTES_TENURED = 408;
    public static final int BYTES_SURVIVED = 416;
    public static final int GC_FLAGS = 424;
    /** 432-448: the weak list; 456-512: the collector's working state. */
    public static final int WEAK_LIST = 432;
    /**
     * The global method cache (docs/RUNTIME.md section 7): METHOD_CACHE_ENTRIES entries of 32 bytes
     * (selector address, receiver class index, target = native entry + 1, unused), filled by
     * Runtime class>>lookup:receiver:cell:frame: and probed by stub:sendMiss before it calls the
     * lookup. The entry of (selector, class index) is at
     * {@code ((selector & 0x7F8) + 8 * classIndex & 0x7F8) * 4}.
     */
    public static final int METHOD_CACHE = 640;
    public static final int METHOD_CACHE_ENTRIES = 256;
    public static final int METHOD_CACHE_ENTRY = 32;
    public static final int SIZE = METHOD_CACHE + METHOD_CACHE_ENTRIES * METHOD_CACHE_ENTRY;
}
