package stc.ast;

import st.format.model.ClassDef;
import st.format.model.Literal;

import java.util.List;

/**
 * The one AST every front end produces. Method bodies are the same in every dialect; the front
 * ends differ only in how they wrap classes and methods around them.
 */
public sealed interface Node {
    Pos pos();

    /** A declared name: argument, temp, instance or class variable. */
    record Decl(Pos pos, String name) implements Node {}

    /** A statement: an expression, or a return. */
    sealed interface Stmt extends Node {}

    sealed interface Expr extends Stmt {}

    record Return(Pos pos, Expr value) implements Stmt {}

    /**
     * A literal constant, including nil, true, false, literal arrays and byte arrays. Literal
     * arrays hold bare symbols as {@link Literal.Sym} and nested arrays as {@link Literal.Array}.
     */
    record Lit(Pos pos, Literal value) implements Expr {}

    /** A variable reference: also self, super and thisContext. */
    record Var(Pos pos, String name) implements Expr {}

    record Assign(Pos pos, Var target, Expr value) implements Expr {}

    /**
     * A message send. {@code pos} is where the selector (its first keyword) starts; for keyword
     * messages {@code keywordPos} holds the position of each keyword part.
     */
    record Send(Pos pos, Expr receiver, String selector, List<Expr> args, List<Pos> keywordPos) implements Expr {}

    /** {@code receiver m1; m2; m3}: every message goes to the same receiver. */
    record Cascade(Pos pos, Expr receiver, List<Message> messages) implements Expr {}

    record Message(Pos pos, String selector, List<Expr> args) implements Node {}

    /** {@code [:a :b | | t | statements]}; {@code end} is the position of the closing bracket. */
    record Block(Pos pos, List<Decl> params, List<Decl> temps, List<Stmt> body, Pos end) implements Expr {}

    /** {@code {a. b. c}} */
    record Brace(Pos pos, List<Expr> elements) implements Expr {}

    /** {@code <keyword: arg ...>} with literal arguments; {@code <primitive: 60>} included. */
    record Pragma(Pos pos, String keyword, List<Literal> args) implements Node {}

    /**
     * A method. {@code source} is its text as written. For SOM {@code primitive} bodies,
     * {@code primitive} is true and the body is empty.
     */
    record Method(Pos pos, String selector, List<Decl> params, List<Decl> temps, List<Pragma> pragmas,
                  List<Stmt> body, boolean primitive, String source, Pos end) implements Node {}

    /** A method of class {@code className} (its metaclass when {@code meta}). */
    record MethodDef(Pos pos, String className, boolean meta, String category, Method method) implements Node {}

    /**
     * A class definition. {@code classVarInits} are GNU-style {@code Name := value.} in the class
     * body, run at startup in order.
     */
    record ClassDecl(Pos pos, String name, String superclass, ClassDef.Shape shape, List<Decl> instVars,
                     List<Decl> classVars, List<Decl> classInstVars, String category, String comment,
                     List<Assign> classVarInits) implements Node {}

    /** Top-level statements, with their temps, run in order as part of the program's startup. */
    record DoIt(Pos pos, List<Decl> temps, List<Stmt> body, String source) implements Node {}

    /**
     * One parsed file. {@code items} keeps ClassDecl, MethodDef and DoIt in source order: a doit
     * may depend on the classes defined before it.
     */
    record Unit(Pos pos, SourceFile file, String dialect, List<Node> items) implements Node {}
}
