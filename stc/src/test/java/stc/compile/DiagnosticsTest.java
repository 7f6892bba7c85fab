package stc.compile;

import org.junit.jupiter.api.Test;
import stc.ast.SourceFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static stc.compile.CompilerTesting.chunkClass;
import static stc.compile.CompilerTesting.compile;

/** One test per diagnostic the compiler reports: the exact message and position. Methods start on line 7. */
class DiagnosticsTest {
    private static String messages(String ivars, String... methods) {
        return compile("t.st", chunkClass("T", ivars, methods)).messages();
    }

    @Test void undeclaredLowercaseVariableIsAnError() {
        assertEquals("t.st:8:6: error: undeclared variable 'bar'\n", messages("", "foo\n    ^bar"));
    }

    @Test void topLevelStatementsDeclareTheVariablesTheyAssign() {
        // gst and a Pharo playground accept undeclared variables in top-level code: they are temps.
        assertEquals("", compile("t.st", "x := 3.\nx > 2 ifTrue: [z := x + 1].\n[:y | x := x + y] value: 1.\nz printNl.\n")
                .messages());
    }

    @Test void topLevelVariablesOnlyReadOrAssignedInABlockAreStillErrors() {
        assertEquals("t.st:1:21: error: undeclared variable 'totl'\nt.st:2:1: error: undeclared variable 'y'\n",
                compile("t.st", "#(1 2) do: [:each | totl := each].\ny printNl.\n").messages());
    }

    @Test void undeclaredCapitalizedVariableIsAnImport() {
        CompilerTesting.Compiled c = compile("t.st", chunkClass("T", "", "foo\n    ^Bar new"));
        assertEquals("", c.messages());
        assertEquals(java.util.List.of("Bar", "Object"), c.module().imports());
    }

    @Test void assignmentToAnArgument() {
        assertEquals("t.st:8:5: error: cannot assign to argument 'x'\n", messages("", "foo: x\n    x := 3"));
    }

    @Test void assignmentToABlockArgument() {
        assertEquals("t.st:8:12: error: cannot assign to argument 'y'\n", messages("", "foo\n    ^[:y | y := 3]"));
    }

    @Test void assignmentToAnInlinedBlockArgument() {
        assertEquals("t.st:8:23: error: cannot assign to argument 'i'\n", messages("", "foo\n    1 to: 3 do: [:i | i := 3]"));
    }

    @Test void assignmentToPseudoVariables() {
        for (String name : new String[] {"self", "super", "thisContext"}) {
            String out = messages("", "foo\n    " + name + " := 3");
            assertEquals("t.st:8:5: error: cannot assign to pseudo-variable '" + name + "'\n", out, name);
        }
    }

    @Test void assignmentToAClass() {
        String src = chunkClass("T", "", "foo\n    T := 3");
        assertEquals("t.st:8:5: error: cannot assign to class 'T'\n", compile("t.st", src).messages());
    }

    @Test void duplicateTemporary() {
        assertEquals("t.st:8:9: error: duplicate declaration of 'a'\nt.st:8:7: note: 'a' was first declared here\n",
                messages("", "foo\n    | a a |\n    ^a"));
    }

    @Test void temporaryDuplicatingAnArgument() {
        assertEquals("t.st:8:7: error: duplicate declaration of 'x'\nt.st:7:6: note: 'x' was first declared here\n",
                messages("", "foo: x\n    | x |\n    ^x"));
    }

    @Test void duplicateBlockArgument() {
        assertEquals("t.st:8:11: error: duplicate declaration of 'a'\nt.st:8:8: note: 'a' was first declared here\n",
                messages("", "foo\n    ^[:a :a | a]"));
    }

    @Test void duplicateInstanceVariable() {
        assertEquals("t.st:2:31: error: duplicate instance variable 'a'\nt.st:2:29: note: 'a' was first declared here\n",
                messages("a a"));
    }

    @Test void instanceVariableDuplicatedFromSuperclass() {
        String src = chunkClass("A", "x") + "\n" + "A subclass: #B\n    instanceVariableNames: 'y x'\n"
                + "    classVariableNames: ''\n    package: 'Test'!\n";
        assertEquals("t.st:10:31: error: instance variable 'x' is already defined in superclass 'A'\n",
                compile("t.st", src).messages());
    }

    @Test void unknownSuperclass() {
        String src = "Missing subclass: #B\n    instanceVariableNames: ''\n    classVariableNames: ''\n    package: 'Test'!\n";
        assertEquals("t.st:1:1: error: unknown superclass 'Missing' of class 'B'\n", compile("t.st", src).messages());
    }

    @Test void classDefinedTwiceAcrossFiles() {
        String out = CompilerTesting.compile(Compiler.Options.named("t"), new SourceFile("a.st", chunkClass("A", "")),
                new SourceFile("b.st", chunkClass("A", ""))).messages();
        assertEquals("b.st:1:1: error: class 'A' is defined twice\na.st:1:1: note: 'A' was first defined here\n", out);
    }

