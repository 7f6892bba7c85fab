package bench.stc;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
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
import java.util.concurrent.TimeUnit;

/**
 * Parse and compile throughput of {@code stc}, in source lines per second, on a generated chunk
 * file of {@value #CLASSES} classes ({@value #LINES} lines, every construct the compiler treats
 * specially) and on the kernel sources. Run with
 * {@code java -cp ... org.openjdk.jmh.Main bench.stc.CompileBench}, or {@code main} for a quick
 * figure without JMH.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CompileBench {
    static final int CLASSES = 2000;
    static final int LINES_PER_CLASS = 50;
    static final int LINES = CLASSES * LINES_PER_CLASS;

    private SourceFile generated;
    private List<SourceFile> kernel;

    @Setup public void setup() throws IOException {
        generated = new SourceFile("generated.st", generate(CLASSES));
        kernel = kernelSources();
    }

    /** Parse only: the front end's share of the time. One operation is one line. */
    @Benchmark @OperationsPerInvocation(LINES)
    public Node.Unit parseGenerated() {
        return FrontEnds.parse(generated, Dialect.CHUNK, new Diagnostics());
    }

    /** Parse and compile into a module. One operation is one line. */
    @Benchmark @OperationsPerInvocation(LINES)
    public Module parseAndCompileGenerated() {
        return compile(List.of(generated));
    }

    /** Parse and compile the kernel sources (a package directory of real code); one operation is the whole kernel. */
    @Benchmark
    public Module parseAndCompileKernel() {
        return compile(kernel);
    }

    static Module compile(List<SourceFile> files) {
        Diagnostics diags = new Diagnostics().noWarnings(true);
        List<Node.Unit> units = new ArrayList<>();
        for (SourceFile f : files) units.add(FrontEnds.parse(f, Dialect.detect(f.path(), f.text()), diags));
        Module m = Compiler.compile(units, Compiler.Options.named("bench"), diags).module();
        if (diags.hasErrors()) throw new IllegalStateException(diags.all().getFirst().header());
        return m;
    }

    /** The kernel's sources, found from {@code st.home} or the working directory; empty when absent. */
    static List<SourceFile> kernelSources() throws IOException {
        String home = System.getProperty("st.home", ".");
        Path dir = Path.of(home, "kernel", "Core");
        if (!Files.isDirectory(dir)) dir = Path.of(home, "..", "kernel", "Core");
        List<SourceFile> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        for (Path p : FrontEnds.packageFiles(dir)) {
            out.add(new SourceFile(p.toString(), Files.readString(p, StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** A chunk-format file of {@code classes} classes of exactly {@value #LINES_PER_CLASS} lines each. */
    static String generate(int classes) {
        StringBuilder b = new StringBuilder(classes * 1800);
        for (int n = 0; n < classes; n++) {
            String name = "Gen" + n;
            String superclass = n % 10 == 0 ? "Object" : "Gen" + (n - 1);
            b.append(superclass).append(" subclass: #").append(name).append('\n')
             .append("    instanceVariableNames: 'a").append(n).append(" b").append(n).append("'\n")
             .append("    classVariableNames: 'Shared").append(n).append("'\n")
             .append("    package: 'Generated'!\n")
             .append('\n')
             .append('!').append(name).append(" methodsFor: 'generated'!\n");
            // six methods of seven lines each
            b.append("sum: x\n    | total |\n    total := 0.\n    1 to: x do: [:i | total := total + (i * a").append(n)
             .append(")].\n    [total > 1000] whileTrue: [total := total // 2].\n    ^total\n!\n");
            b.append("collect: coll\n    | count |\n    count := 0.\n    ^coll collect: [:e |\n        count := count + 1.\n")
             .append("        e isNil ifTrue: [count] ifFalse: [e + count]]\n!\n");
            b.append("describe\n    \"a printable description\"\n    ^String new: 10 streamContents: [:s |\n        s nextPutAll: 'Gen").append(n)
             .append("'; print: b").append(n).append(";\n          nextPutAll: #(1 $a 'x' #sym 2.5);\n")
             .append("          print: Shared").append(n).append("]\n!\n");
            b.append("find: x in: coll\n    \"the first element equal to x\"\n    coll do: [:e | e = x ifTrue: [^e]].\n    ^b").append(n)
             .append(" ifNil: [0] ifNotNil: [:v | v + 1]\n    \"falls through when absent\"\n    \n!\n");
            b.append("initialize\n    a").append(n).append(" := 0.\n    b").append(n).append(" := OrderedCollection new.\n")
             .append("    Shared").append(n).append(" := Dictionary new.\n    3 timesRepeat: [b").append(n)
             .append(" add: a").append(n).append("].\n    ^self\n!\n");
            b.append("compare: other\n    \"true when other is in range\"\n    ^(a").append(n).append(" < other and: [other <= 100])\n")
             .append("        or: [{a").append(n).append(". other. 16r1F. 1e3} size > 3\n")
             .append("            and: [super printString notNil]]\n    \n!\n");
            b.append(" !\n\n");
        }
        return b.toString();
    }

    /** A quick figure without JMH: best of several runs, in lines per second. */
    public static void main(String[] args) throws IOException {
        String text = generate(CLASSES);
        long lines = text.lines().count();
        if (lines != LINES) throw new IllegalStateException("generated " + lines + " lines, expected " + LINES);
        SourceFile file = new SourceFile("generated.st", text);
        List<SourceFile> kernel = kernelSources();
        long kernelLines = kernel.stream().mapToLong(f -> f.text().lines().count()).sum();
        double bestParse = Double.MAX_VALUE, bestCompile = Double.MAX_VALUE, bestKernel = Double.MAX_VALUE;
        for (int round = 0; round < 15; round++) {
            long t0 = System.nanoTime();
            FrontEnds.parse(file, Dialect.CHUNK, new Diagnostics());
            long t1 = System.nanoTime();
            compile(List.of(file));
            long t2 = System.nanoTime();
            if (!kernel.isEmpty()) compile(kernel);
            long t3 = System.nanoTime();
            bestParse = Math.min(bestParse, (t1 - t0) / 1e9);
            bestCompile = Math.min(bestCompile, (t2 - t1) / 1e9);
            bestKernel = Math.min(bestKernel, (t3 - t2) / 1e9);
        }
        System.out.printf("generated: %d lines; parse %.0f lines/s; parse+compile %.0f lines/s%n",
                lines, lines / bestParse, lines / bestCompile);
        if (!kernel.isEmpty()) System.out.printf("kernel: %d lines; parse+compile %.0f lines/s%n", kernelLines, kernelLines / bestKernel);
    }
}
