package stjit.image;

import st.bytecode.SpecialSelector;
import st.format.model.ClassDef;
import st.format.model.CodeDef;
import st.format.model.Literal;
import st.format.model.MethodDef;
import st.format.model.Module;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lays out the initial heap from modules (kernel first): nil, true, false, the roots, then classes,
 * metaclasses, method dictionaries, methods, blocks, literals and Symbols, in a deterministic
 * order (docs/RUNTIME.md, section 11). Every later definition of a method replaces an earlier one,
 * which is how extensions override.
 */
public final class ImageBuilder {

    /** The modules cannot form an image: a missing class, a duplicate, a layout mismatch. */
    public static final class ImageException extends RuntimeException {
        public ImageException(String message) { super(message); }
    }

    private final Heap heap = new Heap();
    private final Map<String, Integer> symbols = new LinkedHashMap<>();
    private final Map<String, Integer> symbolTable = new LinkedHashMap<>();
    private final Map<String, ClassInfo> classes = new LinkedHashMap<>();
    private final Map<String, Integer> globals = new LinkedHashMap<>();
    private final Map<Integer, String> entryOffsets = new TreeMap<>();
    private final Map<Integer, String> stubRefs = new TreeMap<>();
    private final Map<Integer, HeapImage.CodeInfo> codes = new TreeMap<>();
    private final List<HeapImage.CodeInfo> codeList = new ArrayList<>();
    private int nextIndex = ClassIndex.FIRST_FREE;

    private static final class ClassInfo {
        final ClassDef def;
        final String module;
        int index, metaIndex;
        int object, metaObject;
        ClassInfo superclass;
        int namedSlots;           // of instances
        int classSideSlots;       // of the class object
        int format;
        final Map<String, MethodDef> methods = new LinkedHashMap<>();
        final Map<String, MethodDef> classMethods = new LinkedHashMap<>();
        final Map<String, Integer> classVarBindings = new LinkedHashMap<>();

        ClassInfo(ClassDef def, String module) { this.def = def; this.module = module; }
    }

    public static HeapImage build(List<Module> modules) {
        return new ImageBuilder().run(modules);
    }

    /**
     * @param entryMethod {@code Class class>>selector} (or {@code UndefinedObject>>selector}) run
     *                    at startup instead of the modules' startup lists; null for those
     */
    public static HeapImage build(List<Module> modules, String entryMethod) {
        ImageBuilder b = new ImageBuilder();
        b.entryMethod = entryMethod;
        return b.run(modules);
    }

    private String entryMethod;