    @Test void circularSuperclassChain() {
        String src = "B subclass: #A\n    instanceVariableNames: ''\n    classVariableNames: ''\n    package: 'Test'!\n"
                + "A subclass: #B\n    instanceVariableNames: ''\n    classVariableNames: ''\n    package: 'Test'!\n";
        String out = compile("t.st", src).messages();
        assertTrue(out.contains("t.st:1:1: error: class 'A' inherits from itself"), out);
    }

    @Test void methodDefinedTwice() {
        assertEquals("t.st:10:1: error: method 'T>>foo' is defined twice\nt.st:7:1: note: 'T>>foo' was first defined here\n",
                messages("", "foo\n    ^1", "foo\n    ^2"));
    }

    @Test void temporaryShadowingAnOuterTemporary() {
        assertEquals("t.st:10:8: warning: 'a' shadows a variable of an enclosing scope\n",
                messages("", "foo\n    | a |\n    a := 1.\n    ^[:a | a]"));
    }

    @Test void temporaryShadowingAnInstanceVariable() {
        assertEquals("t.st:8:7: warning: 'v' shadows an instance variable\n", messages("v", "foo\n    | v |\n    v := 1.\n    ^v"));
    }

    @Test void unusedTemporary() {
        assertEquals("t.st:8:7: warning: unused temporary 'z'\n", messages("", "foo\n    | z |\n    ^1"));
    }

    @Test void unreachableCodeAfterReturn() {
        assertEquals("t.st:9:5: warning: unreachable code after return\n", messages("", "foo\n    ^1.\n    self bar"));
    }

    @Test void warningsBecomeErrorsWithWerror() {
        stc.diag.Diagnostics d = new stc.diag.Diagnostics().werror(true);
        var unit = stc.parse.FrontEnds.parse(new SourceFile("t.st", chunkClass("T", "", "foo\n    | z |\n    ^1")),
                stc.parse.Dialect.CHUNK, d);
        Compiler.compile(java.util.List.of(unit), Compiler.Options.named("t"), d);
        assertTrue(d.hasErrors());
        assertEquals("t.st:8:7: error: unused temporary 'z' [-Werror]", d.all().getFirst().header());
    }

    @Test void warningsOffWithW() {
        stc.diag.Diagnostics d = new stc.diag.Diagnostics().noWarnings(true);
        var unit = stc.parse.FrontEnds.parse(new SourceFile("t.st", chunkClass("T", "", "foo\n    | z |\n    ^1")),
                stc.parse.Dialect.CHUNK, d);
        Compiler.compile(java.util.List.of(unit), Compiler.Options.named("t"), d);
        assertFalse(d.hasErrors());
        assertTrue(d.all().isEmpty());
    }

    @Test void severalErrorsAreReportedInOneRun() {
        String out = messages("", "foo\n    ^a", "bar\n    ^b", "baz\n    ^c");
        assertEquals("t.st:8:6: error: undeclared variable 'a'\nt.st:11:6: error: undeclared variable 'b'\n"
                + "t.st:14:6: error: undeclared variable 'c'\n", out);
    }

    @Test void errorLimitStopsTheCompilation() {
        stc.diag.Diagnostics d = new stc.diag.Diagnostics().maxErrors(2);
        var unit = stc.parse.FrontEnds.parse(new SourceFile("t.st", chunkClass("T", "", "foo\n    ^a + b + c + d")),
                stc.parse.Dialect.CHUNK, d);
        Compiler.compile(java.util.List.of(unit), Compiler.Options.named("t"), d);
        assertEquals(2, d.errorCount());
    }

    @Test void temporaryShadowingAClassVariable() {
        String src = "Object subclass: #T\n    instanceVariableNames: ''\n    classVariableNames: 'Limit'\n    package: 'Test'!\n\n"
                + "!T methodsFor: 'x'!\nfoo: Limit\n    ^Limit\n! !\n";
        assertEquals("t.st:7:6: warning: 'Limit' shadows a class variable\n", compile("t.st", src).messages());
    }

    @Test void classSideInstanceVariableDuplicatedFromSuperclass() {
        String src = chunkClass("A", "") + "\nA class instanceVariableNames: 'count'!\n\n"
                + "A subclass: #B\n    instanceVariableNames: ''\n    classVariableNames: ''\n    package: 'Test'!\n"
                + "\nB class instanceVariableNames: 'count'!\n";
        String out = compile("t.st", src).messages();
        assertTrue(out.contains("error: class-side instance variable 'count' is already defined in superclass 'A'"), out);
    }

    @Test void duplicateClassVariable() {
        String src = "Object subclass: #T\n    instanceVariableNames: ''\n    classVariableNames: 'A A'\n    package: 'Test'!\n";
        assertEquals("t.st:3:28: error: duplicate class variable 'A'\nt.st:3:26: note: 'A' was first declared here\n",
                compile("t.st", src).messages());
    }
}
