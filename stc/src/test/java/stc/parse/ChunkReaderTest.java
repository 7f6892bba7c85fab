package stc.parse;

import org.junit.jupiter.api.Test;
import st.format.model.ClassDef;
import stc.ast.Node;
import stc.ast.Pos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static stc.parse.ParseTesting.*;

class ChunkReaderTest {

    static String resource(String name) throws IOException {
        try (var in = ChunkReaderTest.class.getResourceAsStream("/dialects/" + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test void bankExampleParsesIntoClassesMethodsAndDoIts() throws IOException {
        String text = resource("chunk/Bank.st");
        assertEquals(Dialect.CHUNK, Dialect.detect("Bank.st", text));
        Node.Unit u = unit("Bank.st", text, Dialect.CHUNK);
        List<Node.ClassDecl> classes = u.items().stream().filter(Node.ClassDecl.class::isInstance).map(Node.ClassDecl.class::cast).toList();
        assertEquals(List.of("BankAccount", "SavingsAccount", "InsufficientFunds", "Ledger", "AccountCode"),
                classes.stream().map(Node.ClassDecl::name).toList());
        Node.ClassDecl account = classes.get(0);
        assertEquals("(class BankAccount super=Object FIXED (ivars owner balance history) (cvars NextNumber) (civars registry) [Bank-Core]"
                + " comment='I am a bank account. I keep a balance and a history of transactions.\nSay ''deposit: 100'' to add money!')",
                AstPrinter.print(account));
        assertEquals(new Pos(3, 32, 170), account.instVars().get(1).pos());
        assertEquals(ClassDef.Shape.POINTERS, classes.get(3).shape());
        assertEquals(ClassDef.Shape.BYTES, classes.get(4).shape());
        assertEquals("Error", classes.get(2).superclass());

        List<Node.MethodDef> methods = u.items().stream().filter(Node.MethodDef.class::isInstance).map(Node.MethodDef.class::cast).toList();
        assertEquals(List.of("initialize", "balance", "owner", "owner:", "deposit:", "withdraw:", "transfer:to:", "deposits",
                "printOn:", "owner:", "registry", "rate:", "addInterest", "needed:", "messageText", "add:"),
                methods.stream().map(d -> d.method().selector()).toList());
        Node.MethodDef deposit = methods.get(4);
        assertEquals("transactions", deposit.category());
        assertFalse(deposit.meta());
        assertTrue(deposit.method().source().startsWith("deposit: amount\n"));
        assertTrue(deposit.method().source().contains("'Amount must be positive!'"), "!! is undoubled in method source");
        assertTrue(deposit.method().source().endsWith("#deposit -> amount"));
        // positions stay exact after the undoubled !!: 'balance' on the line after the !! line
        Node.Stmt second = deposit.method().body().get(1);
        Pos p = second.pos();
        assertEquals("\tbalance := balance + amount.", new stc.ast.SourceFile("x", text).lineText(p.line()));
        assertEquals(2, p.col());
        assertTrue(methods.get(9).meta());
        assertEquals("instance creation", methods.get(9).category());

        List<Node.DoIt> doIts = u.items().stream().filter(Node.DoIt.class::isInstance).map(Node.DoIt.class::cast).toList();
        assertEquals(3, doIts.size()); // the preamble string, the script, the inject:into:
        assertEquals(List.of("alice", "bob"), doIts.get(1).temps().stream().map(Node.Decl::name).toList());
        assertInstanceOf(Node.Cascade.class, doIts.get(1).body().get(4));
        // source order: the script comes after the last method
        assertSame(doIts.get(1), u.items().get(u.items().size() - 2));
    }

    @Test void errorsInOneMethodDoNotStopTheNext() {
        String text = "!Foo methodsFor: 'x'!\nbar\n\t^ 3 +! \nbaz\n\t^ )! \nqux ^1! !\nFoo new qux. 3 +!";
        assertEquals("""
                t.st:3:7: error: expected an expression, found end of input
                t.st:5:4: error: expected an expression, found ')'
                t.st:7:17: error: expected an expression, found end of input""",
                unitErrors("t.st", text, Dialect.CHUNK));
    }

    @Test void unterminatedSectionIsReported() {
        assertEquals("t.st:2:8: error: missing '! !' at the end of the methods of Foo class",
                unitErrors("t.st", "!Foo class methodsFor: 'x'!\nbar ^1!", Dialect.CHUNK));
    }

    @Test void classDefinitionVariants() {
        Node.Unit u = unit("t.st", """
                nil subclass: #ProtoObject2 instanceVariableNames: '' classVariableNames: '' package: 'K'!
                Object weakSubclass: #Registry instanceVariableNames: 'a' classVariableNames: '' package: 'K'!
                Object variableWordSubclass: #Bits instanceVariableNames: '' classVariableNames: '' category: 'K'!
                Object subclass: #Point3 slots: { #x. #y. #z } classVariables: { #Zero } package: 'K' tag: 'Geo'!
                Object subclass: #Tiny!
                """, Dialect.CHUNK);
        assertEquals("""
                (unit chunk
                  (class ProtoObject2 super=null FIXED [K])
                  (class Registry super=Object WEAK (ivars a) [K])
                  (class Bits super=Object WORDS [K])
                  (class Point3 super=Object FIXED (ivars x y z) (cvars Zero) [K-Geo])
                  (class Tiny super=Object FIXED))""", AstPrinter.print(u));
    }

    @Test void classDefinitionErrors() {
        assertEquals("""
                t.st:1:21: error: traits are not supported
                t.st:2:47: error: unknown keyword 'frobnicate:' in the definition of class 'B'
                t.st:4:1: error: class 'A' is already defined at 3:1""",
                unitErrors("t.st", """
                        Object subclass: #A uses: TFoo instanceVariableNames: '' classVariableNames: '' package: 'K'!
                        Object subclass: #B instanceVariableNames: '' frobnicate: 3!
                        Object subclass: #A!
                        Object subclass: #A!
                        """, Dialect.CHUNK));
    }

    @Test void squeakCommentStampChunkIsTheComment() {
        Node.Unit u = unit("t.st", """
                Object subclass: #Foo
                	instanceVariableNames: ''
                	classVariableNames: ''
                	poolDictionaries: ''
                	category: 'X'!
                !Foo commentStamp: 'jd 1/2/2020 10:00' prior: 0!
                I am Foo. Not code: ^ [ ( !!!
                
                !Foo methodsFor: 'a'!
                bar ^1! !
                """, Dialect.CHUNK);
        assertEquals("(class Foo super=Object FIXED [X] comment='I am Foo. Not code: ^ [ ( !')", AstPrinter.print(u.items().get(0)));
        assertEquals(2, u.items().size());
    }

    @Test void visualWorksDefinitionsAndNamespaces() {
        Node.Unit u = unit("t.st", """
                Smalltalk.Core defineClass: #Account
                	superclass: #{Core.Object}
                	indexedType: #none
                	private: false
                	instanceVariableNames: 'balance '
                	classInstanceVariableNames: 'count'
                	imports: ''
                	category: 'Bank'!
                
                !Core.Account methodsFor: 'accessing'!
                balance
                	^balance ifNil: [Core.Account zero]! !
                """, Dialect.CHUNK);
        assertEquals("""
                (unit chunk
                  (class Account super=Object FIXED (ivars balance) (civars count) [Bank])
                  (methodDef Account [accessing] (method balance
                    (^ (send (var balance) ifNil: (block (send (var Account) zero)))))))""", AstPrinter.print(u));
    }

    @Test void pharoClassSideDeclarationsForOtherClassesAreQuietWhenEmpty() {
        assertEquals("", unitErrors("t.st", "Foo class instanceVariableNames: ''!\nFoo class uses: {} instanceVariableNames: ''!", Dialect.CHUNK));
        assertEquals("t.st:1:1: warning: class-side instance variables of 'Foo' are ignored: the class is not defined in this file",
                unitErrors("t.st", "Foo class instanceVariableNames: 'x'!", Dialect.CHUNK));
    }

    @Test void pharoFluidClassDefinitions() {
        Node.Unit u = unit("t.st", """
                Object << #Point3D
                	slots: { #x . #y . #z };
                	sharedVariables: { #Origin };
                	tag: 'Geometry';
                	package: 'Demo'!
                Object << #Bits layout: WordLayout; package: 'Demo'!
                Point3D << #Tiny package: 'Demo'!
                Transcript << #Tiny; << 'x'!
                """, Dialect.CHUNK);
        assertEquals("""
                (unit chunk
                  (class Point3D super=Object FIXED (ivars x y z) (cvars Origin) [Demo-Geometry])
                  (class Bits super=Object WORDS [Demo])
                  (class Tiny super=Point3D FIXED [Demo])
                  (doit
                    (cascade (var Transcript) (<< (lit #Tiny)) (<< (lit 'x')))))""", AstPrinter.print(u));
    }

    @Test void carriageReturnLineEndsCountAsLines() {
        String text = "Object subclass: #Foo\r\tinstanceVariableNames: 'a'\r\tclassVariableNames: ''\r\tpackage: 'X'!\r"
                + "!Foo methodsFor: 'x'!\rbar\r\t^ a +! !\r";
        assertEquals("t.st:7:7: error: expected an expression, found end of input", unitErrors("t.st", text, Dialect.CHUNK));
        assertEquals("t.st:2:10: error: expected an expression, found end of input",
                unitErrors("t.st", "!Foo methodsFor: 'x'!\r\nbar ^ a +! !", Dialect.CHUNK));
    }
}