    private HeapImage run(List<Module> modules) {
        int nil = heap.alloc(ClassIndex.UNDEFINED_OBJECT, ObjectModel.FORMAT_FIXED, 0);
        int tru = heap.alloc(ClassIndex.TRUE, ObjectModel.FORMAT_FIXED, 0);
        int fals = heap.alloc(ClassIndex.FALSE, ObjectModel.FORMAT_FIXED, 0);
        collectClasses(modules);
        int rootsIndex = classes.containsKey("SystemRoots") ? classes.get("SystemRoots").index : 0;
        if (rootsIndex == 0) throw new ImageException("the kernel defines no class SystemRoots");
        int roots = heap.alloc(rootsIndex, ObjectModel.FORMAT_FIXED, Layout.SYSTEM_ROOTS.size());
        assert nil == Layout.NIL_OFFSET && tru == Layout.TRUE_OFFSET && fals == Layout.FALSE_OFFSET
                && roots == Layout.ROOTS_OFFSET;
        symbols.put("heap:nil", nil);
        symbols.put("heap:true", tru);
        symbols.put("heap:false", fals);
        symbols.put("heap:roots", roots);
        for (int i = 0; i < Layout.SYSTEM_ROOTS.size(); i++) heap.setPointer(roots, i, nil);

        collectMethods(modules);
        checkLayouts();
        allocateClasses();
        for (ClassInfo c : classes.values()) globals.put(c.def.name(), association(symbol(displayName(c.def.name())), c.object));
        for (ClassInfo c : classes.values()) fillClass(c);

        int classTable = heap.alloc(ClassIndex.ARRAY, ObjectModel.FORMAT_POINTERS, nextIndex);
        for (int i = 0; i < nextIndex; i++) heap.setPointer(classTable, i, nil);
        for (ClassInfo c : classes.values()) {
            heap.setPointer(classTable, c.index, c.object);
            heap.setPointer(classTable, c.metaIndex, c.metaObject);
        }
        heap.setPointer(roots, Layout.ROOTS_CLASS_TABLE, classTable);

        List<Integer> specials = new ArrayList<>();
        for (SpecialSelector s : SpecialSelector.values()) specials.add(symbol(s.selector));
        for (String s : List.of("mustBeBoolean", "doesNotUnderstand:", "cannotReturn:")) symbol(s);
        heap.setPointer(roots, Layout.ROOTS_SPECIAL, array(specials));

        List<Integer> startup = new ArrayList<>();
        List<Module.MethodRef> entry = entryMethod == null ? null : List.of(parseEntry(entryMethod));
        for (Module m : modules) {
            for (Module.MethodRef ref : entry != null ? (m == modules.getLast() ? entry : List.<Module.MethodRef>of()) : m.startup()) {
                ClassInfo c = classes.get(ref.className());
                MethodDef def = null;
                for (ClassInfo k = c; k != null && def == null; k = k.superclass)
                    def = (ref.meta() ? k.classMethods : k.methods).get(ref.selector());
                if (def == null) throw new ImageException(m.name() + ": startup method " + ref + " is not defined"
                        + (ref.selector().equals("startSomProgram") ? " (a SOM program needs the SOM layer, build/kernel/som.stl)" : ""));
                startup.add(ref.meta() ? c.object : nil);
                startup.add(symbol(ref.selector()));
            }
        }
        heap.setPointer(roots, Layout.ROOTS_STARTUP, array(startup));

        List<Integer> globalList = new ArrayList<>(globals.values());
        heap.setPointer(roots, Layout.ROOTS_GLOBALS, array(globalList));
        // Symbols interned from here on would be missing from the table: build it last.
        heap.setPointer(roots, Layout.ROOTS_SYMBOLS, array(new ArrayList<>(symbolTable.values())));

        symbols.put("heap:start", 0);
        symbols.put("heap:end", heap.top);
        int[] pointers = heap.pointerWords.stream().map(w -> w * 8).toArray();
        return new HeapImage(heap.bytes(), pointers, entryOffsets, stubRefs, symbols, codes, codeList, staticClassSends());
    }

    private Map<String, HeapImage.StaticTarget> staticClassSends() {
        java.util.Set<String> hasSubclasses = new java.util.HashSet<>();
        for (ClassInfo c : classes.values()) if (c.superclass != null) hasSubclasses.add(c.superclass.def.name());
        Map<String, HeapImage.StaticTarget> out = new TreeMap<>();
        for (ClassInfo c : classes.values()) {
            if (hasSubclasses.contains(c.def.name())) continue;
            Map<String, String> found = new LinkedHashMap<>();
            for (ClassInfo k = c; k != null; k = k.superclass)
                for (MethodDef d : k.classMethods.values()) found.putIfAbsent(d.selector(), d.qualifiedName());
            // then the instance side of Class and its superclasses: what every class object understands
            for (ClassInfo k = classes.get("Class"); k != null; k = k.superclass)
                for (MethodDef d : k.methods.values()) found.putIfAbsent(d.selector(), d.qualifiedName());
            for (var e : found.entrySet())
                out.put(c.def.name() + " " + e.getKey(), new HeapImage.StaticTarget(e.getValue(), c.metaIndex));
        }
        // the instance side of the classes whose at:, at:put:, size (collections) or arithmetic
        // (Float, SmallInteger) the nativizer may inline
        for (String name : HeapImage.INLINED_CLASSES) {
            ClassInfo c = classes.get(name);
            if (c == null) continue;
            Map<String, String> found = new LinkedHashMap<>();
            for (ClassInfo k = c; k != null; k = k.superclass)
                for (MethodDef d : k.methods.values()) found.putIfAbsent(d.selector(), d.qualifiedName());
            for (var e : found.entrySet())
                out.put(HeapImage.INSTANCE_SIDE + name + " " + e.getKey(), new HeapImage.StaticTarget(e.getValue(), c.index));
        }
        return out;
    }

