package stc.cli;

import stc.ast.Node;
import stc.ast.SourceFile;
import stc.compile.Compiler;
import stc.diag.Diagnostics;
import stc.parse.Dialect;
import stc.parse.FrontEnds;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds {@code Name.som} along a class path, as SOM VMs load classes by name. */
public final class SomClassPath implements Compiler.ClassFinder {
    private final List<String> directories;

    public SomClassPath(List<String> directories) { this.directories = List.copyOf(directories); }

    /** Splits a {@code dir:dir} path; empty entries are dropped. */
    public static SomClassPath parse(String path) {
        return new SomClassPath(path == null || path.isEmpty() ? List.of()
                : java.util.Arrays.stream(path.split(java.io.File.pathSeparator)).filter(s -> !s.isEmpty()).toList());
    }

    /** This class path followed by {@code directory} (SOM VMs search the main file's directory last). */
    public SomClassPath then(String directory) {
        List<String> dirs = new java.util.ArrayList<>(directories);
        if (!dirs.contains(directory)) dirs.add(directory);
        return new SomClassPath(dirs);
    }

    /** The file defining {@code className} along the path, or null. */
    public Path fileOf(String className) {
        if (className.isEmpty() || !Character.isJavaIdentifierStart(className.charAt(0))
                || !className.chars().allMatch(Character::isJavaIdentifierPart)) return null;
        for (String dir : directories) {
            Path p = Path.of(dir.endsWith("/") ? dir + className + ".som" : dir + "/" + className + ".som");
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    @Override public Node.Unit find(String className, Diagnostics diags) {
        for (String dir : directories) {
            String name = dir.endsWith("/") ? dir + className + ".som" : dir + "/" + className + ".som";
            Path p = Path.of(name);
            if (!Files.isRegularFile(p)) continue;
            String text;
            try {
                text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
            } catch (IOException e) {
                diags.error(new SourceFile(name, ""), null, "cannot read: " + e.getMessage());
                return null;
            }
            return FrontEnds.parse(new SourceFile(name, text), Dialect.SOM, diags);
        }
        return null;
    }
}
