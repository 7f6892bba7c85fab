package stjit.image;

import java.util.List;

/**
 * Slot layouts of the objects the runtime and the nativizer access by index (docs/RUNTIME.md,
 * sections 3, 5 and 11). The image builder checks that kernel/Runtime declares exactly these
 * instance variables, so the Smalltalk and Java views cannot drift apart silently.
 */
public final class Layout {
    private Layout() {}

    public static final List<String> BEHAVIOR = List.of("superclass", "methodDictionary", "instanceSpec", "classIndex");
    public static final int BEHAVIOR_SUPERCLASS = 0, BEHAVIOR_METHODS = 1, BEHAVIOR_SPEC = 2, BEHAVIOR_INDEX = 3;

    public static final List<String> CLASS = List.of("name", "instanceVariableNames", "classPool", "category");
    public static final int CLASS_NAME = 4, CLASS_IVARS = 5, CLASS_POOL = 6, CLASS_CATEGORY = 7;

    public static final List<String> METACLASS = List.of("thisClass");
    public static final int METACLASS_THIS_CLASS = 4;

    public static final List<String> METHOD_DICTIONARY = List.of("tally", "selectors", "methods");
    public static final int MD_TALLY = 0, MD_SELECTORS = 1, MD_METHODS = 2;

    public static final List<String> COMPILED_METHOD =
            List.of("nativeEntry", "literals", "selector", "methodClass", "numArgs", "flags", "sourcePointer", "sendCache");
    public static final int CM_NATIVE_ENTRY = 0, CM_LITERALS = 1, CM_SELECTOR = 2, CM_CLASS = 3, CM_NUM_ARGS = 4,
            CM_FLAGS = 5, CM_SOURCE = 6, CM_SEND_CACHE = 7;

    public static final List<String> COMPILED_BLOCK =
            List.of("nativeEntry", "literals", "outerMethod", "numArgs", "numCopied", "numTemps", "flags");
    public static final int CB_NATIVE_ENTRY = 0, CB_LITERALS = 1, CB_OUTER = 2, CB_NUM_ARGS = 3, CB_NUM_COPIED = 4,
            CB_NUM_TEMPS = 5, CB_FLAGS = 6;

    public static final List<String> BLOCK_CLOSURE = List.of("compiledBlock", "receiver", "homeFrame", "numArgs");
    public static final int BC_BLOCK = 0, BC_RECEIVER = 1, BC_HOME = 2, BC_NUM_ARGS = 3, BC_COPIED = 4;

    public static final List<String> MESSAGE = List.of("selector", "arguments");
    public static final List<String> ASSOCIATION = List.of("key", "value");
    public static final int ASSOC_KEY = 0, ASSOC_VALUE = 1;

    public static final List<String> SYSTEM_ROOTS =
            List.of("classTable", "symbolTable", "globals", "specialSelectors", "startup", "unwindChain");
    public static final int ROOTS_CLASS_TABLE = 0, ROOTS_SYMBOLS = 1, ROOTS_GLOBALS = 2, ROOTS_SPECIAL = 3,
            ROOTS_STARTUP = 4, ROOTS_UNWIND = 5;

    /** Byte offset of slot {@code i} from an oop. */
    public static int slotOffset(int i) { return ObjectModel.WORD * (i + 1); }

    /** Byte offsets of nil, true, false and the roots object from the start of the heap image. */
    public static final int NIL_OFFSET = 0, TRUE_OFFSET = 16, FALSE_OFFSET = 32, ROOTS_OFFSET = 48;
}
