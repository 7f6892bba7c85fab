package stc.compile;

import st.format.model.MethodDef;
import st.format.model.Module;
import stc.ast.Node;
import stc.ast.SourceFile;
import stc.diag.Diagnostics;
import stc.parse.Dialect;
import stc.parse.FrontEnds;

import java.util.ArrayList;
import java.util.List;

/** Helpers shared by the compiler tests: compile source text, find a method, render diagnostics. */
final class CompilerTesting {
    private CompilerTesting() {}

    record Compiled(Module module, Diagnostics diags) {
        MethodDef method(String qualifiedName) {
            for (MethodDef m : module.methods()) if (m.qualifiedName().equals(qualifiedName)) return m;
            throw new AssertionError("no method " + qualifiedName + " in " + module.methods().stream().map(MethodDef::qualifiedName).toList());
        }

        String messages() {
            StringBuilder b = new StringBuilder();
            for (Diagnostics.Diagnostic d : diags.all()) b.append(d.header()).append('\n');
            return b.toString();
        }
    }

    static Compiled compile(String path, String text) {
        return compile(Compiler.Options.named("test"), new SourceFile(path, text));
    }

    static Compiled compile(Compiler.Options options, SourceFile... files) {
        Diagnostics diags = new Diagnostics();
        List<Node.Unit> units = new ArrayList<>();
        for (SourceFile f : files) units.add(FrontEnds.parse(f, Dialect.detect(f.path(), f.text()), diags));
        Module module = Compiler.compile(units, options, diags).module();
        return new Compiled(module, diags);
    }

    /** A chunk-format class with the given instance variables and methods (each a method source). */
    static String chunkClass(String name, String ivars, String... methods) {
        StringBuilder b = new StringBuilder();
        b.append("Object subclass: #").append(name).append("\n    instanceVariableNames: '").append(ivars)
                .append("'\n    classVariableNames: ''\n    package: 'Test'!\n\n!").append(name).append(" methodsFor: 'test'!\n");
        for (String m : methods) b.append(m).append("\n!\n");
        return b.append(" !\n").toString();
    }
}
