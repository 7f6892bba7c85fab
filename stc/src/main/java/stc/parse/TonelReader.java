package stc.parse;

import stc.ast.Node;

import java.util.ArrayList;
import java.util.List;

final class TonelReader {
    private final Source src;

    TonelReader(Source src) { this.src = src; }

    List<Node> read() {
        return new ArrayList<>();
    }
}
