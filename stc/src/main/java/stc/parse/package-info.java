/**
 * The front ends of {@code stc}: one hand-written scanner ({@link stc.parse.Lexer}), one method
 * and expression parser ({@link stc.parse.Parser}), and a reader per dialect that wraps classes and
 * methods around it, all producing {@link stc.ast.Node} trees. {@link stc.parse.FrontEnds} is the
 * public entry point and {@link stc.parse.Dialect} picks the reader.
 *
 * <p>Choices worth knowing when reading the trees:
 * <ul>
 *   <li>Namespaces are flattened: {@code Smalltalk.Foo} and {@code SystemExceptions.NotYetImplemented}
 *       become the names {@code Foo} and {@code NotYetImplemented}.</li>
 *   <li>A cascade part is exactly one message, as in Squeak and Pharo.</li>
 *   <li>An integer literal with a negative exponent ({@code 1e-2}) becomes the nearest Float,
 *       since there is no Fraction literal.</li>
 *   <li>GNU top-level statements between two definitions form one doit. Top-level temps
 *       ({@code | a b |}) are declared in every later doit of the file, so each doit compiles on
 *       its own; their values do not carry from one doit to the next.</li>
 *   <li>Pool dictionaries and traits are rejected with an error; an empty {@code uses: {}} is
 *       accepted.</li>
 *   <li>Class comments and class-side instance variables given by separate chunks
 *       ({@code Foo comment: '...'}, {@code Foo class instanceVariableNames: '...'}) are folded
 *       into the class declaration when the class is defined in the same file, else warned about
 *       and ignored.</li>
 * </ul>
 */
package stc.parse;