    /**
     * The name a class answers to (Class>>name): its link name up to an {@code @}. stc links a SOM
     * class that shadows a kernel class as {@code Name@module} (docs/DECISIONS.md).
     */
    public static String displayName(String linkName) {
        int at = linkName.indexOf('@');
        return at > 0 ? linkName.substring(0, at) : linkName;
    }

    private static Module.MethodRef parseEntry(String entry) {
        int sep = entry.indexOf(">>");
        if (sep <= 0 || sep + 2 >= entry.length()) throw new ImageException("entry method '" + entry + "' is not Class>>selector");
        String cls = entry.substring(0, sep).trim();
        boolean meta = cls.endsWith(" class");
        if (meta) cls = cls.substring(0, cls.length() - " class".length()).trim();
        if (!meta && !cls.equals("UndefinedObject"))
            throw new ImageException("entry method '" + entry + "' must be on a class side (Class class>>selector)");
        return new Module.MethodRef(cls, meta, entry.substring(sep + 2).trim());
    }

    private void collectClasses(List<Module> modules) {
        for (Module m : modules) {
            for (ClassDef d : m.classes()) {
                ClassInfo prev = classes.get(d.name());
                if (prev != null)
                    throw new ImageException("class " + d.name() + " is defined twice: in " + prev.module + " and in " + m.name());
                classes.put(d.name(), new ClassInfo(d, m.name()));
            }
        }
        for (String required : ClassIndex.FIXED) {
            if (required != null && !required.equals("SmallFloat") && !classes.containsKey(required))
                throw new ImageException("the kernel defines no class " + required);
        }
        for (String required : List.of("Behavior", "ClassDescription", "SystemRoots"))
            if (!classes.containsKey(required)) throw new ImageException("the kernel defines no class " + required);
        for (ClassInfo c : classes.values()) {
            if (c.def.superclass() != null) {
                c.superclass = classes.get(c.def.superclass());
                if (c.superclass == null)
                    throw new ImageException(c.module + ": superclass " + c.def.superclass() + " of " + c.def.name() + " is not defined");
            }
            int fixed = ClassIndex.fixedIndexOf(c.def.name());
            c.index = fixed;
        }
        for (ClassInfo c : classes.values()) {
            if (c.index == 0) c.index = nextIndex++;
            c.metaIndex = nextIndex++;
        }
        for (ClassInfo c : classes.values()) computeShape(c, new ArrayList<>());
    }

    private void computeShape(ClassInfo c, List<String> visiting) {
        if (c.namedSlots >= 0 && c.format != 0) return;
        if (visiting.contains(c.def.name())) throw new ImageException("class " + c.def.name() + " inherits from itself");
        visiting.add(c.def.name());
        int inherited = 0;
        if (c.superclass != null) {
            computeShape(c.superclass, visiting);
            inherited = c.superclass.namedSlots;
        }
        c.namedSlots = inherited + c.def.instVars().size();
        c.format = switch (c.def.shape()) {
            case FIXED -> ObjectModel.FORMAT_FIXED;
            case POINTERS -> ObjectModel.FORMAT_POINTERS;
            case WEAK -> ObjectModel.FORMAT_WEAK;
            case EPHEMERON -> ObjectModel.FORMAT_EPHEMERON;
            case BYTES -> ObjectModel.FORMAT_BYTES;
            case WORDS -> ObjectModel.FORMAT_WORDS;
        };
        if (c.superclass != null && c.superclass.format != ObjectModel.FORMAT_FIXED && c.format == ObjectModel.FORMAT_FIXED)
            c.format = c.superclass.format;
    }

    private int classSideSlots(ClassInfo c) {
        int n = classes.get("Class").namedSlots;
        for (ClassInfo k = c; k != null; k = k.superclass) n += k.def.classInstVars().size();
        return n;
    }

