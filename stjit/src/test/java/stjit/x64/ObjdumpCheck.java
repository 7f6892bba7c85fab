package stjit.x64;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * For tests elsewhere in stjit (the nativizer, the stubs): checks that GNU objdump and our
 * disassembler read a block of generated code identically, instruction by instruction. Call
 * {@link #available()} in an assumption first; without objdump there is nothing to compare with.
 */
public final class ObjdumpCheck {
    private ObjdumpCheck() {}

    public static boolean available() { return Objdump.available(); }

    /** Fails with the first differing lines (at most 20) if the two listings differ. */
    public static void assertSameListing(byte[] code) throws Exception {
        List<Objdump.Insn> theirs = Objdump.disassemble(code);
        List<Disassembler.Line> ours = Disassembler.disassemble(code, 0);
        List<String> diffs = new ArrayList<>();
        int n = Math.max(theirs.size(), ours.size());
        for (int i = 0; i < n && diffs.size() < 20; i++) {
            String t = i < theirs.size() ? theirs.get(i).address() + ": " + Objdump.normalize(theirs.get(i).text()) : "(none)";
            String o = i < ours.size() ? ours.get(i).address() + ": " + Objdump.normalize(ours.get(i).text()) : "(none)";
            if (!t.equals(o)) diffs.add("objdump " + t + "\n   ours " + o);
        }
        assertEquals(List.of(), diffs, "listings differ");
    }
}
