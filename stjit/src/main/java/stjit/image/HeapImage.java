package stjit.image;

import st.format.model.CodeDef;

import java.util.List;
import java.util.Map;

/**
 * The initial heap, position-independent: {@code bytes} as if loaded at address 0, the offsets of
 * every word holding a pointer into the image (add the load address to each), and named data
 * symbols (docs/RUNTIME.md, section 11). strun copies it to an mmap'd base and relocates it;
 * stlink places it as a data image.
 *
 * @param pointerOffsets ascending offsets of words that hold an image offset to relocate
 * @param entryOffsets   ascending offsets of {@code nativeEntry} slots, keyed by the code symbol
 *                       whose address + 1 belongs there once the code is placed
 * @param stubRefs       offsets of send-cache target slots, keyed by the stub whose address + 1
 *                       belongs there before the first send (RUNTIME.md section 7)
 * @param symbols        data symbol name to the offset of the object (its header)
 */
public record HeapImage(byte[] bytes, int[] pointerOffsets, Map<Integer, String> entryOffsets,
                        Map<Integer, String> stubRefs,
                        Map<String, Integer> symbols, Map<Integer, CodeInfo> codes,
                        List<CodeInfo> codeList, Map<String, StaticTarget> staticClassSends) {

    /**
     * A class-side method of a class with no subclasses: sends to that class (or to self in its
     * class-side methods) can only ever reach this method, so the nativizer binds them statically.
     * This is what lets the runtime's own lookup code send messages without recursing into itself.
     *
     * @param metaIndex the class index of the metaclass, the IC tag of such a send
     */
    public record StaticTarget(String methodSymbol, int metaIndex) {}

    /**
     * Classes whose instance-side methods {@link #instanceMethod} knows: the collections whose
     * at:, at:put: and size the nativizer inlines, and the numbers of its Float fast path.
     */
    public static final List<String> INLINED_CLASSES = List.of("Array", "ByteArray", "String", "Symbol", "Float", "SmallInteger");

    static final String INSTANCE_SIDE = "#instance ";

    /**
     * The method an instance of {@code className} (one of INLINED_CLASSES) runs for
     * {@code selector}, or null: the nativizer inlines at:, at:put: and size, and Float
     * arithmetic, only while these are the kernel's own methods.
     */
    public String instanceMethod(String className, String selector) {
        StaticTarget t = staticClassSends.get(INSTANCE_SIDE + className + " " + selector);
        return t == null ? null : t.methodSymbol();
    }

    /** The static target of {@code selector} sent to the leaf class {@code className}, or null. */
    public StaticTarget staticClassSend(String className, String selector) {
        return staticClassSends.get(className + " " + selector);
    }

    /**
     * What the nativizer needs to know about one method or block in the image.
     *
     * @param symbol     the code symbol: {@code Class>>sel}, {@code Class class>>sel},
     *                   {@code [] in Class>>sel}, with {@code #n} appended to blocks after the first
     * @param objectOffset the CompiledMethod or CompiledBlock
     * @param literalRefs per literal: an immediate oop, or an image offset of the literal object
     * @param ownerClassIndex the class index of the method's class (instance side or metaclass)
     * @param superclassOffset the image offset of the method class's superclass, -1 if none
     * @param primitive  the named primitive of a method, or null
     * @param siteBase   index of this code's first send-cache cell in its method's sendCache
     */
    public record CodeInfo(String symbol, CodeDef code, boolean block, int objectOffset, LiteralRef[] literalRefs,
                           String selector, int ownerClassIndex, int superclassOffset, int methodIndex,
                           String primitive, String className, boolean meta, int siteBase) {}

    /** A literal as native code sees it. */
    public sealed interface LiteralRef {
        record Immediate(long oop) implements LiteralRef {}
        /** An image object, named by a data symbol so AOT code can relocate against it. */
        record Object(String symbol, int offset) implements LiteralRef {}
    }

    /** Bytes of new space (each half) in a linked executable. */
    public static final long EXECUTABLE_NEW_SPACE = 32L << 20;

    /**
     * Where a linked executable keeps what follows the image in its zero-filled data: the globals
     * block and the two halves of new space, as symbol offsets from the image's first byte (the
     * same origin as {@link #symbols}). {@code heap:zeroEnd} is where the zero fill ends.
     */
    public Map<String, Long> zeroFillLayout(long newSpaceBytes) {
        long globals = (bytes.length + 15L) & -16L;
        long space0 = (globals + Globals.SIZE + 4095L) & -4096L;
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        out.put("heap:globals", globals);
        out.put("heap:space0", space0);
        out.put("heap:space0End", space0 + newSpaceBytes);
        out.put("heap:space1", space0 + newSpaceBytes);
        out.put("heap:space1End", space0 + 2 * newSpaceBytes);
        out.put("heap:zeroEnd", space0 + 2 * newSpaceBytes);
        return out;
    }

    /** The method or block whose CompiledMethod or CompiledBlock is at {@code objectOffset}, or null. */
    public CodeInfo codeAt(int objectOffset) { return codes.get(objectOffset); }

    /** The method {@code Class>>selector} (or {@code Class class>>selector}) as laid out, or null. */
    public CodeInfo method(String qualifiedName) {
        Integer off = symbols.get("method:" + qualifiedName);
        return off == null ? null : codes.get(off);
    }

    public int word(int offset) { return (int) longAt(offset); }

    public long longAt(int offset) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = v << 8 | (bytes[offset + i] & 0xFF);
        return v;
    }

    public int symbol(String name) {
        Integer off = symbols.get(name);
        if (off == null) throw new IllegalArgumentException("no data symbol " + name);
        return off;
    }
}