    private void checkLayouts() {
        expectIvars("Behavior", Layout.BEHAVIOR);
        expectIvars("Class", Layout.CLASS);
        expectIvars("Metaclass", Layout.METACLASS);
        expectIvars("MethodDictionary", Layout.METHOD_DICTIONARY);
        expectIvars("CompiledMethod", Layout.COMPILED_METHOD);
        expectIvars("CompiledBlock", Layout.COMPILED_BLOCK);
        expectIvars("BlockClosure", Layout.BLOCK_CLOSURE);
        expectIvars("Message", Layout.MESSAGE);
        expectIvars("Association", Layout.ASSOCIATION);
        expectIvars("SystemRoots", Layout.SYSTEM_ROOTS);
        if (classes.get("Class").namedSlots != Layout.BEHAVIOR.size() + Layout.CLASS.size())
            throw new ImageException("class Class must have exactly the instance variables " + Layout.BEHAVIOR + " + " + Layout.CLASS);
    }

    private void expectIvars(String className, List<String> expected) {
        ClassInfo c = classes.get(className);
        List<String> all = new ArrayList<>();
        for (ClassInfo k = c; k != null; k = k.superclass) all.addAll(0, k.def.instVars());
        List<String> tail = all.subList(Math.max(0, all.size() - expected.size()), all.size());
        int base = className.equals("Class") || className.equals("Metaclass") ? Layout.BEHAVIOR.size() : 0;
        if (!tail.equals(expected) || all.size() != base + expected.size())
            throw new ImageException("class " + className + " must declare the instance variables " + expected
                    + " (docs/RUNTIME.md), but has " + all);
    }

    private void collectMethods(List<Module> modules) {
        for (Module m : modules) {
            for (MethodDef d : m.methods()) {
                ClassInfo c = classes.get(d.className());
                if (c == null) throw new ImageException(m.name() + ": method " + d.qualifiedName() + " of an undefined class");
                (d.meta() ? c.classMethods : c.methods).put(d.selector(), d);
            }
        }
    }

    private void allocateClasses() {
        for (ClassInfo c : classes.values()) {
            c.classSideSlots = classSideSlots(c);
            c.object = heap.alloc(c.metaIndex, ObjectModel.FORMAT_FIXED, c.classSideSlots);
            c.metaObject = heap.alloc(ClassIndex.METACLASS, ObjectModel.FORMAT_FIXED, classes.get("Metaclass").namedSlots);
            symbols.put("class:" + c.def.name(), c.object);
            symbols.put("metaclass:" + c.def.name(), c.metaObject);
        }
    }

    private void fillClass(ClassInfo c) {
        int nil = Layout.NIL_OFFSET;
        for (int i = 0; i < c.classSideSlots; i++) heap.setPointer(c.object, i, nil);
        for (int i = 0; i < classes.get("Metaclass").namedSlots; i++) heap.setPointer(c.metaObject, i, nil);
        ClassInfo classClass = classes.get("Class");
        heap.setPointer(c.object, Layout.BEHAVIOR_SUPERCLASS, c.superclass == null ? nil : c.superclass.object);
        heap.setImmediate(c.object, Layout.BEHAVIOR_SPEC, ObjectModel.smallInt(ObjectModel.instanceSpec(c.namedSlots, c.format)));
        heap.setImmediate(c.object, Layout.BEHAVIOR_INDEX, ObjectModel.smallInt(c.index));
        heap.setPointer(c.object, Layout.CLASS_NAME, symbol(displayName(c.def.name())));
        List<Integer> ivarNames = new ArrayList<>();
        for (String v : c.def.instVars()) ivarNames.add(string(v));
        heap.setPointer(c.object, Layout.CLASS_IVARS, array(ivarNames));
        List<Integer> pool = new ArrayList<>();
        for (String v : c.def.classVars()) {
            int binding = association(symbol(v), nil);
            c.classVarBindings.put(v, binding);
            symbols.put("classvar:" + c.def.name() + "." + v, binding);
            pool.add(binding);
        }
        heap.setPointer(c.object, Layout.CLASS_POOL, array(pool));
        heap.setPointer(c.object, Layout.CLASS_CATEGORY, c.def.category() == null ? nil : string(c.def.category()));

        // The metaclass: its superclass is the superclass's metaclass; the root's is Class.
        heap.setPointer(c.metaObject, Layout.BEHAVIOR_SUPERCLASS,
                c.superclass == null ? classClass.object : c.superclass.metaObject);
        heap.setImmediate(c.metaObject, Layout.BEHAVIOR_SPEC,
                ObjectModel.smallInt(ObjectModel.instanceSpec(c.classSideSlots, ObjectModel.FORMAT_FIXED)));
        heap.setImmediate(c.metaObject, Layout.BEHAVIOR_INDEX, ObjectModel.smallInt(c.metaIndex));
        heap.setPointer(c.metaObject, Layout.METACLASS_THIS_CLASS, c.object);

        heap.setPointer(c.object, Layout.BEHAVIOR_METHODS, methodDictionary(c, false));
        heap.setPointer(c.metaObject, Layout.BEHAVIOR_METHODS, methodDictionary(c, true));
    }

