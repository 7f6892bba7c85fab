package stc;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import st.bytecode.Listing;
import st.cli.AtomicOutput;
import st.cli.Tool;
import st.format.io.FormatException;
import st.format.io.ModuleReader;
import st.format.io.ModuleWriter;
import st.format.model.MethodDef;
import st.format.model.Module;
import stc.ast.Node;
import stc.ast.SourceFile;
import stc.cli.DependencyRule;
import stc.cli.SomClassPath;
import stc.compile.Compiler;
import stc.diag.Diagnostics;
import stc.parse.AstPrinter;
import stc.parse.Dialect;
import stc.parse.FrontEnds;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "stc", mixinStandardHelpOptions = true, versionProvider = Tool.Version.class, sortOptions = false,
        description = {"Compiles Smalltalk source files into one bytecode module (.stm).",
                "",
                "Reads chunk (fileout), Tonel, GNU Smalltalk and SOM sources. A directory is a Tonel package. "
                        + "Top-level statements run at startup, in order."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:compiled (warnings allowed)", "1:a source error, or a file that cannot be read",
                "2:a usage error"},
        footerHeading = "%nExamples:%n",
        footer = {"  stc -o app.stm main.st lib.st", "  stc --dialect som --classpath awfy:core -o bench.stm Harness.som",
                "  stc -MD -o app.stm app.st      # also writes app.d for make"})
