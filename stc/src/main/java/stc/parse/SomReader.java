package stc.parse;

import stc.ast.Node;

import java.util.ArrayList;
import java.util.List;

final class SomReader {
    private final Source src;

    SomReader(Source src) { this.src = src; }

    List<Node> read() {
        return new ArrayList<>();
    }
}
