package st.format.model;

import java.util.List;

/**
 * A method of a class (instance side, or class side when {@code meta}).
 *
 * @param primitive     the numbered primitive, 0 when none
 * @param primitiveName a named primitive ({@code <primitive: 'name' module: 'mod'>} or a SOM
 *                      {@code primitive} body), null when none
 * @param sourceFile    index into {@link Module#sourceFiles()}
 * @param source        the method's source text as written
 */
public record MethodDef(String className, boolean meta, String selector, String category,
                        int primitive, String primitiveName, List<Pragma> pragmas,
                        CodeDef code, int sourceFile, int line, int col, String source) {

    /** {@code Class>>selector} or {@code Class class>>selector}. */
    public String qualifiedName() { return className + (meta ? " class" : "") + ">>" + selector; }

    public record Pragma(String keyword, List<Literal> arguments) {}
}