public final class Main implements Callable<Integer> {
    public static void main(String[] args) {
        System.exit(Tool.run("stc", new Main(), args));
    }

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*",
            description = "Source files, Tonel package directories, or - for standard input.")
    List<String> inputs = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "The module to write (default: the first input's base name + .stm). Nothing is written on error.")
    String output;

    /** Values offered by shell completion. */
    static final class DialectNames extends java.util.ArrayList<String> {
        DialectNames() { super(List.of("auto", "chunk", "tonel", "gnu", "som")); }
    }

    static final class EmitKinds extends java.util.ArrayList<String> {
        EmitKinds() { super(List.of("ast", "bytecodes")); }
    }

    @Option(names = "--dialect", paramLabel = "D", defaultValue = "auto", completionCandidates = DialectNames.class,
            description = "Source dialect: auto, chunk, tonel, gnu or som (default: ${DEFAULT-VALUE}, detected per file).")
    String dialect;

    @Option(names = {"--classpath", "-cp"}, paramLabel = "P",
            description = "Directories, separated by ':', searched for Name.som when a class Name is undefined (SOM; -cp as with SOM VMs and strun).")
    String classpath;

    @Option(names = {"-I", "--module"}, paramLabel = "MODULE",
            description = "A module whose classes this code uses or extends (repeatable).")
    List<String> modules = new ArrayList<>();

    @Option(names = "--kernel", paramLabel = "FILE",
            description = "The kernel module (default: $ST_HOME/build/kernel/kernel.stm when it exists).")
    String kernel;

    @Option(names = "--no-kernel", description = "Do not read the kernel module (nor the SOM layer).")
    boolean noKernel;

    @Option(names = "--som-layer", paramLabel = "FILE",
            description = "The SOM layer module SOM sources compile against (default: $ST_HOME/build/kernel/som.stm).")
    String somLayer;

    @Option(names = {"-v", "--verbose"}, description = "Say which dialect was chosen for each file.")
    boolean verbose;

    @Option(names = "-M", description = "Print a make rule naming the sources and used modules; write no module.")
    boolean dependenciesOnly;

    @Option(names = "-MF", paramLabel = "FILE", description = "Write the make rule of -M or -MD to FILE.")
    String dependencyFile;

    @Option(names = "-MD", description = "Also write a make rule to OUT with the extension .d while compiling.")
    boolean dependenciesToo;

    @Option(names = "--imports", description = "List the names the module expects other modules to define; write no module.")
    boolean listImports;

    @Option(names = "--emit", paramLabel = "WHAT", completionCandidates = EmitKinds.class,
            description = "Print a listing instead of writing a module: ast or bytecodes.")
    String emit;

    @Option(names = "--max-errors", paramLabel = "N", defaultValue = "20",
            description = "Stop after N errors (default: ${DEFAULT-VALUE}).")
    int maxErrors;

    @Option(names = "-Werror", description = "Treat warnings as errors.")
    boolean warningsAreErrors;

    @Option(names = "-w", description = "Do not report warnings.")
    boolean noWarnings;

    @Override public Integer call() throws IOException {
        Dialect forced = null;
        if (!dialect.equals("auto")) {
            forced = Dialect.fromCliName(dialect);
            if (forced == null) throw new Tool.Failure(Tool.USAGE, "unknown dialect '" + dialect + "' (auto, chunk, tonel, gnu, som)");
        }
        if (emit != null && !emit.equals("ast") && !emit.equals("bytecodes"))
            throw new Tool.Failure(Tool.USAGE, "--emit takes ast or bytecodes, not '" + emit + "'");
        if (maxErrors < 1) throw new Tool.Failure(Tool.USAGE, "--max-errors must be at least 1");
        if (inputs.stream().filter(i -> i.equals("-")).count() > 1) throw new Tool.Failure(Tool.USAGE, "- (stdin) given twice");
        if (dependenciesToo && "-".equals(output) && dependencyFile == null)
            throw new Tool.Failure(Tool.USAGE, "-MD needs an output file or -MF: the module goes to standard output");

        Diagnostics diags = new Diagnostics().maxErrors(maxErrors).werror(warningsAreErrors).noWarnings(noWarnings);
        PrintStream err = System.err;
        String out = output != null ? output : defaultOutput(inputs.getFirst());
        List<Node.Unit> units = new ArrayList<>();
        try {
            for (String input : inputs) parseInput(input, forced, diags, units, err);
        } catch (Diagnostics.TooManyErrors stop) {
            diags.print(err);
            return Tool.BAD_INPUT;
        }
        if (emit != null && emit.equals("ast")) {
            diags.print(err);
            for (Node.Unit u : units) System.out.println(AstPrinter.print(u));
            return diags.hasErrors() ? Tool.BAD_INPUT : Tool.OK;
        }
        // Syntax errors do not stop here: the front ends recover, so the compiler can report the
        // semantic errors of the rest of the input in the same run.
        boolean som = units.stream().anyMatch(u -> "som".equalsIgnoreCase(u.dialect()));
        SomClassPath classPath = classpath == null ? null : SomClassPath.parse(classpath);
        if (som && classPath == null) classPath = SomClassPath.parse("");
        if (som && !inputs.getFirst().equals("-")) {
            // SOM VMs search the main file's directory after the class path.
            Path dir = Path.of(inputs.getFirst()).toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(Path.of(inputs.getFirst()))) classPath = classPath.then(dir.toString());
        }
        Compiler.Options options = new Compiler.Options(moduleName(out), referenceModules(som), classPath);
        Compiler.Result result = Compiler.compile(units, options, diags);
        diags.print(err);
        if (diags.hasErrors()) return Tool.BAD_INPUT;

        List<String> deps = new ArrayList<>();
        for (String s : result.sourceFiles()) if (!s.equals("<stdin>")) deps.add(s);
        deps.addAll(result.usedModules());
        String rule = DependencyRule.of(out, deps);
        if (dependenciesOnly) {
            if (dependencyFile != null) AtomicOutput.write(dependencyFile, rule.getBytes(StandardCharsets.UTF_8));
            else System.out.print(rule);
            return Tool.OK;
        }
        if (listImports) {
            for (String name : result.module().imports()) System.out.println(name);
            return Tool.OK;
        }
        if (emit != null) {
            System.out.print(bytecodeListing(result.module()));
            return Tool.OK;
        }
        AtomicOutput.write(out, ModuleWriter.write(result.module()));
        if (dependenciesToo || dependencyFile != null) {
            String d = dependencyFile != null ? dependencyFile : withoutExtension(out) + ".d";
            AtomicOutput.write(d, rule.getBytes(StandardCharsets.UTF_8));
        }
        return Tool.OK;
    }

    private void parseInput(String input, Dialect forced, Diagnostics diags, List<Node.Unit> units, PrintStream err)
            throws IOException {
        if (input.equals("-")) {
            String text = decode(System.in.readAllBytes());
            units.add(parseFile(new SourceFile("<stdin>", text), forced, diags, err));
            return;
        }
        Path path = Path.of(input);
        if (Files.isDirectory(path)) {
            List<Path> files = FrontEnds.packageFiles(path);
            if (files.isEmpty()) throw new Tool.Failure(input + ": no .st files in this directory");
            for (Path f : files) {
                SourceFile file = new SourceFile(f.toString(), read(f));
                units.add(parseFile(file, forced != null ? forced : Dialect.TONEL, diags, err));
            }
            return;
        }
        units.add(parseFile(new SourceFile(input, read(path)), forced, diags, err));
    }

    private Node.Unit parseFile(SourceFile file, Dialect forced, Diagnostics diags, PrintStream err) {
        Dialect d = forced != null ? forced : Dialect.detect(file.path(), file.text());
        if (verbose) err.println("stc: " + file.path() + ": dialect " + d.cliName() + (forced != null ? "" : " (detected)"));
        return FrontEnds.parse(file, d, diags);
    }

    private static String read(Path path) throws IOException {
        return decode(Files.readAllBytes(path));
    }

    /**
     * Source text is UTF-8; a file that is not valid UTF-8 is read as Latin-1, the encoding of
     * older Squeak and VisualWorks fileouts, rather than with replacement characters. A byte order
     * mark is dropped.
     */
    static String decode(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException notUtf8) {
            text = new String(bytes, StandardCharsets.ISO_8859_1);
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private List<Compiler.ReferenceModule> referenceModules(boolean som) throws IOException {
        List<Compiler.ReferenceModule> refs = new ArrayList<>();
        String kernelPath = kernel;
        if (kernelPath == null && !noKernel) {
            String home = System.getProperty("st.home");
            if (home != null && Files.isRegularFile(Path.of(home, "build", "kernel", "kernel.stm")))
                kernelPath = Path.of(home, "build", "kernel", "kernel.stm").toString();
        }
        if (kernelPath != null && !noKernel) refs.add(readModule(kernelPath));
        if (som && !noKernel) {
            String layer = somLayer;
            if (layer == null && kernelPath != null) {
                Path p = Path.of(kernelPath).toAbsolutePath().getParent().resolve("som.stm");
                if (Files.isRegularFile(p)) layer = p.toString();
            }
            if (layer == null) throw new Tool.Failure("cannot find the SOM layer (build/kernel/som.stm): run scripts/build-kernel, or give --som-layer FILE");
            refs.add(readModule(layer));
        }
        for (String m : modules) refs.add(readModule(m));
        return refs;
    }

    private static Compiler.ReferenceModule readModule(String path) throws IOException {
        try {
            return new Compiler.ReferenceModule(path, ModuleReader.read(Path.of(path)).module());
        } catch (FormatException e) {
            throw new Tool.Failure(path + ": not a usable module: " + e.getMessage());
        }
    }

    private static String bytecodeListing(Module module) {
        StringBuilder b = new StringBuilder();
        for (var c : module.classes()) {
            b.append("class ").append(c.name()).append(" : ").append(c.superclass() == null ? "nil" : c.superclass())
                    .append("  ivars ").append(String.join(" ", c.instVars())).append('\n');
        }
        for (MethodDef m : module.methods()) b.append('\n').append(Listing.method(m, true));
        if (!module.startup().isEmpty()) {
            b.append('\n');
            for (Module.MethodRef r : module.startup()) b.append("startup ").append(r).append('\n');
        }
        return b.toString();
    }

    static String defaultOutput(String firstInput) {
        if (firstInput.equals("-")) return "stdin.stm";
        String name = Path.of(firstInput).normalize().getFileName() == null ? "out" : Path.of(firstInput).normalize().getFileName().toString();
        for (String ext : new String[] {".class.st", ".extension.st", ".st", ".som", ".txt"}) {
            if (name.endsWith(ext) && name.length() > ext.length()) { name = name.substring(0, name.length() - ext.length()); break; }
        }
        return name + ".stm";
    }

    private static String withoutExtension(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash + 1 ? path.substring(0, dot) : path;
    }

    private static String moduleName(String out) {
        String name = Path.of(out).getFileName().toString();
        return withoutExtension(name);
    }
}
