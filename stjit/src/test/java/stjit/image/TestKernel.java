package stjit.image;

import st.format.model.Module;
import stc.ast.Node;
import stc.ast.SourceFile;
import stc.compile.Compiler;
import stc.diag.Diagnostics;
import stc.parse.Dialect;
import stc.parse.FrontEnds;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * kernel/Runtime compiled for tests, with stand-ins for the few class-library classes it names as
 * superclasses or globals (the real ones live in kernel/Core).
 */
public final class TestKernel {
    private TestKernel() {}

    private static Module runtime;

    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("kernel/Runtime"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("no kernel/Runtime above the working directory");
        return p;
    }

    public static synchronized Module runtime() throws IOException {
        if (runtime != null) return runtime;
        Diagnostics diags = new Diagnostics();
        List<Node.Unit> units = new ArrayList<>();
        units.add(FrontEnds.parse(new SourceFile("standins.st", STAND_INS), Dialect.CHUNK, diags));
        List<Path> files = new ArrayList<>(FrontEnds.packageFiles(root().resolve("kernel/Runtime")));
        files.addAll(FrontEnds.packageFiles(root().resolve("kernel/Linux")));
        for (Path p : files) {
            SourceFile f = new SourceFile(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
            units.add(FrontEnds.parse(f, Dialect.detect(f.path(), f.text()), diags));
        }
        Compiler.Result r = Compiler.compile(units, Compiler.Options.named("kernel"), diags);
        if (diags.hasErrors()) {
            var out = new java.io.ByteArrayOutputStream();
            diags.print(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
            throw new IllegalStateException(out.toString(StandardCharsets.UTF_8));
        }
        runtime = r.module();
        return runtime;
    }

    /** Compiles a program (chunk format) against the test kernel. */
    public static Module program(String name, String source) throws IOException {
        Diagnostics diags = new Diagnostics();
        Node.Unit unit = FrontEnds.parse(new SourceFile(name + ".st", source), Dialect.CHUNK, diags);
        Compiler.Result r = Compiler.compile(List.of(unit),
                new Compiler.Options(name, List.of(new Compiler.ReferenceModule("kernel", runtime())), null), diags);
        if (diags.hasErrors()) throw new IllegalStateException("program does not compile");
        return r.module();
    }

    private static final String STAND_INS = """
            Object subclass: #Magnitude instanceVariableNames: '' classVariableNames: '' package: 'Test'!
            Magnitude subclass: #Number instanceVariableNames: '' classVariableNames: '' package: 'Test'!
            Number subclass: #Integer instanceVariableNames: '' classVariableNames: '' package: 'Test'!
            Integer variableByteSubclass: #LargePositiveInteger instanceVariableNames: '' classVariableNames: '' package: 'Test'!
            LargePositiveInteger variableByteSubclass: #LargeNegativeInteger instanceVariableNames: '' classVariableNames: '' package: 'Test'!
            Object subclass: #Collection instanceVariableNames: '' classVariableNames: '' package: 'Test'!
            Collection subclass: #SequenceableCollection instanceVariableNames: '' classVariableNames: '' package: 'Test'!
            SequenceableCollection subclass: #ArrayedCollection instanceVariableNames: '' classVariableNames: '' package: 'Test'!
            Object subclass: #StdioStream instanceVariableNames: '' classVariableNames: '' package: 'Test'!
            Object subclass: #StackOverflow instanceVariableNames: '' classVariableNames: '' package: 'Test'!
            """;
}
