package stc.parse;

import stc.ast.Node;

import java.util.ArrayList;
import java.util.List;

final class ChunkReader {
    private final Source src;

    ChunkReader(Source src) { this.src = src; }

    List<Node> read() {
        return new ArrayList<>();
    }
}
