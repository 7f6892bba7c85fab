package stc.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import st.cli.Tool;
import st.format.io.ModuleReader;
import st.format.model.Module;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    private static final String GOOD = """
            Object subclass: #Greeter
                instanceVariableNames: 'name'
                classVariableNames: ''
                package: 'Demo'!

            !Greeter methodsFor: 'greeting'!
            greet
                Transcript show: 'Hello, ', name; cr
            ! !

            Greeter new greet!
            """;
    private static final String BAD = """
            Object subclass: #Broken
                instanceVariableNames: ''
                classVariableNames: ''
                package: 'Demo'!

            !Broken methodsFor: 'x'!
            foo
                ^undefinedThing
            ! !
            """;

    @TempDir Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut, savedErr;
    private InputStream savedIn;

    @BeforeEach void capture() {
        savedOut = System.out;
        savedErr = System.err;
        savedIn = System.in;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
        System.setIn(savedIn);
    }

    private int stc(String... args) {
        out.reset();
        err.reset();
        return Tool.run("stc", new stc.Main(), args);
    }

    private String stdout() { return out.toString(StandardCharsets.UTF_8); }

    private String stderr() { return err.toString(StandardCharsets.UTF_8); }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test void compilesToAModuleThatReadsBack() throws Exception {
        Path src = write("greeter.st", GOOD);
        Path stm = dir.resolve("greeter.stm");
        assertEquals(0, stc("--no-kernel", "-o", stm.toString(), src.toString()), stderr());
        Module m = ModuleReader.read(stm).module();
        assertEquals("greeter", m.name());
        assertEquals(List.of("Greeter"), m.exports());
        assertEquals(List.of("Object", "Transcript"), m.imports());
        assertEquals(1, m.startup().size());
    }

    @Test void sameInputGivesByteIdenticalOutput() throws Exception {
        Path src = write("greeter.st", GOOD);
        Files.createDirectories(dir.resolve("one"));
        Files.createDirectories(dir.resolve("two"));
        assertEquals(0, stc("--no-kernel", "-o", dir.resolve("one/g.stm").toString(), src.toString()));
        assertEquals(0, stc("--no-kernel", "-o", dir.resolve("two/g.stm").toString(), src.toString()));
        assertArrayEquals(Files.readAllBytes(dir.resolve("one/g.stm")), Files.readAllBytes(dir.resolve("two/g.stm")));
    }

    @Test void errorsExitOneAndLeaveTheOutputIntact() throws Exception {
        Path src = write("broken.st", BAD);
        Path stm = write("broken.stm", "previous contents");
        assertEquals(1, stc("--no-kernel", "-o", stm.toString(), src.toString()));
        assertEquals("previous contents", Files.readString(stm));
        assertEquals(src + ":8:6: error: undeclared variable 'undefinedThing'\n     ^undefinedThing\n      ^\n", stderr());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temp file may be left behind");
        }
    }

    @Test void errorsWriteNoOutputAtAll() throws Exception {
        Path src = write("broken.st", BAD);
        assertEquals(1, stc("--no-kernel", "-o", dir.resolve("x.stm").toString(), src.toString()));
        assertFalse(Files.exists(dir.resolve("x.stm")));
    }

    @Test void usageErrorsExitTwo() throws Exception {
        Path src = write("greeter.st", GOOD);
        assertEquals(2, stc("--bogus", src.toString()));
        assertEquals(2, stc("--dialect", "cobol", src.toString()));
        assertTrue(stderr().contains("unknown dialect 'cobol'"), stderr());
        assertEquals(2, stc("--emit", "pictures", src.toString()));
        assertEquals(2, stc());
    }

    @Test void missingInputExitsOneNamingTheFile() {
        assertEquals(1, stc("--no-kernel", dir.resolve("nope.st").toString()));
        assertEquals("stc: " + dir.resolve("nope.st") + ": No such file or directory\n", stderr());
    }

    @Test void dependencyRuleWithoutCompiling() throws Exception {
        Path src = write("greeter.st", GOOD);
        Path stm = dir.resolve("greeter.stm");
        assertEquals(0, stc("--no-kernel", "-M", "-o", stm.toString(), src.toString()), stderr());
        assertEquals(stm + ": " + src + "\n", stdout());
        assertFalse(Files.exists(stm));
    }

    @Test void dependencyRuleNamesUsedModulesOnly() throws Exception {
        Path lib = write("lib.st", "Object subclass: #Base\n    instanceVariableNames: 'a'\n    classVariableNames: ''\n    package: 'L'!\n");
        Path other = write("other.st", "Object subclass: #Other\n    instanceVariableNames: ''\n    classVariableNames: ''\n    package: 'L'!\n");
        Path libStm = dir.resolve("lib.stm"), otherStm = dir.resolve("other.stm");
        assertEquals(0, stc("--no-kernel", "-o", libStm.toString(), lib.toString()), stderr());
        assertEquals(0, stc("--no-kernel", "-o", otherStm.toString(), other.toString()), stderr());
        Path app = write("app.st", "Base subclass: #App\n    instanceVariableNames: 'b'\n    classVariableNames: ''\n    package: 'A'!\n");
        assertEquals(0, stc("--no-kernel", "-I", libStm.toString(), "-I", otherStm.toString(), "-M", "-o", "app.stm", app.toString()), stderr());
        assertEquals("app.stm: " + app + " " + libStm + "\n", stdout().replace(" \\\n", ""));
    }

    @Test void dependencyFileBesideTheOutput() throws Exception {
        Path src = write("greeter.st", GOOD);
        Path stm = dir.resolve("greeter.stm");
        assertEquals(0, stc("--no-kernel", "-MD", "-o", stm.toString(), src.toString()), stderr());
        assertTrue(Files.exists(stm));
        assertEquals(stm + ": " + src + "\n", Files.readString(dir.resolve("greeter.d")));
        Path mf = dir.resolve("deps.mk");
        assertEquals(0, stc("--no-kernel", "-M", "-MF", mf.toString(), "-o", stm.toString(), src.toString()), stderr());
        assertEquals("", stdout());
        assertEquals(stm + ": " + src + "\n", Files.readString(mf));
    }

    @Test void importsAreListed() throws Exception {
        Path src = write("greeter.st", GOOD);
        assertEquals(0, stc("--no-kernel", "--imports", src.toString()), stderr());
        assertEquals("Object\nTranscript\n", stdout());
    }

    @Test void emitBytecodesPrintsAListing() throws Exception {
        Path src = write("greeter.st", GOOD);
        assertEquals(0, stc("--no-kernel", "--emit", "bytecodes", src.toString()), stderr());
        assertTrue(stdout().contains("Greeter>>greet"), stdout());
        assertTrue(stdout().contains("push_binding"), stdout());
        assertFalse(Files.exists(Path.of("greeter.stm")));
    }

    @Test void emitAstPrintsTheTree() throws Exception {
        Path src = write("greeter.st", GOOD);
        assertEquals(0, stc("--no-kernel", "--emit", "ast", src.toString()), stderr());
        assertTrue(stdout().contains("Greeter"), stdout());
    }

    @Test void readsStandardInput() throws Exception {
        System.setIn(new ByteArrayInputStream(GOOD.getBytes(StandardCharsets.UTF_8)));
        Path stm = dir.resolve("in.stm");
        assertEquals(0, stc("--no-kernel", "-v", "-o", stm.toString(), "-"), stderr());
        assertTrue(stderr().contains("<stdin>: dialect chunk"), stderr());
        assertEquals(List.of("<stdin>"), ModuleReader.read(stm).module().sourceFiles());
    }

    @Test void severalInputsMakeOneModule() throws Exception {
        Path a = write("a.st", GOOD);
        Path b = write("b.st", "!Greeter methodsFor: 'more'!\nshout\n    ^self greet\n! !\n");
        Path stm = dir.resolve("ab.stm");
        assertEquals(0, stc("--no-kernel", "-o", stm.toString(), a.toString(), b.toString()), stderr());
        Module m = ModuleReader.read(stm).module();
        assertEquals(List.of(a.toString(), b.toString()), m.sourceFiles());
        assertEquals(2, m.methods().stream().filter(x -> x.className().equals("Greeter")).count());
    }

    @Test void maxErrorsLimitsTheReport() throws Exception {
        Path src = write("many.st", BAD.replace("^undefinedThing", "^a + b + c + d + e"));
        assertEquals(1, stc("--no-kernel", "--max-errors", "2", src.toString()));
        assertEquals(2, stderr().lines().filter(l -> l.contains(": error: ")).count(), stderr());
        assertTrue(stderr().contains("too many errors"), stderr());
    }

    @Test void werrorAndNoWarnings() throws Exception {
        Path src = write("warn.st", GOOD.replace("greet\n", "greet\n    | unused |\n"));
        Path stm = dir.resolve("warn.stm");
        assertEquals(0, stc("--no-kernel", "-o", stm.toString(), src.toString()));
        assertTrue(stderr().contains("warning: unused temporary 'unused'"), stderr());
        assertEquals(0, stc("--no-kernel", "-w", "-o", stm.toString(), src.toString()));
        assertEquals("", stderr());
        Files.delete(stm);
        assertEquals(1, stc("--no-kernel", "-Werror", "-o", stm.toString(), src.toString()));
        assertFalse(Files.exists(stm));
    }

    @Test void corruptReferencedModuleIsANamedError() throws Exception {
        Path src = write("greeter.st", GOOD);
        Path junk = write("junk.stm", "this is not a module");
        assertEquals(1, stc("--no-kernel", "-I", junk.toString(), src.toString()));
        assertTrue(stderr().startsWith("stc: " + junk + ": not a usable module: "), stderr());
    }

    @Test void defaultOutputNameComesFromTheFirstInput() {
        assertEquals("greeter.stm", stc.MainAccess.defaultOutput("dir/greeter.st"));
        assertEquals("Point.stm", stc.MainAccess.defaultOutput("awfy/Point.som"));
        assertEquals("Pkg.stm", stc.MainAccess.defaultOutput("src/Pkg/"));
        assertEquals("Foo.stm", stc.MainAccess.defaultOutput("Foo.class.st"));
    }

    @Test void dependencyRulesEscapeAndWrap() {
        assertEquals("a\\ b.stm: x$$y.st\n", DependencyRule.of("a b.stm", List.of("x$y.st")));
        String wrapped = DependencyRule.of("out.stm", List.of("a".repeat(40) + ".st", "b".repeat(40) + ".st"));
        assertEquals("out.stm: " + "a".repeat(40) + ".st \\\n " + "b".repeat(40) + ".st\n", wrapped);
    }

    @Test void syntaxAndSemanticErrorsAreReportedTogether() throws Exception {
        Path src = write("two.st", BAD + "\n!Broken methodsFor: 'y'!\nbar\n    ^(1 + \n! !\n");
        assertEquals(1, stc("--no-kernel", src.toString()));
        assertTrue(stderr().contains("undeclared variable 'undefinedThing'"), stderr());
        assertTrue(stderr().lines().filter(l -> l.contains(": error: ")).count() >= 2, stderr());
    }

    @Test void sourceTextIsUtf8ElseLatin1WithoutByteOrderMark() {
        assertEquals("'café'", stc.MainAccess.decode("'café'".getBytes(StandardCharsets.UTF_8)));
        assertEquals("'café'", stc.MainAccess.decode("'café'".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("x", stc.MainAccess.decode(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'x'}));
    }

    @Test void moduleToStandardOutput() throws Exception {
        Path src = write("greeter.st", GOOD);
        assertEquals(0, stc("--no-kernel", "-o", "-", src.toString()), stderr());
        assertTrue(ModuleReader.hasMagic(out.toByteArray()));
        assertEquals(2, stc("--no-kernel", "-MD", "-o", "-", src.toString()));
    }
}
