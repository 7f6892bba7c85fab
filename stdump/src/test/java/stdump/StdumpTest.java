package stdump;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import st.bytecode.BytecodeBuilder;
import st.bytecode.Opcode;
import st.bytecode.SpecialSelector;
import st.cli.Tool;
import st.format.io.ModuleWriter;
import st.format.model.ClassDef;
import st.format.model.CodeDef;
import st.format.model.Literal;
import st.format.model.MethodDef;
import st.format.model.Module;
import st.format.model.NativeCode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class StdumpTest {
    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    static Run stdump(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Tool.run("stdump", new Main(), args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Counter>>increment:   count := count + by. ^count   (body varies with {@code step}). */
    static MethodDef increment(int step, String extra) {
        var b = new BytecodeBuilder();
        b.at(5, 5);
        b.emit(Opcode.PUSH_INST, 0);
        b.emit(Opcode.PUSH_INT8, step);
        b.emit(Opcode.SEND_SPECIAL, SpecialSelector.ADD.ordinal());
        b.emit(Opcode.POP_STORE_INST, 0);
        b.at(6, 5);
        b.emit(Opcode.PUSH_INST, 0);
        b.emit(Opcode.RETURN_TOP);
        var map = b.sourceMap().stream().map(e -> new CodeDef.SourcePos(e[0], e[1], e[2])).toList();
        var code = new CodeDef(0, 0, 0, b.maxDepth(), 0, b.toBytes(), List.of(), map);
        return new MethodDef("Counter", false, "increment", "ops", 0, null, List.of(), code, 0, 4, 1,
                "increment\n    count := count + " + step + ".\n    ^count" + extra);
    }

    static MethodDef each() {
        var blk = new BytecodeBuilder();
        blk.at(9, 20);
        blk.emit(Opcode.PUSH_TEMP, 0);
        blk.emit(Opcode.PUSH_LITERAL, 0);
        blk.emit(Opcode.SEND, 1, 1);
        blk.emit(Opcode.BLOCK_RETURN);
        var block = new CodeDef(1, 0, 0, blk.maxDepth(), CodeDef.IS_BLOCK, blk.toBytes(),
                List.of(new Literal.Float(2.5), new Literal.Sym("printOn:")), List.of(new CodeDef.SourcePos(0, 9, 20)));
        var b = new BytecodeBuilder();
        b.at(9, 5);
        b.emit(Opcode.PUSH_LITERAL, 0);
        b.emit(Opcode.PUSH_CLOSURE, 1, 0);
        b.emit(Opcode.SEND, 2, 1);
        b.emit(Opcode.RETURN_SELF);
        var map = b.sourceMap().stream().map(e -> new CodeDef.SourcePos(e[0], e[1], e[2])).toList();
        var code = new CodeDef(0, 0, 0, b.maxDepth(), 0, b.toBytes(),
                List.of(new Literal.Array(List.of(Literal.Int.of(1), new Literal.Str("two"))), new Literal.Block(block),
                        new Literal.Sym("do:")), map);
        return new MethodDef("Counter", true, "each", null, 0, null, List.of(), code, 0, 8, 1,
                "each\n    #(1 'two') do: [:x | x printOn: 2.5]");
    }

    static Module module(List<String> instVars, List<MethodDef> methods, NativeCode nativeCode) {
        var counter = new ClassDef("Counter", "Object", ClassDef.Shape.FIXED, instVars, List.of(), List.of(),
                "Demo", "Counts.", 0, 1, 1);
        return new Module(nativeCode == null ? Module.Kind.MODULE : Module.Kind.LIBRARY, Module.Target.ANY, 0, "demo",
                List.of("Counter.st"), List.of(counter), methods, List.of(), List.of("Object"), List.of("Counter"), nativeCode);
    }

    static Module base() { return module(List.of("count"), List.of(increment(1, ""), each()), null); }

    static Module library() {
        // push rbp; mov rbp, rsp; call st_stub; pop rbp; ret; int3 padding | st_stub: ret; nops
        byte[] text = java.util.HexFormat.of().parseHex("554889e5e8000000005dc3cccccccccc" + "c390909090909090");
        return module(List.of("count"), List.of(increment(1, ""), each()), new NativeCode(text,
                List.of(new NativeCode.Symbol("Counter>>increment", NativeCode.SymbolKind.METHOD, 0, 16, 0),
                        new NativeCode.Symbol("st_stub", NativeCode.SymbolKind.STUB, 16, 8, -1)),
                List.of(new NativeCode.Relocation(5, NativeCode.RelocationKind.REL32, "st_stub", -4))));
    }

    Path write(String name, Module m) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, ModuleWriter.write(m));
        return p;
    }

    @Test void summaryNamesKindSectionsCountsImportsAndExports() throws Exception {
        Run r = stdump(write("a.stm", base()).toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains(": module (format 1.1), target any"), r.out);
        assertTrue(r.out.contains("  METH "), r.out);
        assertTrue(r.out.contains("classes 1, methods 2, blocks 1"), r.out);
        assertTrue(r.out.contains("source files:\n  Counter.st\n"), r.out);
        assertTrue(r.out.contains("imports: Object\n"), r.out);
        assertTrue(r.out.contains("exports: Counter\n"), r.out);
    }

    @Test void everyViewAsText() throws Exception {
        String f = write("l.stl", library()).toString();
        Run classes = stdump("--classes", f);
        assertTrue(classes.out.contains("Counter (superclass Object, fixed)  Counter.st:1:1"), classes.out);
        assertTrue(classes.out.contains("instance variables: count"), classes.out);
        Run methods = stdump("--methods", f);
        assertTrue(methods.out.contains("   1  Counter class>>each"), methods.out);
        Run bytecodes = stdump("--bytecodes", "-m", "increment", f);
        assertEquals("""
                Counter>>increment
                  ; 0 literals, 0 args, 0 temps, stack 2
                  ; 4: increment
                  ; 5:     count := count + 1.
                      0  push_inst 0
                      2  push_int8 1
                      4  send_special 0  ; #+
                      6  pop_store_inst 0
                  ; 6:     ^count
                      8  push_inst 0
                     10  return_top
                """, bytecodes.out);
        Run noSource = stdump("--bytecodes", "--no-source", "-m", "Counter class>>each", f);
        assertTrue(noSource.out.contains("push_closure 1 0  ; block") && !noSource.out.contains("; 9:"), noSource.out);
        Run literals = stdump("--literals", "-m", "each", f);
        assertTrue(literals.out.contains("  0  array  #(1 'two')"), literals.out);
        assertTrue(literals.out.contains("float  2.5  (bits 4004000000000000)"), literals.out);
        Run symbols = stdump("--symbols", f);
        assertTrue(symbols.out.contains("00000000       16  method Counter>>increment"), symbols.out);
        assertTrue(symbols.out.contains("00000005  REL32 st_stub-4"), symbols.out);
        Run nat = stdump("--native", f);
        assertTrue(nat.out.contains("<Counter>>increment>  method, 16 bytes"), nat.out);
        assertTrue(nat.out.contains("  ;; Counter>>increment\n"), nat.out);
        assertTrue(nat.out.contains("  ;;       0  push_inst 0\n"), nat.out);
        assertTrue(nat.out.matches("(?s).*\\s1:\t48 89 e5 +\tmov +rbp, ?rsp\n.*"), nat.out);
        assertTrue(nat.out.contains("\t\t\treloc 5: REL32 st_stub-4\n"), nat.out);
        assertTrue(nat.out.contains("<st_stub>  stub, 8 bytes"), nat.out);
        Run hex = stdump("--hex", "modl", f);
        assertTrue(hex.out.startsWith("section MODL at offset "), hex.out);
        Run missing = stdump("--hex", "NOPE", f);
        assertEquals(1, missing.code);
        assertTrue(missing.err.contains("no section NOPE (it has: header MODL STRS"), missing.err);
        Run header = stdump("--hex", "header", f);
        assertTrue(header.out.contains("00000000  89 53 54 4d 0d 0a 1a 0a  01 00 01 00 01 00 00 00  |.STM............|"), header.out);
    }

    @Test void everyViewAsJson() throws Exception {
        String f = write("l.stl", library()).toString();
        JsonNode j = new ObjectMapper().readTree(stdump("--json", "--summary", "--classes", "--methods", "--bytecodes",
                "--literals", "--symbols", "--native", "--hex", "CODE", f).out);
        assertEquals("library", j.at("/summary/kind").asText());
        assertEquals("Counter", j.at("/classes/0/name").asText());
        assertEquals("Counter class>>each", j.at("/methods/1/name").asText());
        assertEquals("push_closure", j.at("/bytecodes/1/code/instructions/1/op").asText());
        assertEquals("#printOn:", j.at("/bytecodes/1/code/instructions/1/block/literals/1/value").asText());
        assertEquals("send 1 1  ; #printOn:", j.at("/bytecodes/1/code/instructions/1/block/instructions/2/text").asText());
        assertEquals("5:5", j.at("/bytecodes/0/code/instructions/0/source").asText());
        assertEquals("array", j.at("/literals/1/literals/0/kind").asText());
        assertEquals("st_stub", j.at("/symbols/relocations/0/target").asText());
        assertEquals("55 48", j.at("/native/0/bytes").asText().substring(0, 5));
        assertEquals("push rbp", j.at("/native/0/instructions/0/text").asText().replaceAll(" +", " "));
        assertEquals("5: REL32 st_stub-4", j.at("/native/0/instructions/2/relocations/0").asText());
        assertEquals("push_inst", j.at("/native/0/bytecodes/instructions/0/op").asText());
        assertEquals("CODE", j.at("/hex/section").asText());
    }

    @Test void identicalInputGivesByteIdenticalOutput() throws Exception {
        String a = write("a.stl", library()).toString(), b = write("b.stl", library()).toString();
        assertArrayEquals(Files.readAllBytes(Path.of(a)), Files.readAllBytes(Path.of(b)));
        for (String[] view : List.of(new String[] {}, new String[] {"--classes", "--methods", "--bytecodes", "--literals", "--symbols", "--native"},
                new String[] {"--json", "--summary", "--bytecodes", "--native", "--literals"})) {
            String[] withA = java.util.stream.Stream.concat(java.util.Arrays.stream(view), java.util.stream.Stream.of(a)).toArray(String[]::new);
            String[] withB = java.util.stream.Stream.concat(java.util.Arrays.stream(view), java.util.stream.Stream.of(b)).toArray(String[]::new);
            String first = stdump(withA).out;
            assertEquals(first, stdump(withA).out);
            assertEquals(first.replace(a, b), stdump(withB).out);
        }
    }

    @Test void diffOfIdenticalFilesIsEmptyAndExitsZero() throws Exception {
        Run r = stdump("diff", write("a.stm", base()).toString(), write("b.stm", base()).toString());
        assertEquals(0, r.code, r.err);
        assertEquals("", r.out);
    }

    @Test void diffShowsClassVariableAndMethodChangesWithBytecodeAndSourceDiffs() throws Exception {
        Module changed = module(List.of("count", "limit"), List.of(increment(2, "")), null);
        String a = write("a.stm", base()).toString(), b = write("b.stm", changed).toString();
        Run r = stdump("diff", a, b);
        assertEquals(1, r.code, r.err);
        assertTrue(r.out.startsWith("--- " + a + "\n+++ " + b + "\n"), r.out);
        assertTrue(r.out.contains("class changed: Counter\n  instance variable added: limit\n"), r.out);
        assertTrue(r.out.contains("method changed: Counter>>increment\n  bytecodes\n  source\n"), r.out);
        assertTrue(r.out.contains("    -       2  push_int8 1\n    +       2  push_int8 2\n"), r.out);
        assertTrue(r.out.contains("    -     count := count + 1.\n    +     count := count + 2.\n"), r.out);
        assertTrue(r.out.contains("method removed: Counter class>>each"), r.out);

        JsonNode j = new ObjectMapper().readTree(stdump("diff", "--json", b, a).out);
        assertFalse(j.get("same").asBoolean());
        assertEquals("added", j.at("/changes/2/change").asText(), j.toString());
        assertEquals("Counter class>>each", j.at("/changes/2/name").asText(), j.toString());
    }

    @Test void diffOfSourceOnlyChangeReportsSourceNotBytecodes() throws Exception {
        Module comment = module(List.of("count"), List.of(increment(1, " \"done\""), each()), null);
        Run r = stdump("diff", write("a.stm", base()).toString(), write("b.stm", comment).toString());
        assertEquals(1, r.code);
        assertTrue(r.out.contains("method changed: Counter>>increment\n  source\n  source diff:"), r.out);
    }

    @Test void diffTroubleExitsTwo() throws Exception {
        Path bad = dir.resolve("bad.stm");
        byte[] bytes = ModuleWriter.write(base());
        bytes[300] ^= 0x40;
        Files.write(bad, bytes);
        Run r = stdump("diff", write("a.stm", base()).toString(), bad.toString());
        assertEquals(2, r.code);
        assertTrue(r.err.startsWith("stdump: " + bad + ": bad checksum in "), r.err);
        assertEquals(2, stdump("diff", "only-one").code);
        assertEquals(2, stdump("diff", dir.resolve("missing").toString(), bad.toString()).code);
    }

    @Test void corruptAndMissingFilesAreCleanErrors() throws Exception {
        Path bad = dir.resolve("trunc.stm");
        byte[] bytes = ModuleWriter.write(base());
        Files.write(bad, java.util.Arrays.copyOf(bytes, 100));
        Run r = stdump(bad.toString());
        assertEquals(1, r.code);
        assertEquals("stdump: " + bad + ": truncated file (100 bytes, the header says " + bytes.length + ")\n", r.err);
        byte[] flipped = ModuleWriter.write(base());
        var layout = st.format.io.ModuleReader.layout(flipped);
        var meth = layout.find(st.format.io.Section.METH.id);
        flipped[(int) meth.offset()] ^= 1;
        Path corrupt = dir.resolve("corrupt.stm");
        Files.write(corrupt, flipped);
        assertEquals(1, stdump(corrupt.toString()).code);
        Run hexOfCorrupt = stdump("--hex", "METH", corrupt.toString());
        assertEquals(0, hexOfCorrupt.code, "the bytes of a corrupt section can still be dumped");
        assertTrue(hexOfCorrupt.out.contains("00000000  03 00 00 00"), hexOfCorrupt.out);
        Run missing = stdump(dir.resolve("nope.stm").toString());
        assertEquals(1, missing.code);
        assertTrue(missing.err.contains("No such file"), missing.err);
        Path text = dir.resolve("x.txt");
        Files.writeString(text, "hello");
        assertTrue(stdump(text.toString()).err.contains("unknown magic number"));
    }

    @Test void readsStandardInput() throws Exception {
        var oldIn = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(ModuleWriter.write(base())));
            Run r = stdump("--methods", "-");
            assertEquals(0, r.code, r.err);
            assertTrue(r.out.contains("Counter>>increment"), r.out);
            System.setIn(new java.io.ByteArrayInputStream(ModuleWriter.write(base())));
            Run d = stdump("diff", "-", write("a.stm", base()).toString());
            assertEquals(0, d.code, d.err);
            assertEquals(2, stdump("diff", "-", "-").code);
        } finally {
            System.setIn(oldIn);
        }
    }

    @Test void usage() {
        assertEquals(2, stdump().code);
        assertEquals(2, stdump("--bogus").code);
        Run help = stdump("--help");
        assertEquals(0, help.code);
        assertTrue(help.out.contains("--bytecodes"));
        assertTrue(stdump("--version").out.startsWith("stdump "));
    }

    @Test void recognisesElfAndPeExecutables() throws Exception {
        byte[] elf = new byte[64 + 56];
        elf[0] = 0x7F; elf[1] = 'E'; elf[2] = 'L'; elf[3] = 'F'; elf[4] = 2; elf[5] = 1; elf[6] = 1;
        elf[16] = 2; elf[18] = 62;
        elf[24] = 0x78; elf[25] = 0x00; elf[26] = 0x40; // entry 0x400078
        elf[32] = 64; elf[54] = 56; elf[56] = 1;        // one program header right after the ELF header
        elf[64] = 1; elf[68] = 5;                        // PT_LOAD, r-x
        Path e = dir.resolve("prog");
        Files.write(e, elf);
        Run r = stdump(e.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("format: ELF executable\nclass: ELF64\n"), r.out);
        assertTrue(r.out.contains("type: EXEC (executable)\nmachine: x86-64\nentry: 0x400078\n"), r.out);
        assertTrue(r.out.contains("  type=LOAD flags=r-x"), r.out);

        byte[] pe = new byte[0x40 + 24 + 112 + 40];
        pe[0] = 'M'; pe[1] = 'Z'; pe[0x3C] = 0x40;
        pe[0x40] = 'P'; pe[0x41] = 'E';
        pe[0x44] = 0x64; pe[0x45] = (byte) 0x86; pe[0x46] = 1; // x86-64, one section
        pe[0x40 + 20] = 112;                                  // optional header size
        int opt = 0x40 + 24;
        pe[opt] = 0x0B; pe[opt + 1] = 0x02; pe[opt + 68] = 3;
        pe[opt + 112] = '.'; pe[opt + 113] = 't'; pe[opt + 114] = 'e'; pe[opt + 115] = 'x'; pe[opt + 116] = 't';
        Path p = dir.resolve("prog.exe");
        Files.write(p, pe);
        Run rp = stdump("--json", p.toString());
        JsonNode j = new ObjectMapper().readTree(rp.out);
        assertEquals("PE executable", j.at("/summary/format").asText());
        assertEquals("PE32+", j.at("/summary/optionalHeader").asText());
        assertEquals("console", j.at("/summary/subsystem").asText());
        assertEquals(".text", j.at("/summary/sectionTable/0/name").asText());
        Files.write(p, java.util.Arrays.copyOf(pe, 0x30));
        assertTrue(stdump(p.toString()).out.contains("error: truncated DOS header"));
        assertEquals(1, stdump("--classes", e.toString()).code);
    }
}
