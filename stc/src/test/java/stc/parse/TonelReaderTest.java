package stc.parse;

import org.junit.jupiter.api.Test;
import st.format.model.ClassDef;
import stc.ast.Node;
import stc.ast.Pos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static stc.parse.ParseTesting.*;

class TonelReaderTest {

    private static Path packageDir() throws Exception {
        return Path.of(TonelReaderTest.class.getResource("/dialects/tonel/Shapes").toURI());
    }

    @Test void packageFilesAreSortedByName() throws Exception {
        List<String> names = FrontEnds.packageFiles(packageDir()).stream().map(f -> f.getFileName().toString()).toList();
        assertEquals(List.of("Circle.class.st", "Number.extension.st", "Rectangle.class.st", "Shape.class.st",
                "ShapeBag.class.st", "package.st"), names);
    }

    @Test void wholePackageParses() throws Exception {
        int classes = 0, methods = 0;
        for (Path f : FrontEnds.packageFiles(packageDir())) {
            String text = Files.readString(f);
            assertEquals(Dialect.TONEL, Dialect.detect(f.toString(), text));
            Node.Unit u = unit(f.getFileName().toString(), text, Dialect.TONEL);
            for (Node n : u.items()) {
                if (n instanceof Node.ClassDecl) classes++;
                if (n instanceof Node.MethodDef) methods++;
            }
        }
        assertEquals(4, classes);
        assertEquals(15, methods);
    }

    @Test void classHeaderCommentAndMethods() throws Exception {
        String text = Files.readString(packageDir().resolve("Shape.class.st"));
        assertEquals(Dialect.TONEL, Dialect.detect("Shape.st", text), "detected from content");
        Node.Unit u = unit("Shape.class.st", text, Dialect.TONEL);
        Node.ClassDecl c = (Node.ClassDecl) u.items().get(0);
        assertEquals("Shape", c.name());
        assertEquals("Object", c.superclass());
        assertEquals("Shapes-Core", c.category());
        assertEquals("\nI am the abstract superclass of all shapes.\nMy subclasses answer their #area; I know how to compare"
                + " shapes by area and print them.\nA \"shape\" has a name.\n", c.comment());
        assertEquals(new Pos(10, 4, 226), c.instVars().get(0).pos());
        List<Node.MethodDef> ms = u.items().subList(1, u.items().size()).stream().map(Node.MethodDef.class::cast).toList();
        assertEquals(List.of("named:", "area", "<", "printOn:", "setName:"), ms.stream().map(m -> m.method().selector()).toList());
        assertTrue(ms.get(0).meta());
        assertEquals("instance creation", ms.get(0).category());
        assertEquals(new Pos(18, 1, 297), ms.get(0).pos());
        assertEquals(new Pos(19, 16, 349), ms.get(0).method().pos());
        assertEquals("area [\n\t^ self subclassResponsibility\n]", ms.get(1).method().source());
        Node.Method printOn = ms.get(3).method();
        assertEquals(1, printOn.body().size());
        assertInstanceOf(Node.Cascade.class, printOn.body().get(0));
        assertEquals(new Pos(42, 1, 0), new Pos(printOn.end().line(), printOn.end().col(), 0));
    }

    @Test void shapesAndClassSideVariables() throws Exception {
        Node.ClassDecl rect = (Node.ClassDecl) unit("R", Files.readString(packageDir().resolve("Rectangle.class.st")), Dialect.TONEL).items().get(0);
        assertEquals("(class Rectangle super=Shape FIXED (ivars width height) (civars unit) [Shapes-Core])", AstPrinter.print(rect));
        Node.ClassDecl bag = (Node.ClassDecl) unit("B", Files.readString(packageDir().resolve("ShapeBag.class.st")), Dialect.TONEL).items().get(0);
        assertEquals(ClassDef.Shape.POINTERS, bag.shape());
    }

    @Test void extensionsNameTheirClass() throws Exception {
        Node.Unit u = unit("N", Files.readString(packageDir().resolve("Number.extension.st")), Dialect.TONEL);
        assertEquals("""
                (unit tonel
                  (methodDef Number [*Shapes] (method squared
                    (^ (send (var self) * (var self)))))
                  (methodDef Number class [*Shapes] (method unitSquare
                    (^ (send (var Rectangle) width:height: (lit 1) (lit 1))))))""", AstPrinter.print(u));
    }

    @Test void traitsAreRejected() {
        assertEquals("t.st:1:1: error: traits are not supported",
                unitErrors("t.st", "Trait { #name : #TFoo }\nTFoo >> x [ ^1 ]", Dialect.TONEL));
        assertEquals("t.st:1:56: error: traits are not supported",
                unitErrors("t.st", "Class { #name : #Foo, #superclass : #Object, #traits : 'TFoo' }", Dialect.TONEL));
    }

    @Test void errorsRecoverAtTheNextMethod() {
        String text = """
                Class { #name : #Foo, #superclass : #Object }
                Foo >> a [ ^ 1 + ]
                Foo >> 3 [ ^ 2 ]
                { #category : 'x' }
                Foo >> b [ ^ ( ]
                Bar >> c [ ^ 3 ]
                Foo >> d [ ^ 4
                """;
        assertEquals("""
                t.st:2:18: error: expected an expression, found ']'
                t.st:3:8: error: expected a message pattern, found literal 3
                t.st:5:16: error: expected an expression, found ']'
                t.st:6:1: error: method of 'Bar' in the file of 'Foo'
                t.st:8:1: error: missing ']' to close the method body opened at 7:10""", unitErrors("t.st", text, Dialect.TONEL));
        assertEquals("t.st:1:23: error: expected ',' or '}' in the map opened at 1:7, found symbol #superclass",
                unitErrors("t.st", "Class { #name : #Foo  #superclass : #Object }", Dialect.TONEL));
    }
}
