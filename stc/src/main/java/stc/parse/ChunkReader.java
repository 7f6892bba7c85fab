package stc.parse;

import st.format.model.Literal;
import stc.ast.Node;
import stc.ast.Node.*;

import java.util.ArrayList;
import java.util.List;

/**
 * The chunk (fileout) format of Squeak, Pharo, Cuis, VisualWorks and Smalltalk/X: text split
 * into chunks by {@code !}, with {@code !!} standing for a literal {@code !}. A chunk after a
 * leading {@code !} that says {@code Foo methodsFor: 'x'} opens a section of method chunks that
 * ends at an empty chunk. Class definitions and class amendments are recognized; any other chunk
 * is a doit. Each chunk is parsed on its own, so an error never spills into the next one.
 */
final class ChunkReader {
    private final Source src;
    private final char[] text;
    private final List<Node> items = new ArrayList<>();
    private final ClassDefinitions classes;
    private int p;

    ChunkReader(Source src) {
        this.src = src;
        this.text = src.buf;
        this.classes = new ClassDefinitions(src, items);
    }

    /** One chunk: the source it is parsed from, and its extent in that source's buffer. */
    private record Chunk(Source source, int from, int to) {
        boolean blank() {
            for (int i = from; i < to; i++) if (!Character.isWhitespace(source.buf[i])) return false;
            return true;
        }
    }

    List<Node> read() {
        int n = text.length;
        while (true) {
            skipWhitespace();
            if (p >= n) break;
            if (text[p] == '!') p++; // the bang that marks a preamble such as !Foo methodsFor: 'x'!
            Chunk chunk = nextChunk();
            if (chunk.blank()) continue;
            topLevel(chunk);
        }
        return items;
    }

    private void skipWhitespace() {
        while (p < text.length && Character.isWhitespace(text[p])) p++;
    }

    /** Reads up to the next single '!', undoubling any '!!' on the way. */
    private Chunk nextChunk() {
        int start = p;
        boolean doubled = false;
        int n = text.length;
        while (p < n) {
            if (text[p] == '!') {
                if (p + 1 < n && text[p + 1] == '!') { doubled = true; p += 2; continue; }
                break;
            }
            p++;
        }
        int end = p;
        if (p < n) p++;
        if (!doubled) return new Chunk(src, start, end);
        char[] buf = new char[end - start];
        int[] origin = new int[end - start];
        int k = 0;
        for (int i = start; i < end; i++) {
            buf[k] = text[i];
            origin[k++] = i;
            if (text[i] == '!') i++;
        }
        return new Chunk(src.derived(java.util.Arrays.copyOf(buf, k), java.util.Arrays.copyOf(origin, k)), 0, k);
    }

    private void topLevel(Chunk chunk) {
        Tokens t = Lexer.scan(chunk.source(), chunk.from(), chunk.to(), false);
        int last = t.count - 1;
        // !Foo methodsFor: 'x'!  /  !Foo class methodsFor: 'x' stamp: 'y'!
        int i = 0;
        if (t.kind[0] == Tokens.IDENT) {
            String className = t.name(0);
            boolean meta = false;
            i = 1;
            if (t.kind[i] == Tokens.KEYWORD && t.name(i).equals("commentStamp:")) {
                // Squeak and Pharo: the next chunk is the class comment itself, as plain text
                skipWhitespace();
                Chunk comment = nextChunk();
                classes.comment(className, comment.source().text(comment.from(), comment.to()), parserPos(chunk, t, 0));
                return;
            }
            if (t.kind[i] == Tokens.IDENT && t.name(i).equals("class")) { meta = true; i++; }
            if (t.kind[i] == Tokens.KEYWORD && t.name(i).equals("methodsFor:")) {
                String category = t.kind[i + 1] == Tokens.LITERAL && t.value[i + 1] instanceof Literal.Str s ? s.value() : null;
                methodSection(className, meta, category);
                return;
            }
            if (t.kind[i] == Tokens.IDENT && t.name(i).equals("reorganize") && i + 1 == last) {
                // Squeak follows this with a chunk of method organization data, which is not code
                skipWhitespace();
                nextChunk();
                return;
            }
        }
        if (t.kind[0] == Tokens.KEYWORD && t.name(0).equals("classDefinition:")) return; // Cuis preamble; the definition follows
        Parser parser = new Parser(chunk.source(), t, 0, last);
        DoIt doIt = parser.parseDoIt();
        if (doIt.body().isEmpty() && doIt.temps().isEmpty()) return;
        if (!classes.handle(doIt, parser.pos(0))) items.add(doIt);
    }

    private static stc.ast.Pos parserPos(Chunk chunk, Tokens t, int i) {
        return chunk.source().pos(t.start[i]);
    }

    /** Method chunks up to the empty chunk that closes the section. */
    private void methodSection(String className, boolean meta, String category) {
        int n = text.length;
        while (true) {
            skipWhitespace();
            if (p >= n) {
                src.error(n, "missing '! !' at the end of the methods of " + className + (meta ? " class" : ""));
                return;
            }
            Chunk chunk = nextChunk();
            if (chunk.blank()) return;
            Tokens t = Lexer.scan(chunk.source(), chunk.from(), chunk.to(), false);
            Parser parser = new Parser(chunk.source(), t, 0, t.count - 1);
            int srcEnd = chunk.to();
            while (srcEnd > chunk.from() && Character.isWhitespace(chunk.source().buf[srcEnd - 1])) srcEnd--;
            try {
                Method m = parser.parseMethod(srcEnd);
                items.add(new MethodDef(m.pos(), className, meta, category, m));
            } catch (Parser.Failed f) {
                // the pattern was unreadable and is reported; the next chunk is the next method
            }
        }
    }
}
