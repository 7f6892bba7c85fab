package stc.parse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DialectTest {

    @Test void byExtension() {
        assertEquals(Dialect.SOM, Dialect.detect("dir/Foo.som", "whatever"));
        assertEquals(Dialect.TONEL, Dialect.detect("pkg/Foo.class.st", ""));
        assertEquals(Dialect.TONEL, Dialect.detect("pkg\\Foo.extension.st", ""));
        assertEquals(Dialect.TONEL, Dialect.detect("pkg/package.st", "Package { #name : 'X' }"));
    }

    @Test void byContent() {
        assertEquals(Dialect.TONEL, Dialect.detect("a.st", "\"comment with ! and [\"\nClass {\n #name : #A }"));
        assertEquals(Dialect.TONEL, Dialect.detect("a.st", "Extension { #name : #A }"));
        assertEquals(Dialect.SOM, Dialect.detect("a.txt", "\"license\"\nFoo = Bar (\n  run = ( ^1 ) )"));
        assertEquals(Dialect.SOM, Dialect.detect(null, "Foo = (\n)"));
        assertEquals(Dialect.GNU, Dialect.detect("a.st", "Object subclass: Foo [\n  bar [ ^'hi!' ]\n]"));
        assertEquals(Dialect.GNU, Dialect.detect("a.st", "Integer extend [ double [ ^self * 2 ] ]"));
        assertEquals(Dialect.GNU, Dialect.detect("a.st", "Eval [ 3 printNl ]"));
        assertEquals(Dialect.GNU, Dialect.detect("a.st", "Foo class >> bar [ ^1 ]"));
        assertEquals(Dialect.GNU, Dialect.detect("a.st", "Transcript showCr: 'Hello, world!'."));
        assertEquals(Dialect.CHUNK, Dialect.detect("a.st", "Object subclass: #Foo\n instanceVariableNames: ''\n classVariableNames: ''\n package: 'X'!\n!Foo methodsFor: 'x'!\nbar [:x | x] value: 1! !"));
        assertEquals(Dialect.CHUNK, Dialect.detect("a.st", "Transcript show: 'hi'; cr!"));
        assertEquals(Dialect.GNU, Dialect.detect("a.st", ""));
    }

    @Test void cliNames() {
        for (Dialect d : Dialect.values()) assertSame(d, Dialect.fromCliName(d.cliName()));
        assertEquals("tonel", Dialect.TONEL.cliName());
        assertNull(Dialect.fromCliName("auto"));
    }
}
