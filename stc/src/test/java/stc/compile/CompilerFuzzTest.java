package stc.compile;

import com.code_intelligence.jazzer.junit.FuzzTest;
import st.format.io.FormatException;
import st.format.io.ModuleReader;
import st.format.io.ModuleWriter;
import st.format.model.Module;
import stc.ast.Node;
import stc.ast.SourceFile;
import stc.diag.Diagnostics;
import stc.parse.Dialect;
import stc.parse.FrontEndFuzzTest;
import stc.parse.FrontEnds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Compiles whatever the front ends parse cleanly, against the real kernel module. The compiler may
 * report errors (or stop with {@link Diagnostics.TooManyErrors}) but must not throw; a module it
 * produces without errors must be valid: the writer accepts it, the reader reads it back equal,
 * and compiling the same input again gives the same bytes.
 *
 * <p>The first byte of an input picks the dialect (its value modulo 4, in {@link Dialect} order:
 * chunk, tonel, gnu, som); the rest is the source text. Seeds are in
 * {@code src/test/resources/stc/compile/CompilerFuzzTestInputs/compileParsedSource/}.
 */
class CompilerFuzzTest {
    private static final Module KERNEL = compileKernel();

    @FuzzTest(maxDuration = "5s")
    void compileParsedSource(byte[] data) {
        if (data.length == 0) return;
        Dialect dialect = Dialect.values()[Byte.toUnsignedInt(data[0]) % Dialect.values().length];
        byte[] source = Arrays.copyOfRange(data, 1, data.length);
        Node.Unit unit = FrontEndFuzzTest.parseAnything(source, dialect);
        if (unit == null) return;
        FrontEndFuzzTest.Budget.enforce(source.length, () -> {
            byte[] first = compile(unit);
            if (first == null) return;
            try {
                assertArrayEquals(first, ModuleWriter.write(ModuleReader.read(first)), "the module changed in a read/write round trip");
            } catch (FormatException e) {
                throw new AssertionError("the compiler produced a module the reader rejects: " + e.getMessage(), e);
            }
            assertArrayEquals(first, compile(unit), "compiling the same source twice gave different modules");
        });
    }

    /** The written module, or null when the compiler reported errors. */
    private static byte[] compile(Node.Unit unit) {
        Diagnostics diags = new Diagnostics().maxErrors(20);
        Compiler.Options options = new Compiler.Options("fuzz",
                KERNEL == null ? List.of() : List.of(new Compiler.ReferenceModule("kernel.stm", KERNEL)), null);
        Compiler.Result result;
        try {
            result = Compiler.compile(List.of(unit), options, diags);
        } catch (Diagnostics.TooManyErrors stop) {
            return null;
        }
        return diags.hasErrors() ? null : ModuleWriter.write(result.module());
    }

    /** The kernel sources of this checkout, compiled once per run, so inputs can use its classes. */
    private static Module compileKernel() {
        List<Path> dirs = List.of(Path.of("../kernel/Runtime"), Path.of("../kernel/Linux"), Path.of("../kernel/Core"));
        if (!dirs.stream().allMatch(Files::isDirectory)) return null;
        try {
            List<Node.Unit> units = new ArrayList<>();
            Diagnostics diags = new Diagnostics();
            for (Path dir : dirs)
                for (Path p : FrontEnds.packageFiles(dir))
                    units.add(FrontEnds.parse(new SourceFile(p.toString(), Files.readString(p)), Dialect.TONEL, diags));
            Compiler.Result result = Compiler.compile(units, Compiler.Options.named("kernel"), diags);
            if (diags.hasErrors()) throw new IllegalStateException("the kernel does not compile: " + diags.all().getFirst().render());
            return result.module();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
