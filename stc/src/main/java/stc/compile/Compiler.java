package stc.compile;

import st.format.model.ClassDef;
import st.format.model.CodeDef;
import st.format.model.Literal;
import st.format.model.MethodDef;
import st.format.model.Module;
import stc.ast.Node;
import stc.ast.Pos;
import stc.ast.SourceFile;
import stc.diag.Diagnostics;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The bytecode compiler: parsed units in, one {@link Module} out. Several units (files) compile
 * into one module. Classes defined elsewhere are seen through referenced modules (the kernel and
 * {@code -I} modules); names found nowhere become imports resolved at link time.
 *
 * <p>Startup: the top-level statements of each file (chunk doits, GNU statements) become one method
 * {@code UndefinedObject>>__doIt_<module>_<n>}; the class-variable initializers of a GNU class
 * {@code Foo} become {@code Foo class>>__initClassVariables}, called from that method at the point
 * of the class definition (or listed on their own when the file has no statements). Both are
 * listed in {@link Module#startup()} in source order. See docs/COMPILER.md.
 */
public final class Compiler {
    /** The class-side selector holding a class's GNU-style class-variable initializers. */
    public static final String CLASS_VARIABLE_INITIALIZER = "__initClassVariables";
    /** The class that owns startup methods: they run with nil as the receiver. */
    public static final String STARTUP_CLASS = "UndefinedObject";
    /**
     * The class-side selector a SOM program's main class is started with ({@code Main new run: args},
     * kernel/SOM's {@code Object class>>startSomProgram}); its startup entry is inherited, not defined.
     */
    public static final String SOM_MAIN_SELECTOR = "startSomProgram";
    /** {@link Module#flags()} bit: compiled from SOM sources, so it runs with the SOM layer (kernel/SOM). */
    public static final int MODULE_FLAG_SOM = Module.FLAG_SOM;
    /** The global SOM's {@code system} is bound to: the SOM layer's class {@code System}. */
    public static final String SOM_SYSTEM_CLASS = "System";

    /** SOM's names of kernel classes (SOM calls Floats Doubles, nil's class Nil; methods and primitives are both CompiledMethods here). */
    static final Map<String, String> SOM_CLASS_ALIASES = Map.of("Double", "Float", "Nil", "UndefinedObject",
            "Block", "BlockClosure", "Block1", "BlockClosure", "Block2", "BlockClosure", "Block3", "BlockClosure",
            "Method", "CompiledMethod", "Primitive", "CompiledMethod");

    /** A module this compilation may use: {@code path} is how it is named in dependency rules. */
    public record ReferenceModule(String path, Module module) {}

    /** Finds the source of a class by name, as SOM VMs do along their class path. */
    @FunctionalInterface
    public interface ClassFinder {
        /** The parsed unit defining {@code className}, or null when there is none. */
        Node.Unit find(String className, Diagnostics diags);
    }

    /**
     * @param moduleName the module's name (the output's base name), also used in startup selectors
     * @param references the kernel and {@code -I} modules, searched in order
     * @param classFinder loads classes by name (SOM {@code --classpath}), or null
     */
    public record Options(String moduleName, List<ReferenceModule> references, ClassFinder classFinder) {
        public Options {
            references = List.copyOf(references);
        }

        public static Options named(String moduleName) { return new Options(moduleName, List.of(), null); }
    }

    /**
     * @param module         the compiled module (meaningful only when there were no errors)
     * @param usedModules    paths of referenced modules whose classes or exports were used
     * @param sourceFiles    every source file compiled, including those found along the class path
     */
    public record Result(Module module, List<String> usedModules, List<String> sourceFiles) {}

    private Compiler() {}

    /** Compiles parsed units into one module. Errors and warnings go to {@code diags}. */
    public static Result compile(List<Node.Unit> units, Options options, Diagnostics diags) {
        return new Compilation(options, diags).run(units);
    }

    /**
     * Parses and compiles source files into one module, each file in its detected dialect (or in
     * {@code dialect} when it is not null). Stops early only at the error limit.
     */
    public static Result compileSources(List<SourceFile> files, stc.parse.Dialect dialect, Options options, Diagnostics diags) {
        List<Node.Unit> units = new ArrayList<>();
        try {
            for (SourceFile f : files) {
                units.add(stc.parse.FrontEnds.parse(f, dialect != null ? dialect : stc.parse.Dialect.detect(f.path(), f.text()), diags));
            }
        } catch (Diagnostics.TooManyErrors stop) {
            // the module is not used; report what was found
        }
        return compile(units, options, diags);
    }

    private static final class Compilation {
        private record MethodKey(String className, boolean meta, String selector) {}

        private record Definition(SourceFile file, Pos pos) {}

        private final Options options;
        private final Diagnostics diags;
        private final ClassTable table = new ClassTable();
        private final List<Node.Unit> units = new ArrayList<>();
        private final Map<SourceFile, Integer> fileIndex = new LinkedHashMap<>();
        private final List<ClassDef> classes = new ArrayList<>();
        private final List<MethodDef> methods = new ArrayList<>();
        private final List<Module.MethodRef> startup = new ArrayList<>();
        private final Map<MethodKey, Definition> defined = new HashMap<>();
        private final Set<String> globalsUsed = new TreeSet<>();
        private final Set<String> searchedOnClassPath = new HashSet<>();
        private final Map<String, Node.ClassDecl> declarations = new HashMap<>();
        /** Classes in definition order, turned into ClassDefs at the end (when every link name is known). */
        private final List<PendingClass> pendingClasses = new ArrayList<>();
        /** SOM classes shadowing a class of a referenced module: source name to link name. */
        private final Map<String, String> linkNames = new HashMap<>();
        /** Names a SOM method reads as globals that nothing defines: nil at run time, as in SOM. */
        private final Set<String> unboundSomGlobals = new TreeSet<>();
        private boolean anySom;
        private int doItCount;

        private record PendingClass(Node.ClassDecl decl, String superclass, SourceFile file) {}

        Compilation(Options options, Diagnostics diags) {
            this.options = options;
            this.diags = diags;
            for (int i = 0; i < options.references().size(); i++) {
                Module m = options.references().get(i).module();
                table.addModule(i, m.classes(), m.exports());
            }
        }

        Result run(List<Node.Unit> initial) {
            try {
                for (Node.Unit u : initial) register(u);
                for (Node.Unit u : List.copyOf(units)) checkHierarchy(u);
                for (int i = 0; i < units.size(); i++) compileUnit(units.get(i));
                addSomMain(initial);
            } catch (Diagnostics.TooManyErrors stop) {
                // the diagnostics say it all; the module is not used
            }
            for (PendingClass pc : pendingClasses) {
                Node.ClassDecl c = pc.decl();
                classes.add(new ClassDef(linkName(c.name()), linkName(pc.superclass()), c.shape(), names(c.instVars()),
                        names(c.classVars()), names(c.classInstVars()), c.category(), c.comment(), fileIndex.get(pc.file()),
                        c.pos().line(), c.pos().col()));
            }
            List<String> exports = new ArrayList<>();
            for (ClassDef c : classes) exports.add(c.name());
            List<String> imports = new ArrayList<>();
            for (String g : globalsUsed) if (!table.isLocal(g)) imports.add(g);
            Module module = new Module(Module.Kind.MODULE, Module.Target.ANY, anySom ? MODULE_FLAG_SOM : 0, options.moduleName(),
                    List.copyOf(sourcePaths()), List.copyOf(classes), List.copyOf(methods), List.copyOf(startup),
                    List.copyOf(imports), List.copyOf(exports), null);
            List<String> used = new ArrayList<>();
            BitSet bits = table.usedModules();
            for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) used.add(options.references().get(i).path());
            return new Result(module, used, sourcePaths());
        }

        private List<String> sourcePaths() {
            List<String> out = new ArrayList<>();
            for (SourceFile f : fileIndex.keySet()) out.add(f.path());
            return out;
        }

        /** Adds a unit's classes to the table, so that methods anywhere can see them. */
        private void register(Node.Unit unit) {
            units.add(unit);
            fileIndex.putIfAbsent(unit.file(), fileIndex.size());
            boolean som = isSom(unit);
            anySom |= som;
            for (Node n : unit.items()) {
                if (n instanceof Node.ClassDecl c) defineClass(unit.file(), c, som);
            }
        }

        private static boolean isSom(Node.Unit unit) { return "som".equalsIgnoreCase(unit.dialect()); }

        /** The name a class of this compilation is linked by (its own, unless it shadows a referenced class). */
        private String linkName(String name) {
            return name == null ? null : linkNames.getOrDefault(name, name);
        }

        /**
         * A SOM program's main class is the class of its first file; the module's startup entry
         * starts it the SOM way (kernel/SOM, {@code Object class>>startSomProgram}: {@code new run: args}).
         */
        private void addSomMain(List<Node.Unit> initial) {
            if (initial.isEmpty() || !isSom(initial.getFirst())) return;
            for (Node n : initial.getFirst().items()) {
                if (n instanceof Node.ClassDecl c && declarations.get(c.name()) == c) {
                    startup.add(new Module.MethodRef(linkName(c.name()), true, SOM_MAIN_SELECTOR));
                    return;
                }
            }
        }

        private void defineClass(SourceFile file, Node.ClassDecl c, boolean som) {
            String superclass = c.superclass() == null || c.superclass().equals("nil") ? null : c.superclass();
            ClassTable.Entry e = new ClassTable.Entry(c.name(), superclass, names(c.instVars()), names(c.classVars()),
                    names(c.classInstVars()), -1, c, file);
            ClassTable.Entry previous = table.define(e);
            if (previous != null) {
                diags.error(file, c.pos(), "class '" + c.name() + "' is defined twice");
                diags.note(previous.file(), previous.decl().pos(), "'" + c.name() + "' was first defined here");
                return;
            }
            declarations.put(c.name(), c);
            // A SOM program's class named like a kernel (or SOM layer) class shadows it for the
            // program, and only for the program: it is linked under a name of its own, Name@module,
            // while the kernel's code keeps binding to its own class (docs/DECISIONS.md).
            if (som && table.isReferencedClass(c.name())) linkNames.put(c.name(), c.name() + "@" + sanitize(options.moduleName()));
            checkDuplicates(file, c.instVars(), "instance variable");
            checkDuplicates(file, c.classVars(), "class variable");
            checkDuplicates(file, c.classInstVars(), "class-side instance variable");
            pendingClasses.add(new PendingClass(c, superclass, file));
        }

        private void checkDuplicates(SourceFile file, List<Node.Decl> decls, String what) {
            Map<String, Node.Decl> seen = new HashMap<>();
            for (Node.Decl d : decls) {
                Node.Decl first = seen.putIfAbsent(d.name(), d);
                if (first != null) {
                    diags.error(file, d.pos(), "duplicate " + what + " '" + d.name() + "'");
                    diags.note(file, first.pos(), "'" + d.name() + "' was first declared here");
                }
            }
        }

        private static List<String> names(List<Node.Decl> decls) {
            List<String> out = new ArrayList<>(decls.size());
            for (Node.Decl d : decls) out.add(d.name());
            return List.copyOf(out);
        }

        /** Every superclass must be known, not circular, and must not define an instance variable again. */
        private void checkHierarchy(Node.Unit unit) {
            for (Node n : unit.items()) {
                if (!(n instanceof Node.ClassDecl c) || declarations.get(c.name()) != c) continue;
                String superclass = c.superclass() == null || c.superclass().equals("nil") ? null : c.superclass();
                if (superclass == null) continue;
                if (isSom(unit) && !table.isLocal(superclass)) {
                    loadFromClassPath(superclass); // the class path shadows the kernel
                    // SOM's Dictionary is the layer's Dictionary@SOM, its Double the kernel's Float
                    String layer = table.isLocal(superclass) ? null : somLayerClass(superclass);
                    if (layer != null) {
                        superclass = layer;
                        changeSuperclass(c, layer);
                    }
                }
                if (!table.isLocal(superclass)) globalsUsed.add(superclass);
                if (table.find(superclass) == null && !loadFromClassPath(superclass) && !superclass.equals(ClassTable.ROOT)) {
                    diags.error(unit.file(), c.pos(), "unknown superclass '" + superclass + "' of class '" + c.name() + "'");
                    continue;
                }
                if (table.isCircular(c.name())) {
                    diags.error(unit.file(), c.pos(), "class '" + c.name() + "' inherits from itself");
                    continue;
                }
                List<ClassTable.Entry> ancestors = table.chain(superclass);
                checkInherited(unit.file(), c.instVars(), ancestors, false);
                checkInherited(unit.file(), c.classInstVars(), ancestors, true);
            }
        }

        private void checkInherited(SourceFile file, List<Node.Decl> decls, List<ClassTable.Entry> ancestors, boolean classSide) {
            for (Node.Decl d : decls) {
                for (ClassTable.Entry a : ancestors) {
                    if ((classSide ? a.classInstVars() : a.instVars()).contains(d.name())) {
                        diags.error(file, d.pos(), (classSide ? "class-side instance variable '" : "instance variable '")
                                + d.name() + "' is already defined in superclass '" + a.name() + "'");
                        break;
                    }
                }
            }
        }

        private void changeSuperclass(Node.ClassDecl c, String superclass) {
            table.changeSuperclass(c.name(), superclass);
            for (int i = 0; i < pendingClasses.size(); i++) {
                PendingClass pc = pendingClasses.get(i);
                if (pc.decl() == c) pendingClasses.set(i, new PendingClass(c, superclass, pc.file()));
            }
        }

        /** Looks for {@code name} along the SOM class path; the class found joins this compilation. */
        private boolean loadFromClassPath(String name) {
            if (options.classFinder() == null || !searchedOnClassPath.add(name)) return false;
            Node.Unit unit = options.classFinder().find(name, diags);
            if (unit == null) return false;
            register(unit);
            checkHierarchy(unit);
            return table.isLocal(name);
        }

        /**
         * Compiles a unit's methods, and its top-level statements into one startup method that
         * runs them in source order. A class with GNU class-variable initializers gets them run at
         * the point of its definition: from that method when the unit has statements (so that top-level
         * temps live through the whole file, as in gst), else as a startup entry of its own.
         */
        private void compileUnit(Node.Unit unit) {
            boolean som = "som".equalsIgnoreCase(unit.dialect());
            boolean hasStatements = unit.items().stream().anyMatch(n -> n instanceof Node.DoIt);
            List<Node.DoIt> statements = new ArrayList<>();
            for (Node n : unit.items()) {
                switch (n) {
                    case Node.ClassDecl c -> {
                        if (c.classVarInits().isEmpty() || declarations.get(c.name()) != c) break;
                        compileClassVarInits(unit, c, som);
                        if (hasStatements) {
                            Node.Send init = new Node.Send(c.pos(), new Node.Var(c.pos(), c.name()), CLASS_VARIABLE_INITIALIZER,
                                    List.of(), List.of());
                            statements.add(new Node.DoIt(c.pos(), List.of(), List.of(init), null));
                        } else {
                            startup.add(new Module.MethodRef(linkName(c.name()), true, CLASS_VARIABLE_INITIALIZER));
                        }
                    }
                    case Node.MethodDef m -> {
                        compileMethod(unit, m, som);
                        if (isTonelClassInitializer(unit, m))
                            startup.add(new Module.MethodRef(linkName(m.className()), true, "initialize"));
                    }
                    case Node.DoIt d -> statements.add(d);
                    default -> { }
                }
            }
            if (hasStatements) compileStatements(unit, statements, som);
        }

        /**
         * Loading a Tonel package (Monticello, Iceberg) sends {@code initialize} to each class that
         * defines it on its class side; a class's own file does that here, at startup.
         */
        private boolean isTonelClassInitializer(Node.Unit unit, Node.MethodDef def) {
            if (!"tonel".equalsIgnoreCase(unit.dialect()) || !def.meta() || !def.method().selector().equals("initialize")) return false;
            return unit.items().stream().anyMatch(n -> n instanceof Node.ClassDecl c && c.name().equals(def.className())
                    && declarations.get(c.name()) == c);
        }

        private void compileMethod(Node.Unit unit, Node.MethodDef def, boolean som) {
            Node.Method m = def.method();
            SourceFile file = unit.file();
            String owner = def.className();
            if (table.find(owner) == null && !loadFromClassPath(owner)) useGlobal(owner);
            MethodKey key = new MethodKey(owner, def.meta(), m.selector());
            String qualified = owner + (def.meta() ? " class" : "") + ">>" + m.selector();
            Definition first = defined.putIfAbsent(key, new Definition(file, m.pos()));
            if (first != null) {
                diags.error(file, m.pos(), "method '" + qualified + "' is defined twice");
                diags.note(first.file(), first.pos(), "'" + qualified + "' was first defined here");
                return;
            }
            int primitive = 0;
            String primitiveName = m.primitive() ? qualified : null;
            List<MethodDef.Pragma> pragmas = new ArrayList<>();
            for (Node.Pragma p : m.pragmas()) {
                List<Literal> a = p.args();
                switch (p.keyword()) {
                    case "primitive:" -> {
                        if (a.size() == 1 && a.getFirst() instanceof Literal.Int i && i.value().bitLength() < 31 && i.value().signum() > 0) {
                            primitive = i.value().intValue();
                        } else if (a.size() == 1 && stringValue(a.getFirst()) != null) {
                            primitiveName = stringValue(a.getFirst());
                        } else {
                            diags.error(file, p.pos(), "primitive: expects a positive integer or a name");
                        }
                    }
                    case "primitive:module:" -> {
                        String name = a.size() == 2 ? stringValue(a.get(0)) : null;
                        String module = a.size() == 2 ? stringValue(a.get(1)) : null;
                        if (name == null || module == null) diags.error(file, p.pos(), "primitive:module: expects two names");
                        else primitiveName = module + ":" + name;
                    }
                    case "primitive:error:" -> {
                        if (!a.isEmpty() && a.getFirst() instanceof Literal.Int i && i.value().bitLength() < 31 && i.value().signum() > 0) {
                            primitive = i.value().intValue();
                        } else if (!a.isEmpty() && stringValue(a.getFirst()) != null) {
                            primitiveName = stringValue(a.getFirst());
                        } else {
                            diags.error(file, p.pos(), "primitive:error: expects a positive integer or a name");
                        }
                    }
                    default -> pragmas.add(new MethodDef.Pragma(p.keyword(), p.args()));
                }
            }
            Environment env = environment(owner, def.meta(), som, file, m.pos());
            CodeDef code = compileBody(env, file, m.params(), m.temps(), m.body(), m.pos(), Set.of());
            methods.add(new MethodDef(linkName(owner), def.meta(), m.selector(), def.category(), primitive, primitiveName,
                    List.copyOf(pragmas), code, fileIndex.get(file), m.pos().line(), m.pos().col(), m.source()));
        }

        private CodeDef compileBody(Environment env, SourceFile file, List<Node.Decl> params, List<Node.Decl> temps,
                                    List<Node.Stmt> body, Pos pos, Set<String> autoDeclared) {
            try {
                MethodCompiler compiler = new MethodCompiler(env, diags, file);
                compiler.autoDeclareTemps(autoDeclared);
                return compiler.compile(params, temps, body, pos);
            } catch (StackOverflowError tooDeep) {
                diags.error(file, pos, "expressions nested too deeply to compile");
                return new CodeDef(params.size(), 0, 0, 0, 0, new byte[] {(byte) st.bytecode.Opcode.RETURN_SELF.code},
                        List.of(), List.of());
            }
        }

        private static String stringValue(Literal l) {
            return switch (l) {
                case Literal.Str s -> s.value();
                case Literal.Sym s -> s.value();
                default -> null;
            };
        }

        private void compileClassVarInits(Node.Unit unit, Node.ClassDecl c, boolean som) {
            List<Node.Stmt> body = new ArrayList<>(c.classVarInits());
            Environment env = environment(c.name(), true, som, unit.file(), c.pos());
            CodeDef code = compileBody(env, unit.file(), List.of(), List.of(), body, c.pos(), Set.of());
            Pos pos = c.classVarInits().getFirst().pos();
            StringBuilder source = new StringBuilder();
            for (Node.Assign a : c.classVarInits()) source.append(unit.file().lineText(a.target().pos().line()).strip()).append('\n');
            methods.add(new MethodDef(linkName(c.name()), true, CLASS_VARIABLE_INITIALIZER, "initialization", 0, null, List.of(),
                    code, fileIndex.get(unit.file()), pos.line(), pos.col(), source.toString()));
        }

        private void compileStatements(Node.Unit unit, List<Node.DoIt> doIts, boolean som) {
            List<Node.Decl> temps = new ArrayList<>();
            Set<String> declared = new HashSet<>();
            List<Node.Stmt> body = new ArrayList<>();
            StringBuilder source = new StringBuilder();
            for (Node.DoIt d : doIts) {
                // A later chunk may declare the same top-level temps again: they are one variable.
                for (Node.Decl t : d.temps()) if (declared.add(t.name())) temps.add(t);
                body.addAll(d.body());
                if (d.source() != null) source.append(d.source()).append('\n');
            }
            String selector = "__doIt_" + sanitize(options.moduleName()) + "_" + (++doItCount);
            Environment env = environment(STARTUP_CLASS, false, som, unit.file(), doIts.getFirst().pos());
            Pos pos = doIts.stream().filter(d -> d.source() != null).findFirst().orElse(doIts.getFirst()).pos();
            // Top-level statements may assign variables they never declare, as in gst and a Pharo
            // playground: each becomes a temp of the startup method (nil until assigned).
            CodeDef code = compileBody(env, unit.file(), List.of(), temps, body, pos,
                    som ? Set.of() : TopLevelAssignments.of(body));
            methods.add(new MethodDef(STARTUP_CLASS, false, selector, "startup", 0, null, List.of(), code,
                    fileIndex.get(unit.file()), pos.line(), pos.col(), source.toString()));
            startup.add(new Module.MethodRef(STARTUP_CLASS, false, selector));
        }

        private static String sanitize(String name) {
            StringBuilder b = new StringBuilder();
            for (char ch : (name == null ? "module" : name).toCharArray()) {
                b.append(Character.isLetterOrDigit(ch) && ch < 128 ? ch : '_');
            }
            return b.toString();
        }

        private void useGlobal(String name) {
            if (!table.isLocal(name) && table.find(name) == null && !table.isExported(name)) loadFromClassPath(name);
            globalsUsed.add(name);
        }

        /**
         * A global read by SOM code. {@code system} is the SOM layer's System class. A name defined
         * nowhere is no import: SOM reads an unknown global as nil (its unknownGlobal: default), so
         * the program still links; the compiler warns.
         */
        private String useSomGlobal(String name, SourceFile file, Pos pos) {
            if (name.equals("system")) {
                if (!table.isLocal(SOM_SYSTEM_CLASS)) globalsUsed.add(SOM_SYSTEM_CLASS);
                return SOM_SYSTEM_CLASS;
            }
            // SOM finds classes along its class path first: a program's Set.som shadows the kernel's Set.
            if (!table.isLocal(name)) loadFromClassPath(name);
            if (!table.isLocal(name)) {
                String layer = somLayerClass(name);
                if (layer != null) {
                    globalsUsed.add(layer);
                    return layer;
                }
            }
            if (!table.isLocal(name) && table.find(name) == null && !table.isExported(name)) {
                if (unboundSomGlobals.add(name)) diags.warning(file, pos, "'" + name + "' is not defined: reading it sends unknownGlobal:");
                return name;
            }
            globalsUsed.add(name);
            return linkName(name);
        }

        /**
         * The class of the kernel or the SOM layer a SOM program means by {@code name}, when it is
         * not the class of that name: SOM's names for kernel classes ({@code Double} is Float), and
         * the layer's SOM versions of classes the kernel defines differently, linked as
         * {@code Name@SOM} ({@code Dictionary}, {@code Set}: docs/DECISIONS.md). Null otherwise.
         */
        private String somLayerClass(String name) {
            String alias = SOM_CLASS_ALIASES.get(name);
            if (alias != null && table.find(name) == null && table.find(alias) != null) return alias;
            String layer = name + "@SOM";
            return table.find(layer) != null ? layer : null;
        }

        private Environment environment(String className, boolean meta, boolean som, SourceFile file, Pos pos) {
            return new Environment() {
                private List<String> instVars;

                @Override public List<String> instVars() {
                    if (instVars == null) {
                        instVars = meta ? table.allClassSideInstVars(className) : table.allInstVars(className);
                    }
                    return instVars;
                }

                @Override public String classVarOwner(String name) { return linkName(table.classVarOwner(className, name)); }

                @Override public boolean isClass(String name) { return table.find(name) != null; }

                @Override public String useGlobal(String name) {
                    if (som) return useSomGlobal(name, file, pos);
                    Compilation.this.useGlobal(name);
                    return linkName(name);
                }

                @Override public boolean isLowercaseGlobal(String name) { return som; }

                @Override public boolean isUnknownSomGlobal(String name) { return som && unboundSomGlobals.contains(name); }
            };
        }
    }
}
