package stjit.image;

import java.util.List;

/** The class indexes fixed by docs/RUNTIME.md, section 3; every other class gets the next free index. */
public final class ClassIndex {
    private ClassIndex() {}

    public static final int SMALL_INTEGER = 1;
    public static final int CHARACTER = 2;
    public static final int SMALL_FLOAT = 4;
    public static final int UNDEFINED_OBJECT = 5;
    public static final int TRUE = 6;
    public static final int FALSE = 7;
    public static final int ARRAY = 8;
    public static final int BYTE_ARRAY = 9;
    public static final int STRING = 10;
    public static final int SYMBOL = 11;
    public static final int COMPILED_METHOD = 12;
    public static final int COMPILED_BLOCK = 13;
    public static final int BLOCK_CLOSURE = 14;
    public static final int MESSAGE = 15;
    public static final int METHOD_DICTIONARY = 16;
    public static final int ASSOCIATION = 17;
    public static final int FLOAT = 18;
    public static final int LARGE_POSITIVE_INTEGER = 19;
    public static final int LARGE_NEGATIVE_INTEGER = 20;
    public static final int METACLASS = 21;
    public static final int CLASS = 22;
    public static final int OBJECT = 23;
    /** The first index handed out in module order. */
    public static final int FIRST_FREE = 24;

    /** Class names by fixed index; null where the index is unused. */
    public static final List<String> FIXED = java.util.Arrays.asList(null, "SmallInteger", "Character", null,
            "SmallFloat", "UndefinedObject", "True", "False", "Array", "ByteArray", "String", "Symbol",
            "CompiledMethod", "CompiledBlock", "BlockClosure", "Message", "MethodDictionary", "Association",
            "Float", "LargePositiveInteger", "LargeNegativeInteger", "Metaclass", "Class", "Object");

    /** The fixed index of a class name, or 0. */
    public static int fixedIndexOf(String className) {
        int i = FIXED.indexOf(className);
        return Math.max(i, 0);
    }
}
