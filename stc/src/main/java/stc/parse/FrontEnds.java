package stc.parse;

import stc.ast.Node;
import stc.ast.SourceFile;
import stc.diag.Diagnostics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The entry points of the four front ends. Every one reports errors to the given
 * {@link Diagnostics} with exact positions, recovers, and keeps going; none throws except
 * {@link Diagnostics.TooManyErrors} once the error limit is reached.
 */
public final class FrontEnds {
    private FrontEnds() {}

    /** Parses a whole file in the given dialect. Items come in source order. */
    public static Node.Unit parse(SourceFile file, Dialect dialect, Diagnostics diags) {
        Source src = Source.of(file, diags);
        List<Node> items = switch (dialect) {
            case CHUNK -> new ChunkReader(src).read();
            case TONEL -> new TonelReader(src).read();
            case GNU -> new GnuReader(src).read();
            case SOM -> new SomReader(src).read();
        };
        return new Node.Unit(src.pos(0), file, dialect.cliName(), List.copyOf(items));
    }

    /**
     * Parses a bare method: selector pattern, temps, pragmas and statements. Returns null only
     * when not even the selector pattern could be read (the error is in {@code diags}).
     */
    public static Node.Method parseMethod(SourceFile file, Diagnostics diags) {
        Source src = Source.of(file, diags);
        Tokens tokens = Lexer.scan(src, false);
        Parser parser = new Parser(src, tokens, 0, tokens.count - 1);
        try {
            return parser.parseMethod(-1);
        } catch (Parser.Failed f) {
            return null;
        }
    }

    /** Parses top-level statements with optional leading {@code | temps |}. */
    public static Node.DoIt parseDoIt(SourceFile file, Diagnostics diags) {
        Source src = Source.of(file, diags);
        Tokens tokens = Lexer.scan(src, false);
        return new Parser(src, tokens, 0, tokens.count - 1).parseDoIt();
    }

    /**
     * The source files of a package directory (Tonel: {@code .class.st}, {@code .extension.st},
     * {@code package.st}; or any {@code .st}), sorted by file name so builds are reproducible.
     * Not recursive.
     */
    public static List<Path> packageFiles(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".st"))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        }
    }
}