    private int methodDictionary(ClassInfo c, boolean meta) {
        Map<String, MethodDef> defs = meta ? c.classMethods : c.methods;
        List<Integer> sels = new ArrayList<>(), meths = new ArrayList<>();
        for (MethodDef d : defs.values()) {
            sels.add(symbol(d.selector()));
            meths.add(compiledMethod(c, d, meta));
        }
        int md = heap.alloc(ClassIndex.METHOD_DICTIONARY, ObjectModel.FORMAT_FIXED, Layout.METHOD_DICTIONARY.size());
        heap.setImmediate(md, Layout.MD_TALLY, ObjectModel.smallInt(sels.size()));
        heap.setPointer(md, Layout.MD_SELECTORS, array(sels));
        heap.setPointer(md, Layout.MD_METHODS, array(meths));
        return md;
    }

    private int methodCounter;

    private int compiledMethod(ClassInfo c, MethodDef d, boolean meta) {
        int cm = heap.alloc(ClassIndex.COMPILED_METHOD, ObjectModel.FORMAT_FIXED, Layout.COMPILED_METHOD.size());
        String name = d.qualifiedName();
        symbols.put("method:" + name, cm);
        int methodIndex = methodCounter++;
        heap.setPointer(cm, Layout.CM_NATIVE_ENTRY, Layout.NIL_OFFSET);
        entryOffsets.put(cm + Layout.slotOffset(Layout.CM_NATIVE_ENTRY), name);
        heap.setPointer(cm, Layout.CM_SELECTOR, symbol(d.selector()));
        heap.setPointer(cm, Layout.CM_CLASS, meta ? c.metaObject : c.object);
        heap.setImmediate(cm, Layout.CM_NUM_ARGS, ObjectModel.smallInt(d.code().numArgs()));
        heap.setImmediate(cm, Layout.CM_FLAGS, ObjectModel.smallInt(d.code().flags()));
        heap.setImmediate(cm, Layout.CM_SOURCE, ObjectModel.smallInt(methodIndex));
        ClassInfo sup = c.superclass;
        int superOffset = meta ? (sup == null ? classes.get("Class").object : sup.metaObject) : (sup == null ? -1 : sup.object);
        int[] blockCounter = {0};
        int[] sites = {SendSites.count(d.code())};
        List<Integer> superSites = new ArrayList<>(SendSites.superSites(d.code(), 0));
        HeapImage.LiteralRef[] refs = literals(c, d.code(), name, blockCounter, cm, meta, superOffset, methodIndex, d.selector(),
                sites, superSites);
        heap.setPointer(cm, Layout.CM_LITERALS, literalArray(refs));
        register(new HeapImage.CodeInfo(name, d.code(), false, cm, refs, d.selector(), meta ? c.metaIndex : c.index,
                superOffset, methodIndex, d.primitiveName(), c.def.name(), meta, 0));
        heap.setPointer(cm, Layout.CM_SEND_CACHE, sendCache(name, sites[0], superSites, superOffset));
        return cm;
    }

