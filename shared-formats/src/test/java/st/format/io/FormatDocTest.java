package st.format.io;

import org.junit.jupiter.api.Test;
import st.bytecode.Opcode;
import st.bytecode.SpecialSelector;
import st.format.model.CodeDef;
import st.format.model.Literal;
import st.format.model.MethodDef;
import st.format.model.Module;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** Keeps docs/FORMAT.md in step with the code: every opcode, selector and section is documented, and the worked example is real. */
class FormatDocTest {
    static String doc() throws Exception {
        Path p = Path.of("../docs/FORMAT.md");
        assertTrue(Files.exists(p), "docs/FORMAT.md");
        return Files.readString(p);
    }

    @Test void everyOpcodeIsDocumentedWithItsCodeAndOperands() throws Exception {
        String doc = doc();
        for (Opcode op : Opcode.values()) {
            String row = String.format("| `0x%02X` | `%s` |", op.code, op.mnemonic());
            int at = doc.indexOf(row);
            assertTrue(at >= 0, "FORMAT.md lacks the row for " + op.mnemonic());
            String line = doc.substring(at, doc.indexOf('\n', at));
            for (int i = 0; i < op.operandCount(); i++)
                assertTrue(line.contains(op.operand(i).name()), op.mnemonic() + " operand " + op.operand(i) + " undocumented");
        }
    }

    @Test void everySpecialSelectorIsDocumented() throws Exception {
        String doc = doc();
        for (SpecialSelector s : SpecialSelector.values()) {
            String cell = "| " + s.ordinal() + " | `" + s.selector + "` | " + s.argc + " |";
            assertTrue(doc.contains(cell), "FORMAT.md lacks special selector " + cell);
        }
    }

    @Test void everySectionIsDocumented() throws Exception {
        String doc = doc();
        for (Section s : Section.values())
            assertTrue(Pattern.compile("(?m)^### .*\\b" + s.name() + "\\b").matcher(doc).find(), "no heading for section " + s);
    }

    /** The hex lines of the worked example must be the writer's bytes at those offsets. */
    @Test void workedExampleMatchesTheWriter() throws Exception {
        var code = new CodeDef(0, 0, 0, 1, 0, new byte[] {0x06, 0, 0, 0x50}, List.of(new Literal.Str("hi")),
                List.of(new CodeDef.SourcePos(0, 2, 5)));
        var method = new MethodDef("Foo", false, "hi", null, 0, null, List.of(), code, 0, 1, 1, null);
        byte[] file = ModuleWriter.write(new Module(Module.Kind.MODULE, Module.Target.ANY, 0, "m", List.of("f.st"),
                List.of(), List.of(method), List.of(), List.of(), List.of("Foo"), null));
        String doc = doc();
        String example = doc.substring(doc.indexOf("## Worked example"));
        Matcher m = Pattern.compile("(?m)^([0-9a-f]{8}): ((?:[0-9a-f]{2,4} ?)+?)(?=\\s{2,}|\\s*$)").matcher(example);
        int lines = 0, checked = 0;
        while (m.find()) {
            int offset = Integer.parseInt(m.group(1), 16);
            String hex = m.group(2).replace(" ", "");
            // A line may start mid-row: its bytes begin at the column the address implies.
            byte[] bytes = HexFormat.of().parseHex(hex);
            for (int i = 0; i < bytes.length; i++)
                assertEquals(file[offset + i], bytes[i], String.format("byte 0x%x of the worked example", offset + i));
            lines++;
            checked += bytes.length;
        }
        assertTrue(lines > 20, "worked example has " + lines + " hex lines");
        assertTrue(checked >= file.length - 200, "worked example shows only " + checked + " of " + file.length + " bytes");
    }
}
