package stc.compile;

import org.junit.jupiter.api.Test;
import st.format.io.ModuleReader;
import st.format.io.ModuleWriter;
import st.format.model.ClassDef;
import st.format.model.CodeDef;
import st.format.model.Literal;
import st.format.model.MethodDef;
import st.format.model.Module;
import stc.ast.SourceFile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static stc.compile.CompilerTesting.chunkClass;
import static stc.compile.CompilerTesting.compile;

class CompilerTest {
    private static SourceFile[] goldenSources() throws Exception {
        List<SourceFile> files = new ArrayList<>();
        try (var s = Files.list(Path.of("src/test/resources/golden"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".st")).sorted().toList()) {
                files.add(new SourceFile("golden/" + p.getFileName(), Files.readString(p, StandardCharsets.UTF_8)));
            }
        }
        return files.toArray(SourceFile[]::new);
    }

    @Test void sameInputsGiveByteIdenticalModules() throws Exception {
        SourceFile[] files = goldenSources();
        CompilerTesting.Compiled a = compile(Compiler.Options.named("all"), files);
        CompilerTesting.Compiled b = compile(Compiler.Options.named("all"), files);
        assertFalse(a.diags().hasErrors(), a.messages());
        assertArrayEquals(ModuleWriter.write(a.module()), ModuleWriter.write(b.module()));
    }

    @Test void modulesRoundTripThroughTheFileFormat() throws Exception {
        CompilerTesting.Compiled c = compile(Compiler.Options.named("all"), goldenSources());
        Module back = ModuleReader.read(ModuleWriter.write(c.module())).module();
        assertEquals(c.module(), back);
    }

    @Test void everyCodeObjectHasConsistentStackDepthsAndFrameSize() throws Exception {
        CompilerTesting.Compiled c = compile(Compiler.Options.named("all"), goldenSources());
        for (MethodDef m : c.module().methods()) StackCheck.check(m.code(), m.qualifiedName());
    }

    @Test void stackCheckCatchesAWrongFrameSize() {
        MethodDef m = compile("t.st", chunkClass("T", "", "foo\n    ^3 + 4")).method("T>>foo");
        CodeDef c = m.code();
        CodeDef wrong = new CodeDef(c.numArgs(), c.numCopied(), c.numTemps(), 1, c.flags(), c.bytecodes(), c.literals(), c.sourceMap());
        try {
            StackCheck.check(wrong, "wrong");
        } catch (AssertionError expected) {
            return;
        }
        throw new AssertionError("a frame size of 1 for 3 + 4 went unnoticed");
    }

    @Test void primitivesAndPragmas() {
        String src = chunkClass("T", "",
                "add: x\n    <primitive: 1>\n    ^self error: 'failed'",
                "named\n    <primitive: 'primFoo' module: 'Bar'>\n    ^nil",
                "tagged\n    <category: 'x'> <gcRoot>\n    ^1");
        CompilerTesting.Compiled c = compile("t.st", src);
        assertEquals("", c.messages());
        assertEquals(1, c.method("T>>add:").primitive());
        assertEquals("Bar:primFoo", c.method("T>>named").primitiveName());
        MethodDef tagged = c.method("T>>tagged");
        assertEquals(List.of(new MethodDef.Pragma("category:", List.of(new Literal.Str("x"))),
                new MethodDef.Pragma("gcRoot", List.of())), tagged.pragmas());
    }

    @Test void eachFilesTopLevelStatementsBecomeOneStartupMethod() {
        String first = "| t |\nt := 3!\n" + chunkClass("T", "", "foo\n    ^1") + "\nTranscript show: t printString!\n";
        String second = "U new!\n";
        CompilerTesting.Compiled c = compile(Compiler.Options.named("my-app"), new SourceFile("a.st", first),
                new SourceFile("b.st", second));
        assertEquals("", c.messages());
        assertEquals(List.of("UndefinedObject>>__doIt_my_app_1", "UndefinedObject>>__doIt_my_app_2"),
                c.module().startup().stream().map(Module.MethodRef::toString).toList());
        MethodDef a = c.method("UndefinedObject>>__doIt_my_app_1");
        assertEquals(1, a.code().numTemps(), "t lives across the class definition");
        assertEquals(List.of(new Literal.Binding(null, "U")), c.method("UndefinedObject>>__doIt_my_app_2").code().literals());
    }

    @Test void classVariableInitializersRunWhereTheClassIsDefined() {
        String gnu = "| a |\na := 1.\nObject subclass: Foo [\n    Limit := 10.\n]\nFoo new.\n";
        CompilerTesting.Compiled c = compile("g.st", gnu);
        assertEquals("", c.messages());
        assertEquals(List.of("UndefinedObject>>__doIt_test_1"), c.module().startup().stream().map(Module.MethodRef::toString).toList());
        String listing = CodeListing.of(c.method("UndefinedObject>>__doIt_test_1"));
        assertTrue(listing.indexOf("#__initClassVariables") > listing.indexOf("pop_store_temp 0"), listing);
        assertTrue(listing.indexOf("#__initClassVariables") < listing.indexOf("#new"), listing);

        CompilerTesting.Compiled noStatements = compile("h.st", "Object subclass: Foo [\n    Limit := 10.\n]\n");
        assertEquals(List.of("Foo class>>__initClassVariables"),
                noStatements.module().startup().stream().map(Module.MethodRef::toString).toList());
    }

    @Test void aTonelClassInitializerRunsAtStartupBeforeLaterStatements() {
        String tonel = "Class {\n\t#name : #Reg,\n\t#superclass : #Object,\n\t#classVars : [ 'Items' ],\n\t#category : #T\n}\n\n"
                + "{ #category : #init }\nReg class >> initialize [\n\tItems := 0\n]\n\n"
                + "{ #category : #init }\nReg >> initialize [\n\tItems := 1\n]\n";
        CompilerTesting.Compiled c = CompilerTesting.compile(Compiler.Options.named("test"),
                new SourceFile("Reg.class.st", tonel), new SourceFile("main.st", "Reg new.\n"));
        assertEquals("", c.messages());
        assertEquals(List.of("Reg class>>initialize", "UndefinedObject>>__doIt_test_1"),
                c.module().startup().stream().map(Module.MethodRef::toString).toList());
        // A chunk fileout says "Reg initialize!" itself: its class-side initialize is not a startup entry.
        CompilerTesting.Compiled chunk = compile("r.st", "Object subclass: #Reg\n    instanceVariableNames: ''\n"
                + "    classVariableNames: ''\n    package: 'T'!\n\n!Reg class methodsFor: 'init'!\ninitialize\n    ^self\n! !\n");
        assertEquals(List.of(), chunk.module().startup().stream().map(Module.MethodRef::toString).toList());
    }

    @Test void superclassLayoutComesFromAReferencedModule() {
        Module lib = compile("lib.st", chunkClass("Base", "a b")).module();
        String src = "Base subclass: #Derived\n    instanceVariableNames: 'c'\n    classVariableNames: ''\n    package: 'X'!\n"
                + "!Derived methodsFor: 'x'!\nc\n    ^c + a\n! !\n";
        Compiler.Options options = new Compiler.Options("app", List.of(new Compiler.ReferenceModule("lib.stm", lib)), null);
        Compiler.Result r = Compiler.compile(List.of(stc.parse.FrontEnds.parse(new SourceFile("d.st", src),
                stc.parse.Dialect.CHUNK, new stc.diag.Diagnostics())), options, new stc.diag.Diagnostics());
        MethodDef c = r.module().methods().getFirst();
        String listing = CodeListing.of(c);
        assertTrue(listing.contains("push_inst 2"), listing);
        assertTrue(listing.contains("push_inst 0"), listing);
        assertEquals(List.of("lib.stm"), r.usedModules());
        assertEquals(List.of("Base"), r.module().imports());
        assertEquals(List.of("Derived"), r.module().exports());
    }

    @Test void unusedReferencedModulesAreNotDependencies() {
        Module lib = compile("lib.st", chunkClass("Base", "a")).module();
        Compiler.Options options = new Compiler.Options("app", List.of(new Compiler.ReferenceModule("lib.stm", lib)), null);
        Compiler.Result r = Compiler.compile(List.of(stc.parse.FrontEnds.parse(new SourceFile("d.st", chunkClass("D", "")),
                stc.parse.Dialect.CHUNK, new stc.diag.Diagnostics())), options, new stc.diag.Diagnostics());
        assertEquals(List.of(), r.usedModules());
    }

    @Test void classSideInstanceVariablesFollowThoseOfClass() {
        String kernelish = "Object subclass: #Behavior\n    instanceVariableNames: 'superclass methodDict format'\n"
                + "    classVariableNames: ''\n    package: 'K'!\n"
                + "Behavior subclass: #Class\n    instanceVariableNames: 'name'\n    classVariableNames: ''\n    package: 'K'!\n";
        Module kernel = compile("k.st", kernelish).module();
        String src = chunkClass("T", "", "foo\n    ^1") + "\nT class instanceVariableNames: 'count'!\n"
                + "!T class methodsFor: 'x'!\ncount\n    ^count\n! !\n";
        Compiler.Options options = new Compiler.Options("app", List.of(new Compiler.ReferenceModule("kernel.stm", kernel)), null);
        CompilerTesting.Compiled c = compile(options, new SourceFile("t.st", src));
        assertEquals("", c.messages());
        assertTrue(CodeListing.of(c.method("T class>>count")).contains("push_inst 4"), CodeListing.of(c.method("T class>>count")));
    }

    @Test void objectAndNilSuperclassesNeedNoKernel() {
        String src = "nil subclass: #Root\n    instanceVariableNames: 'x'\n    classVariableNames: ''\n    package: 'X'!\n"
                + chunkClass("T", "y");
        CompilerTesting.Compiled c = compile("t.st", src);
        assertEquals("", c.messages());
        ClassDef root = c.module().classes().getFirst();
        assertNull(root.superclass());
        assertEquals("Object", c.module().classes().get(1).superclass());
    }

    @Test void extensionMethodsOfUnknownClassesImportTheClass() {
        String src = "!Integer methodsFor: 'x'!\ndouble\n    ^self * 2\n! !\n";
        CompilerTesting.Compiled c = compile("t.st", src);
        assertEquals("", c.messages());
        assertEquals(List.of("Integer"), c.module().imports());
        assertEquals("Integer>>double", c.module().methods().getFirst().qualifiedName());
    }

    @Test void sourceMapAndMetadataAreRecorded() {
        MethodDef m = compile("t.st", chunkClass("T", "", "foo: x\n    | t |\n    t := x.\n    ^t")).method("T>>foo:");
        assertEquals(7, m.line());
        assertEquals(1, m.col());
        assertEquals(1, m.code().numArgs());
        assertEquals(1, m.code().numTemps());
        assertEquals(new CodeDef.SourcePos(0, 9, 10), m.code().sourceMap().getFirst());
        assertTrue(m.source().startsWith("foo: x"), m.source());
    }

    /** Real code from elsewhere in the repository: whatever it reports, every code object it yields is sound. */
    @Test void kernelAndDialectSourcesCompileToSoundCode() throws Exception {
        List<SourceFile> files = new ArrayList<>();
        for (Path dir : List.of(Path.of("../kernel/Core"), Path.of("src/test/resources/dialects/tonel/Shapes"))) {
            if (!Files.isDirectory(dir)) continue;
            for (Path p : stc.parse.FrontEnds.packageFiles(dir)) files.add(new SourceFile(p.toString(), Files.readString(p)));
        }
        for (String f : List.of("chunk/Bank.st", "gnu/Inventory.st", "som/Ball.som", "som/Bounce.som")) {
            Path p = Path.of("src/test/resources/dialects", f);
            if (Files.exists(p)) files.add(new SourceFile(p.toString(), Files.readString(p)));
        }
        assertFalse(files.isEmpty());
        int checked = 0;
        for (SourceFile f : files) {
            CompilerTesting.Compiled c = compile(Compiler.Options.named("real"), f);
            for (MethodDef m : c.module().methods()) {
                StackCheck.check(m.code(), f.path() + " " + m.qualifiedName());
                checked++;
            }
        }
        assertTrue(checked > 20, "only " + checked + " methods compiled");
    }

    @Test void compileSourcesDetectsEachFilesDialect() {
        stc.diag.Diagnostics diags = new stc.diag.Diagnostics();
        Compiler.Result r = Compiler.compileSources(List.of(
                new SourceFile("a.st", chunkClass("A", "x", "x\n    ^x")),
                new SourceFile("B.som", "B = A ( | y | y = ( ^y ) )")), null, Compiler.Options.named("mixed"), diags);
        assertFalse(diags.hasErrors(), diags.all().toString());
        assertEquals(List.of("A", "B"), r.module().exports());
        assertTrue(CodeListing.of(r.module()).contains("method B>>y\n  code: args 0 temps 0 frame 1 literals 0\n     0  push_inst 1"),
                CodeListing.of(r.module()));
    }
}