    /**
     * The send cache of a method and its blocks: two slots per site, the IC tag (a SmallInteger
     * class index, 0 = empty; for a super send the class where the lookup starts) and the target
     * (a code address + 1: the miss stub until the first send).
     */
    private int sendCache(String method, int sites, List<Integer> superSites, int superOffset) {
        int arr = heap.alloc(ClassIndex.ARRAY, ObjectModel.FORMAT_POINTERS, 2 * sites);
        for (int k = 0; k < sites; k++) {
            boolean isSuper = superSites.contains(k);
            if (isSuper && superOffset >= 0) heap.setPointer(arr, 2 * k, superOffset);
            else heap.setImmediate(arr, 2 * k, ObjectModel.smallInt(0));
            int target = arr + Layout.slotOffset(2 * k + 1);
            heap.setImmediate(arr, 2 * k + 1, ObjectModel.smallInt(0));
            stubRefs.put(target, isSuper ? "stub:superSendMiss" : "stub:sendMiss");
        }
        symbols.put("cache:" + method, arr);
        return arr;
    }

    private void register(HeapImage.CodeInfo info) {
        codes.put(info.objectOffset(), info);
        codeList.add(info);
    }

    private HeapImage.LiteralRef[] literals(ClassInfo c, CodeDef code, String owner, int[] blockCounter, int method,
                                            boolean meta, int superOffset, int methodIndex, String selector,
                                            int[] sites, List<Integer> superSites) {
        List<Literal> lits = code.literals();
        HeapImage.LiteralRef[] refs = new HeapImage.LiteralRef[lits.size()];
        for (int i = 0; i < lits.size(); i++) {
            Literal lit = lits.get(i);
            String name = "lit:" + owner + ":" + i;
            if (lit instanceof Literal.Block b) {
                int n = blockCounter[0]++;
                String blockName = "[] in " + owner.replaceFirst("^\\[\\] in ", "").replaceFirst("#\\d+$", "");
                if (n > 0) blockName += "#" + n;
                int cb = heap.alloc(ClassIndex.COMPILED_BLOCK, ObjectModel.FORMAT_FIXED, Layout.COMPILED_BLOCK.size());
                heap.setPointer(cb, Layout.CB_NATIVE_ENTRY, Layout.NIL_OFFSET);
                entryOffsets.put(cb + Layout.slotOffset(Layout.CB_NATIVE_ENTRY), blockName);
                heap.setPointer(cb, Layout.CB_OUTER, method);
                CodeDef bc = b.code();
                heap.setImmediate(cb, Layout.CB_NUM_ARGS, ObjectModel.smallInt(bc.numArgs()));
                heap.setImmediate(cb, Layout.CB_NUM_COPIED, ObjectModel.smallInt(bc.numCopied()));
                heap.setImmediate(cb, Layout.CB_NUM_TEMPS, ObjectModel.smallInt(bc.numTemps()));
                heap.setImmediate(cb, Layout.CB_FLAGS, ObjectModel.smallInt(bc.flags()));
                int siteBase = sites[0];
                sites[0] += SendSites.count(bc);
                superSites.addAll(SendSites.superSites(bc, siteBase));
                HeapImage.LiteralRef[] inner = literals(c, bc, blockName, blockCounter, method, meta, superOffset, methodIndex,
                        selector, sites, superSites);
                heap.setPointer(cb, Layout.CB_LITERALS, literalArray(inner));
                register(new HeapImage.CodeInfo(blockName, bc, true, cb, inner, selector, meta ? c.metaIndex : c.index,
                        superOffset, methodIndex, null, c.def.name(), meta, siteBase));
                symbols.put(name, cb);
                refs[i] = new HeapImage.LiteralRef.Object(name, cb);
            } else if (lit instanceof Literal.Binding bind) {
                int binding = binding(c, bind);
                symbols.put(name, binding);
                refs[i] = new HeapImage.LiteralRef.Object(name, binding);
            } else {
                HeapImage.LiteralRef r = literal(lit);
                if (r instanceof HeapImage.LiteralRef.Object o) {
                    symbols.putIfAbsent(name, o.offset());
                    r = new HeapImage.LiteralRef.Object(name, o.offset());
                }
                refs[i] = r;
            }
        }
        return refs;
    }

