package stc.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import st.cli.Tool;
import st.format.io.ModuleReader;
import st.format.model.Module;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The representative program of each dialect (the front end's test files) compiles through the CLI. */
class DialectProgramsTest {
    private static final String DIALECTS = "src/test/resources/dialects/";

    @TempDir Path dir;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;

    @BeforeEach void capture() {
        savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach void restore() { System.setErr(savedErr); }

    private Module compile(String... args) throws Exception {
        Path out = dir.resolve("out.stm");
        String[] all = new String[args.length + 3];
        all[0] = "--no-kernel";
        all[1] = "-o";
        all[2] = out.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        int code = Tool.run("stc", new stc.Main(), all);
        String diagnostics = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, diagnostics);
        assertTrue(!diagnostics.contains(": error: "), diagnostics);
        return ModuleReader.read(out).module();
    }

    @Test void tonelPackageDirectory() throws Exception {
        Module m = compile(DIALECTS + "tonel/Shapes");
        assertTrue(m.exports().containsAll(List.of("Shape", "Circle", "Rectangle")), m.exports().toString());
        assertTrue(m.methods().stream().anyMatch(x -> x.className().equals("Number")), "extension methods kept");
    }

    @Test void chunkFileOutAgainstAModuleDefiningError() throws Exception {
        Path kernelish = dir.resolve("k.st");
        Files.writeString(kernelish, "Object subclass: #Exception\n    instanceVariableNames: 'messageText'\n"
                + "    classVariableNames: ''\n    package: 'K'!\nException subclass: #Error\n"
                + "    instanceVariableNames: ''\n    classVariableNames: ''\n    package: 'K'!\n");
        Path k = dir.resolve("k.stm");
        assertEquals(0, Tool.run("stc", new stc.Main(), "--no-kernel", "-o", k.toString(), kernelish.toString()));
        Module m = compile("-I", k.toString(), DIALECTS + "chunk/Bank.st");
        assertTrue(m.imports().contains("Error"), m.imports().toString());
        assertTrue(m.classes().size() >= 2, m.classes().toString());
    }

    @Test void gnuScript() throws Exception {
        Module m = compile(DIALECTS + "gnu/Inventory.st");
        assertTrue(!m.startup().isEmpty(), "top-level statements run at startup");
    }

    @Test void somClassWithItsClassPath() throws Exception {
        Module m = compile("--classpath", DIALECTS + "som", DIALECTS + "som/Ball.som");
        assertTrue(m.exports().contains("Ball"), m.exports().toString());
        assertEquals(List.of(new Module.MethodRef("Ball", true, "startSomProgram")), m.startup(),
                "a SOM program starts its main class: Ball new run: args");
        assertEquals(Module.FLAG_SOM, m.flags() & Module.FLAG_SOM, "a SOM module runs with the SOM layer");
    }

    @Test void somClassPathAsSomVmsSpellIt() throws Exception {
        Module m = compile("-cp", DIALECTS + "som", DIALECTS + "som/Ball.som");
        assertTrue(m.exports().contains("Ball"), m.exports().toString());
    }
}
