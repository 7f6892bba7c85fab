package stdump;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LineDiffTest {
    @Test void marksRemovedAndAddedLinesAroundCommonOnes() {
        assertEquals(List.of("  a", "- b", "+ B", "  c", "+ d"), LineDiff.diff(List.of("a", "b", "c"), List.of("a", "B", "c", "d")));
        assertEquals(List.of("- x"), LineDiff.diff(List.of("x"), List.of()));
        assertEquals(List.of("  same"), LineDiff.diff(List.of("same"), List.of("same")));
    }

    @Test void keepsTheLongestCommonSubsequence() {
        var d = LineDiff.diff(List.of("1", "2", "3", "4", "5"), List.of("2", "3", "x", "5", "1"));
        assertEquals(List.of("- 1", "  2", "  3", "- 4", "+ x", "  5", "+ 1"), d);
    }

    @Test void hugeInputsDegradeInsteadOfTakingQuadraticTime() {
        var a = java.util.stream.IntStream.range(0, 3000).mapToObj(i -> "a" + i).toList();
        var b = java.util.stream.IntStream.range(0, 3000).mapToObj(i -> "b" + i).toList();
        var d = LineDiff.diff(a, b);
        assertEquals(6000, d.size());
        assertEquals("- a0", d.getFirst());
        assertEquals("+ b2999", d.getLast());
    }
}