    private int binding(ClassInfo c, Literal.Binding bind) {
        if (bind.owner() != null) {
            for (ClassInfo k = classes.get(bind.owner()); k != null; k = k.superclass) {
                Integer b = k.classVarBindings.get(bind.name());
                if (b != null) return b;
            }
        }
        for (ClassInfo k = c; k != null; k = k.superclass) {
            Integer b = k.classVarBindings.get(bind.name());
            if (b != null) return b;
        }
        return globals.computeIfAbsent(bind.name(), n -> {
            int a = association(symbol(n), Layout.NIL_OFFSET);
            symbols.put("global:" + n, a);
            return a;
        });
    }

    private int literalArray(HeapImage.LiteralRef[] refs) {
        int arr = heap.alloc(ClassIndex.ARRAY, ObjectModel.FORMAT_POINTERS, refs.length);
        for (int i = 0; i < refs.length; i++) setRef(arr, i, refs[i]);
        return arr;
    }

    private void setRef(int obj, int slot, HeapImage.LiteralRef r) {
        switch (r) {
            case HeapImage.LiteralRef.Immediate im -> heap.setImmediate(obj, slot, im.oop());
            case HeapImage.LiteralRef.Object o -> heap.setPointer(obj, slot, o.offset());
        }
    }

    private HeapImage.LiteralRef literal(Literal lit) {
        return switch (lit) {
            case Literal.Constant k -> new HeapImage.LiteralRef.Object("heap:" + k.name().toLowerCase(java.util.Locale.ROOT),
                    switch (k) { case NIL -> Layout.NIL_OFFSET; case TRUE -> Layout.TRUE_OFFSET; case FALSE -> Layout.FALSE_OFFSET; });
            case Literal.Int i -> {
                BigInteger v = i.value();
                if (v.bitLength() < 63) yield new HeapImage.LiteralRef.Immediate(ObjectModel.smallInt(v.longValueExact()));
                byte[] be = v.abs().toByteArray();
                byte[] le = new byte[be[0] == 0 ? be.length - 1 : be.length];
                for (int k = 0; k < le.length; k++) le[k] = be[be.length - 1 - k];
                yield obj(bytesObject(v.signum() < 0 ? ClassIndex.LARGE_NEGATIVE_INTEGER : ClassIndex.LARGE_POSITIVE_INTEGER, le));
            }
            case Literal.Float f -> {
                byte[] b = new byte[8];
                long bits = Double.doubleToRawLongBits(f.value());
                for (int k = 0; k < 8; k++) b[k] = (byte) (bits >>> (8 * k));
                yield obj(bytesObject(ClassIndex.FLOAT, b));
            }
            case Literal.ScaledDecimal s -> {
                ClassInfo scaled = classes.get("ScaledDecimal"), fraction = classes.get("Fraction");
                if (scaled == null || fraction == null || scaled.namedSlots != 2 || fraction.namedSlots != 2) {
                    // A kernel without ScaledDecimal (--no-kernel programs): the literal reads as its Float value.
                    double d = new java.math.BigDecimal(s.numerator()).divide(new java.math.BigDecimal(s.denominator()),
                            java.math.MathContext.DECIMAL64).doubleValue();
                    yield literal(new Literal.Float(d));
                }
                BigInteger gcd = s.numerator().gcd(s.denominator());
                BigInteger n = s.numerator().divide(gcd), d = s.denominator().divide(gcd);
                if (d.signum() < 0) { n = n.negate(); d = d.negate(); }
                HeapImage.LiteralRef value = literal(new Literal.Int(n));
                if (!d.equals(BigInteger.ONE)) {
                    int f = heap.alloc(fraction.index, ObjectModel.FORMAT_FIXED, 2);
                    setRef(f, 0, value);
                    setRef(f, 1, literal(new Literal.Int(d)));
                    value = obj(f);
                }
                int sd = heap.alloc(scaled.index, ObjectModel.FORMAT_FIXED, 2);
                setRef(sd, 0, value);
                heap.setImmediate(sd, 1, ObjectModel.smallInt(s.scale()));
                yield obj(sd);
            }
            case Literal.Char ch -> new HeapImage.LiteralRef.Immediate(ObjectModel.character(ch.codePoint()));
            case Literal.Str s -> obj(string(s.value()));
            case Literal.Sym s -> obj(symbol(s.value()));
            case Literal.Bytes b -> obj(bytesObject(ClassIndex.BYTE_ARRAY, b.value()));
            case Literal.Array a -> {
                HeapImage.LiteralRef[] elems = new HeapImage.LiteralRef[a.elements().size()];
                for (int k = 0; k < elems.length; k++) elems[k] = literal(a.elements().get(k));
                yield obj(literalArray(elems));
            }
            case Literal.Binding b -> throw new IllegalStateException("binding handled by the caller");
            case Literal.Block b -> throw new ImageException("a block cannot be nested in a literal array");
        };
    }

