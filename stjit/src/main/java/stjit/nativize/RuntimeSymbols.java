package stjit.nativize;

/**
 * Names of the stubs (Java templates, {@link Stubs}) and of the kernel/Runtime methods that
 * native code calls directly. A method symbol names its checked entry; the unchecked entry is
 * {@link #UNCHECKED_OFFSET} bytes further.
 */
public final class RuntimeSymbols {
    private RuntimeSymbols() {}

    public static final int UNCHECKED_OFFSET = 48;

    public static final String SEND_MISS = "stub:sendMiss";
    public static final String SUPER_SEND_MISS = "stub:superSendMiss";
    public static final String ALLOC_SLOW = "stub:allocSlow";
    public static final String REMEMBER = "stub:remember";
    public static final String STACK_OVERFLOW = "stub:stackOverflow";
    public static final String NON_LOCAL_RETURN = "stub:nonLocalReturn";
    public static final String ENTRY = "stub:entry";
    public static final String EXIT_TO_HOST = "stub:exitToHost";
    public static final String JIT_TRAMPOLINE = "stub:jitTrampoline";

    /** Smalltalk methods the stubs call (class side of Runtime and Memory in kernel/Runtime). */
    public static final String LOOKUP = "Runtime class>>lookup:receiver:cell:frame:";
    public static final String SUPER_LOOKUP = "Runtime class>>superLookup:receiver:cell:frame:";
    public static final String UNWIND = "Runtime class>>unwindTo:";
    public static final String CANNOT_RETURN = "Runtime class>>cannotReturn:from:";
    public static final String STACK_OVERFLOWED = "Runtime class>>stackOverflow";
    public static final String INTERRUPTED = "Runtime class>>interrupted:";
    public static final String COLLECT = "Memory class>>collectGarbageFor:";
}
