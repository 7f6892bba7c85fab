package stc.parse;

import org.junit.jupiter.api.Test;
import st.format.model.ClassDef;
import stc.ast.Node;
import stc.ast.Pos;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;
import static stc.parse.ParseTesting.*;

class GnuReaderTest {

    private static String summary(Node.Unit u) {
        return u.items().stream().map(n -> switch (n) {
            case Node.ClassDecl c -> "class " + c.name();
            case Node.MethodDef m -> m.className() + (m.meta() ? " class" : "") + ">>" + m.method().selector();
            case Node.DoIt d -> "doit " + d.body().size();
            default -> n.toString();
        }).collect(Collectors.joining("\n"));
    }

    @Test void inventoryProgram() throws IOException {
        String text = ChunkReaderTest.resource("gnu/Inventory.st");
        assertEquals(Dialect.GNU, Dialect.detect("Inventory.st", text));
        Node.Unit u = unit("Inventory.st", text, Dialect.GNU);
        assertEquals("""
                class Item
                Item class>>name:price:
                Item>>setName:price:
                Item>>name
                Item>>price
                Item>>quantity
                Item>>value
                Item>>receive:
                Item>>ship:
                Item>>printOn:
                class Inventory
                Inventory class>>default
                Inventory class>>new
                Inventory>>init
                Inventory>>add:
                Inventory>>at:
                Inventory>>totalValue
                Inventory>>totalWithTax
                Inventory>>-
                class PerishableItem
                PerishableItem>>expiry:
                PerishableItem>>isExpiredOn:
                class Supplier
                Supplier>>name
                Supplier>>leadTime
                Integer>>units
                Integer>>dozen
                Item class>>widget
                Inventory>>report
                Inventory class>>reset
                doit 5
                doit 4""", summary(u));
        Node.ClassDecl item = (Node.ClassDecl) u.items().get(0);
        assertEquals("(class Item super=Object FIXED (ivars name price quantity) [Inventory-Core] comment='I represent an item held in stock.')",
                AstPrinter.print(item));
        assertEquals(new Pos(8, 1, 0), new Pos(item.pos().line(), item.pos().col(), 0));
        Node.ClassDecl inv = (Node.ClassDecl) u.items().get(10);
        assertEquals("""
                (class Inventory super=Object FIXED (ivars items log) (cvars Default TaxRate) (civars instances)
                  (:= Default (lit nil))
                  (:= TaxRate (send (lit 1) / (lit 5))))""", AstPrinter.print(inv));
        Node.MethodDef value = (Node.MethodDef) u.items().get(6);
        assertEquals("accounting", value.category());
        assertEquals("value [\n\t\"The value of the stock held\"\n\t<category: 'accounting'>\n\t^price * quantity\n    ]",
                value.method().source());
        Node.MethodDef minus = (Node.MethodDef) u.items().get(18);
        assertEquals(List.of("anItem"), minus.method().params().stream().map(Node.Decl::name).toList());
        Node.DoIt script = (Node.DoIt) u.items().get(u.items().size() - 2);
        assertEquals(List.of("inv", "widget"), script.temps().stream().map(Node.Decl::name).toList());
        assertTrue(script.source().startsWith("inv := Inventory default."));
        Node.DoIt eval = (Node.DoIt) u.items().get(u.items().size() - 1);
        assertEquals(List.of("bolt"), eval.temps().stream().map(Node.Decl::name).toList());
        Node.ClassDecl supplier = (Node.ClassDecl) u.items().get(22);
        assertEquals("(class Supplier super=Object FIXED (ivars name leadTime) [Inventory-Core])", AstPrinter.print(supplier));
    }

    @Test void shapesAndReopening() {
        Node.Unit u = unit("t.st", """
                Object subclass: Bytes [ <shape: #byte> ]
                Object subclass: Slots [ <shape: #pointer> | a | ]
                Object subclass: Slots [ | b | foo [ ^b ] ]
                Object subclass: Words [ <shape: #word> ]
                """, Dialect.GNU);
        assertEquals(ClassDef.Shape.BYTES, ((Node.ClassDecl) u.items().get(0)).shape());
        assertEquals("(class Slots super=Object POINTERS (ivars a b))", AstPrinter.print(u.items().get(1)));
        assertEquals(ClassDef.Shape.WORDS, ((Node.ClassDecl) u.items().get(3)).shape());
    }

    @Test void statementsBetweenDefinitionsKeepTheirOrder() {
        Node.Unit u = unit("t.st", "Transcript showCr: 'a'.\nObject subclass: A [ ]\nA new printNl.\nA new printNl!\n", Dialect.GNU);
        assertEquals("doit 1\nclass A\ndoit 2", summary(u));
    }

    @Test void errorsRecover() {
        assertEquals("""
                t.st:2:12: error: expected an expression, found ']'
                t.st:3:5: error: expected '[' to open the method body, found literal 3
                t.st:5:15: error: cannot add variables to 'Zork', which is not defined in this file
                t.st:6:10: error: expected an expression, found ')'
                t.st:8:1: error: missing ']' to close the body opened at 7:20""",
                unitErrors("t.st", """
                        Object subclass: A [
                          a [ ^1 + ]
                          b 3 [ ^2 ]
                          c [ ^3 ] ]
                        Zork extend [ | x | ]
                        x := 3 + ).
                        Object subclass: B [ d [ ^4 ]
                        """, Dialect.GNU));
    }

    @Test void binaryBarMethodIsNotAVariableList() {
        Node.Unit u = unit("t.st", "Boolean subclass: MyTrue [\n  | aBoolean [ ^true ]\n  & aBoolean [ ^aBoolean ]\n]", Dialect.GNU);
        assertEquals("(class MyTrue super=Boolean FIXED)", AstPrinter.print(u.items().get(0)));
        assertEquals("|", ((Node.MethodDef) u.items().get(1)).method().selector());
    }

    @Test void namespacesAreFlattened() {
        Node.Unit u = unit("t.st", "Namespace current: Kernel [\n  Smalltalk.Object subclass: Foo [ bar [ ^SystemExceptions.NotYetImplemented signal ] ]\n]", Dialect.GNU);
        assertEquals("""
                (unit gnu
                  (class Foo super=Object FIXED)
                  (methodDef Foo [null] (method bar
                    (^ (send (var NotYetImplemented) signal)))))""", AstPrinter.print(u));
    }
}