    private static HeapImage.LiteralRef obj(int offset) { return new HeapImage.LiteralRef.Object(null, offset); }

    private int association(int key, int value) {
        int a = heap.alloc(ClassIndex.ASSOCIATION, ObjectModel.FORMAT_FIXED, 2);
        heap.setPointer(a, Layout.ASSOC_KEY, key);
        heap.setPointer(a, Layout.ASSOC_VALUE, value);
        return a;
    }

    private int array(List<Integer> elements) {
        int arr = heap.alloc(ClassIndex.ARRAY, ObjectModel.FORMAT_POINTERS, elements.size());
        for (int i = 0; i < elements.size(); i++) heap.setPointer(arr, i, elements.get(i));
        return arr;
    }

    private int string(String s) { return bytesObject(ClassIndex.STRING, s.getBytes(StandardCharsets.UTF_8)); }

    /** The unique Symbol for {@code s}. */
    private int symbol(String s) {
        Integer existing = symbolTable.get(s);
        if (existing != null) return existing;
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int sym = heap.allocBytes(ClassIndex.SYMBOL, b, ObjectModel.bytesHash(b));
        symbolTable.put(s, sym);
        symbols.put("sym:" + s, sym);
        return sym;
    }

    private int bytesObject(int classIndex, byte[] b) { return heap.allocBytes(classIndex, b, -1); }

    /** A growable little-endian heap with its pointer slots recorded for relocation. */
    private static final class Heap {
        private byte[] buf = new byte[1 << 16];
        private int top;
        private int hashCounter;
        final java.util.BitSet pointerWords = new java.util.BitSet();

        int alloc(int classIndex, int format, int slots) { return allocHashed(classIndex, format, slots, nextHash()); }

        private int nextHash() {
            hashCounter++;
            int h = (int) ((hashCounter * 2654435761L) >>> 10 & ObjectModel.HASH_MASK);
            return h == 0 ? 1 : h;
        }

        private int allocHashed(int classIndex, int format, int slots, int hash) {
            int size = ObjectModel.objectBytes(slots);
            ensure(top + size);
            if (slots >= ObjectModel.OVERFLOW_SLOTS) {
                putLong(top, (long) slots | 0xFFL << 56);
                top += 8;
            }
            int oop = top;
            putLong(oop, ObjectModel.header(classIndex, format, hash, slots));
            top += size - (slots >= ObjectModel.OVERFLOW_SLOTS ? 8 : 0);
            return oop;
        }

        int allocBytes(int classIndex, byte[] b, int hash) {
            int slots = ObjectModel.byteSlots(b.length);
            int obj = allocHashed(classIndex, ObjectModel.byteFormat(b.length), slots, hash < 0 ? nextHash() : hash);
            System.arraycopy(b, 0, buf, obj + 8, b.length);
            return obj;
        }

        void setPointer(int obj, int slot, int target) {
            int at = obj + Layout.slotOffset(slot);
            putLong(at, target);
            pointerWords.set(at / 8);
        }

        void setImmediate(int obj, int slot, long oop) {
            int at = obj + Layout.slotOffset(slot);
            putLong(at, oop);
            pointerWords.clear(at / 8);
        }

        private void ensure(int n) {
            if (n > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(n, buf.length * 2));
        }

        private void putLong(int at, long v) {
            for (int i = 0; i < 8; i++) buf[at + i] = (byte) (v >>> (8 * i));
        }

        byte[] bytes() { return java.util.Arrays.copyOf(buf, top); }
    }

}
