package stc.parse;

import stc.ast.Node;

import java.util.ArrayList;
import java.util.List;

final class GnuReader {
    private final Source src;

    GnuReader(Source src) { this.src = src; }

    List<Node> read() {
        return new ArrayList<>();
    }
}
