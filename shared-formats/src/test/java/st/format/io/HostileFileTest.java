package st.format.io;

import org.junit.jupiter.api.Test;
import st.format.model.Module;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Files crafted section by section, well formed at the container level but hostile inside. */
class HostileFileTest {

    /** STRS with one string, METH with one method using code 0, and the given CODE and LITS. */
    static byte[] file(byte[] code, byte[] lits) {
        var strs = new ModuleWriter.Out();
        strs.u32(1);
        strs.u32(1);
        strs.u8('m');
        var meth = new ModuleWriter.Out();
        meth.u32(1);
        for (int v : new int[] {0, 0, 0, Format.NONE, 0, Format.NONE, 0, -1, 0, 0, Format.NONE, 0}) meth.u32(v);
        Map<Integer, byte[]> sections = new LinkedHashMap<>();
        sections.put(Section.STRS.id, strs.bytes());
        sections.put(Section.METH.id, meth.bytes());
        sections.put(Section.CODE.id, code);
        sections.put(Section.LITS.id, lits);
        return ModuleWriter.layout(Module.Kind.MODULE, Module.Target.ANY, 0, sections);
    }

    /** One code entry: return_self, with the given literal frame. */
    static byte[] code(int... frame) {
        var o = new ModuleWriter.Out();
        o.u32(1);
        for (int v : new int[] {0, 0, 0, 1, 0}) o.u32(v);
        o.u32(1);
        o.u8(0x51);
        o.u32(frame.length);
        for (int f : frame) o.u32(f);
        o.u32(0);
        return o.bytes();
    }

    @Test void craftedFileReadsWhenWellFormed() throws Exception {
        var lits = new ModuleWriter.Out();
        lits.u32(1);
        lits.u8(Format.LIT_NIL);
        var m = ModuleReader.read(file(code(0), lits.bytes())).module();
        assertEquals("m>>m", m.methods().getFirst().qualifiedName());
    }

    @Test void sharedArraysThatExpandExponentiallyAreRefused() {
        var lits = new ModuleWriter.Out();
        int n = 200;
        lits.u32(n + 1);
        lits.u8(Format.LIT_NIL);
        for (int k = 1; k <= n; k++) {
            lits.u8(Format.LIT_ARRAY);
            lits.u32(2);
            lits.u32(k - 1);
            lits.u32(k - 1);
        }
        var e = assertThrows(FormatException.class, () -> ModuleReader.read(file(code(n), lits.bytes())));
        assertTrue(e.getMessage().contains("stand for more than"), e.getMessage());
    }

    @Test void nestingBeyondTheLimitIsRefused() {
        var lits = new ModuleWriter.Out();
        int n = 300;
        lits.u32(n + 1);
        lits.u8(Format.LIT_NIL);
        for (int k = 1; k <= n; k++) {
            lits.u8(Format.LIT_ARRAY);
            lits.u32(1);
            lits.u32(k - 1);
        }
        var e = assertThrows(FormatException.class, () -> ModuleReader.read(file(code(n), lits.bytes())));
        assertEquals("section LITS, entry 255: literals nested deeper than 255", e.getMessage());
    }

    @Test void forwardAndSelfReferencesAreRefused() {
        var lits = new ModuleWriter.Out();
        lits.u32(1);
        lits.u8(Format.LIT_ARRAY);
        lits.u32(1);
        lits.u32(0);
        var e = assertThrows(FormatException.class, () -> ModuleReader.read(file(code(0), lits.bytes())));
        assertEquals("section LITS, entry 0: array element 0 does not come before the array", e.getMessage());

        var block = new ModuleWriter.Out();
        block.u32(1);
        block.u8(Format.LIT_BLOCK);
        block.u32(0); // code 0, whose frame holds this very literal
        e = assertThrows(FormatException.class, () -> ModuleReader.read(file(code(0), block.bytes())));
        assertEquals("section LITS, entry 0: block code 0 uses literal 0, which does not come before the block", e.getMessage());
    }

    @Test void bytecodeThatWouldMisleadTheNativizerIsRefused() {
        var lits = new ModuleWriter.Out();
        lits.u32(1);
        lits.u8(Format.LIT_NIL);
        byte[] c = code(0);
        c[4 + 20 + 4] = 0x30; // return_self -> a truncated send
        var e = assertThrows(FormatException.class, () -> ModuleReader.read(file(c, lits.bytes())));
        assertEquals("section CODE, entry 0: pc 0: send runs past the end of the code", e.getMessage());
    }

    /** Random garbage inside each section, checksums made valid: a clean error or a valid read, never anything else. */
    @Test void randomGarbageBehindValidChecksums() throws Exception {
        byte[] file = ModuleWriter.write(Samples.library());
        FileLayout layout = ModuleReader.layout(file);
        int tableEnd = Format.HEADER_SIZE + layout.sections().size() * Format.SECTION_ENTRY_SIZE;
        Random random = new Random(42);
        for (int round = 0; round < 4000; round++) {
            byte[] bad = file.clone();
            FileLayout.Entry e = layout.sections().get(random.nextInt(layout.sections().size()));
            if (e.length() == 0) continue;
            int hits = 1 + random.nextInt(6);
            for (int h = 0; h < hits; h++) {
                int at = (int) e.offset() + random.nextInt((int) e.length());
                bad[at] = switch (random.nextInt(4)) {
                    case 0 -> (byte) 0xFF;
                    case 1 -> 0;
                    case 2 -> (byte) (bad[at] + 1);
                    default -> (byte) random.nextInt(256);
                };
            }
            CorruptionTest.reseal(bad, layout, tableEnd);
            try {
                ModuleReader.read(bad);
            } catch (FormatException ok) {
                assertFalse(ok.getMessage().isBlank());
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError x) {
                throw new AssertionError("round " + round + ": " + x, x);
            }
        }
    }
}
