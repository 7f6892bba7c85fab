package bench.stjit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import st.format.io.ModuleReader;
import st.format.model.CodeDef;
import st.format.model.Literal;
import st.format.model.MethodDef;
import st.format.model.Module;
import stjit.lib.LibraryBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of {@code stjit}: the whole kernel module (build/kernel/kernel.stm, built by
 * scripts/build-kernel) laid out as a heap image and nativized, as {@code stjit --no-kernel}
 * does. {@code main} prints bytecodes per second without JMH; under JMH the score is kernels
 * per second (multiply by the bytecode count that main prints). Run with
 * {@code java -cp 'build/lib/*:bench/target/classes:...' org.openjdk.jmh.Main bench.stjit.NativizeBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class NativizeBench {
    private Module kernel;

    @Setup public void setup() throws Exception { kernel = readKernel(); }

    @Benchmark public Module nativizeKernel() {
        return LibraryBuilder.build(List.of(), kernel, Module.Target.LINUX_X64);
    }

    static Module readKernel() throws Exception {
        Path home = Path.of(System.getProperty("st.home", "."));
        Path file = home.resolve("build/kernel/kernel.stm");
        if (!Files.isRegularFile(file)) throw new IllegalStateException(file + " is missing: run scripts/build-kernel");
        return ModuleReader.read(file).module();
    }

    /** Bytecodes of every method and block of the module. */
    static long bytecodes(Module m) {
        long n = 0;
        for (MethodDef d : m.methods()) n += bytecodes(d.code());
        return n;
    }

    static long bytecodes(CodeDef c) {
        long n = c.bytecodes().length;
        for (Literal l : c.literals()) if (l instanceof Literal.Block b) n += bytecodes(b.code());
        return n;
    }

    public static void main(String[] args) throws Exception {
        Module kernel = readKernel();
        long bytes = bytecodes(kernel);
        for (int i = 0; i < 5; i++) LibraryBuilder.build(List.of(), kernel, Module.Target.LINUX_X64);
        int rounds = 10;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) LibraryBuilder.build(List.of(), kernel, Module.Target.LINUX_X64);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("stjit: %d bytecode bytes in the kernel, %.0f ms per kernel, %.0f bytecode bytes/s%n",
                bytes, 1000 * seconds / rounds, bytes * rounds / seconds);
    }
}
