package stjit.nativize;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import st.format.model.Module;
import st.format.model.NativeCode;
import stjit.image.HeapImage;
import stjit.image.ImageBuilder;
import stjit.image.TestKernel;
import stjit.lib.LibraryBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class NativizerTest {

    private static final String PROGRAM = """
            Object subclass: #Sample instanceVariableNames: 'items' classVariableNames: '' package: 'T'!
            !Sample methodsFor: 't'!
            sum: n
                | total |
                total := 0.
                1 to: n do: [:i | total := total + i].
                ^total!
            find: x
                items do: [:each | each = x ifTrue: [^each]].
                ^nil!
            describe
                ^super printString , (self sum: 3) printString! !
            """;

    @Test
    void everyKernelMethodNativizesWithItsUncheckedEntryAt48() throws Exception {
        HeapImage image = ImageBuilder.build(List.of(TestKernel.runtime()));
        Nativizer n = new Nativizer(image);
        int count = 0;
        for (HeapImage.CodeInfo c : image.codeList()) {
            if (c.block()) continue;
            Nativizer.Result r = n.nativize(c);
            assertEquals(RuntimeSymbols.UNCHECKED_OFFSET, r.code().markOffset("unchecked"), c.symbol());
            assertEquals(c.symbol(), r.entries().getFirst().symbol());
            count++;
        }
        assertTrue(count > 100);
    }

    @Test
    void aLibraryIsByteIdenticalForTheSameModule() throws Exception {
        Module p = TestKernel.program("sample", PROGRAM);
        Module a = LibraryBuilder.build(List.of(TestKernel.runtime()), p, Module.Target.LINUX_X64);
        Module b = LibraryBuilder.build(List.of(TestKernel.runtime()), p, Module.Target.LINUX_X64);
        assertEquals(a.nativeCode(), b.nativeCode());
    }

    @Test
    void libraryNamesMethodsAndBlocksAndEveryRelocationTargetExists() throws Exception {
        Module p = TestKernel.program("sample", PROGRAM);
        Module lib = LibraryBuilder.build(List.of(TestKernel.runtime()), p, Module.Target.LINUX_X64);
        HeapImage image = ImageBuilder.build(List.of(TestKernel.runtime(), p));
        Set<String> names = new HashSet<>();
        for (NativeCode.Symbol s : lib.nativeCode().symbols()) names.add(s.name());
        assertTrue(names.containsAll(List.of("Sample>>sum:", "Sample>>find:", "[] in Sample>>find:", "Sample>>describe")), names.toString());
        Set<String> kernelCode = new HashSet<>();
        for (HeapImage.CodeInfo c : image.codeList()) kernelCode.add(c.symbol());
        for (NativeCode.Relocation r : lib.nativeCode().relocations()) {
            String t = r.target();
            boolean known = names.contains(t) || image.symbols().containsKey(t) || kernelCode.contains(t) || t.startsWith("stub:");
            assertTrue(known, "relocation to unknown symbol " + t);
        }
    }

    @Test
    void objdumpDecodesTheCodeWithoutBadInstructions() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/objdump")), "objdump is not installed");
        Module p = TestKernel.program("sample", PROGRAM);
        Module lib = LibraryBuilder.build(List.of(TestKernel.runtime()), p, Module.Target.LINUX_X64);
        Path bin = Files.createTempFile("sample", ".bin");
        Files.write(bin, lib.nativeCode().text());
        Process proc = new ProcessBuilder("objdump", "-D", "-b", "binary", "-mi386:x86-64", bin.toString())
                .redirectErrorStream(true).start();
        String listing = new String(proc.getInputStream().readAllBytes());
        proc.waitFor();
        Files.delete(bin);
        // int3 padding between functions decodes fine; "(bad)" would mean a broken encoding
        assertFalse(listing.contains("(bad)"), listing);
        assertTrue(listing.contains("call"));
    }

    /** Float's arithmetic as kernel/Core defines it (the test kernel has only kernel/Runtime). */
    private static final String FLOATS = """
            !Float methodsFor: 't'!
            + x <primitive: 'floatAdd'> ^nil!
            - x <primitive: 'floatSub'> ^nil!
            * x <primitive: 'floatMul'> ^nil!
            / x <primitive: 'floatDiv'> ^nil!
            < x <primitive: 'floatLess'> ^nil!
            > x <primitive: 'floatGreater'> ^nil!
            <= x <primitive: 'floatLessEq'> ^nil!
            >= x <primitive: 'floatGreaterEq'> ^nil!
            = x <primitive: 'floatEq'> ^nil!
            ~= x <primitive: 'floatNotEq'> ^nil!
            isFloat ^true! !
            !Object methodsFor: 't'!
            isFloat ^false! !
            Object subclass: #Calc instanceVariableNames: '' classVariableNames: '' package: 'T'!
            !Calc methodsFor: 't'!
            arith: a with: b
                ^{a + b. a - b. a * b. a / b}!
            compare: a with: b
                ^{a < b. a > b. a <= b. a >= b. a = b. a ~= b}!
            min: a with: b
                ^a < b ifTrue: [a] ifFalse: [b]! !
            """;

    private static String listing(Module lib, String symbol) {
        NativeCode code = lib.nativeCode();
        NativeCode.Symbol s = code.symbols().stream().filter(x -> x.name().equals(symbol)).findFirst().orElseThrow();
        return String.join("\n", stjit.x64.Disassembler.disassemble(code.text(), (int) s.offset(), (int) (s.offset() + s.size()), 0)
                .stream().map(l -> l.text().replaceAll("\\s+", " ")).toList());
    }

    @Test
    void floatArithmeticAndComparisonsHaveAnInlineFastPath() throws Exception {
        Module lib = LibraryBuilder.build(List.of(TestKernel.runtime()), TestKernel.program("floats", FLOATS), Module.Target.LINUX_X64);
        String arith = listing(lib, "Calc>>arith:with:");
        for (String op : List.of("addsd xmm0,xmm1", "subsd xmm0,xmm1", "mulsd xmm0,xmm1", "divsd xmm0,xmm1",
                "cmp DWORD PTR [rax],0x10000012", "cmp DWORD PTR [rdx],0x10000012", "movsd xmm1,QWORD PTR [rdx+0x8]",
                "cvtsi2sd xmm1,rcx", "cvtsi2sd xmm0,rcx", "movq rcx,xmm1", "movsd QWORD PTR [rax+0x8],xmm0"))
            assertTrue(arith.contains(op), op + " in:\n" + arith);
        String compare = listing(lib, "Calc>>compare:with:");
        assertTrue(compare.contains("ucomisd xmm1,xmm0") && compare.contains("ucomisd xmm0,xmm1") && compare.contains("cmovp rax,rcx"), compare);
        // the code around the new forms reads the same to GNU objdump as to our disassembler
        Assumptions.assumeTrue(stjit.x64.ObjdumpCheck.available(), "objdump is not installed");
        NativeCode code = lib.nativeCode();
        for (String sym : List.of("Calc>>arith:with:", "Calc>>compare:with:")) {
            NativeCode.Symbol s = code.symbols().stream().filter(x -> x.name().equals(sym)).findFirst().orElseThrow();
            stjit.x64.ObjdumpCheck.assertSameListing(java.util.Arrays.copyOfRange(code.text(), (int) s.offset(), (int) (s.offset() + s.size())));
        }
    }

    @Test
    void aComparisonConsumedByAConditionalJumpBranchesOnTheFlags() throws Exception {
        Module lib = LibraryBuilder.build(List.of(TestKernel.runtime()), TestKernel.program("floats", FLOATS), Module.Target.LINUX_X64);
        String min = listing(lib, "Calc>>min:with:");
        // jump_if_false after <: the SmallInteger case jumps on "greater or equal", no cmov
        assertTrue(min.matches("(?s).*add rsp,0x10\ncmp rax,rdx\njge .*"), min);
        assertFalse(min.contains("cmovl"), min);
        // the other operands: the Float path, then the Boolean test and #mustBeBoolean
        assertTrue(min.contains("ucomisd xmm1,xmm0"), min);
        assertTrue(lib.nativeCode().relocations().stream().anyMatch(r -> r.target().equals("sym:mustBeBoolean")));
    }

    @Test
    void aRedefinedFloatMethodGetsOrdinarySends() throws Exception {
        Module lib = LibraryBuilder.build(List.of(TestKernel.runtime()),
                TestKernel.program("floats", FLOATS.replace("+ x <primitive: 'floatAdd'> ^nil!", "+ x ^x!")), Module.Target.LINUX_X64);
        String arith = listing(lib, "Calc>>arith:with:");
        assertFalse(arith.contains("addsd"), arith);
        assertTrue(arith.contains("subsd xmm0,xmm1"), arith);
    }

    @Test
    void anUnknownPrimitiveIsANamedError() throws Exception {
        Module p = TestKernel.program("bad", """
                Object subclass: #Bad instanceVariableNames: '' classVariableNames: '' package: 'T'!
                !Bad methodsFor: 't'!
                frob <primitive: 'noSuchPrimitive'> ^nil! !
                """);
        var e = assertThrows(NativizeException.class,
                () -> LibraryBuilder.build(List.of(TestKernel.runtime()), p, Module.Target.LINUX_X64));
        assertTrue(e.getMessage().contains("Bad>>frob") && e.getMessage().contains("noSuchPrimitive"), e.getMessage());
    }

    private static final String WIN64 = """
            Object subclass: #Win instanceVariableNames: '' classVariableNames: '' package: 'T'!
            !Win class methodsFor: 't'!
            open
                ^Intrinsics win64: #CreateFileW with: 1 with: 2 with: 3 with: 4 with: 5 with: 6 with: 7!
            error
                ^Intrinsics win64: #GetLastError! !
            """;

    @Test
    void win64CallsTheImportWithTheMicrosoftConvention() throws Exception {
        Module lib = LibraryBuilder.build(List.of(TestKernel.runtime()), TestKernel.program("win", WIN64), Module.Target.WINDOWS_X64);
        NativeCode code = lib.nativeCode();
        NativeCode.Symbol open = code.symbols().stream().filter(s -> s.name().equals("Win class>>open")).findFirst().orElseThrow();
        List<NativeCode.Relocation> imports = code.relocations().stream()
                .filter(r -> r.target().startsWith("__imp_")).toList();
        assertEquals(List.of("__imp_CreateFileW", "__imp_GetLastError"), imports.stream().map(NativeCode.Relocation::target).toList());
        assertTrue(imports.stream().allMatch(r -> r.kind() == NativeCode.RelocationKind.REL32));
        List<String> text = stjit.x64.Disassembler.disassemble(code.text(), (int) open.offset(), (int) (open.offset() + open.size()), 0)
                .stream().map(l -> l.text().replaceAll("\\s+", " ")).toList();
        String all = String.join("\n", text);
        // rsp kept in rbx, 32 bytes of shadow space and three stack arguments (rounded to 64), aligned
        assertTrue(all.matches("(?s).*mov rbx,rsp\nsub rsp,0x40\nand rsp,0xfffffffffffffff0\n.*"), all);
        for (String slot : List.of("[rsp+0x20]", "[rsp+0x28]", "[rsp+0x30]"))
            assertTrue(all.contains(slot), "a stack argument at " + slot + ":\n" + all);
        for (String reg : List.of("rcx", "rdx", "r8", "r9")) assertTrue(all.contains("sar " + reg), reg + " untagged:\n" + all);
        assertTrue(all.contains("call QWORD PTR [rip+0x0]") && all.contains("mov rsp,rbx"), all);
    }

    @Test
    void win64NeedsALiteralSymbol() throws Exception {
        Module p = TestKernel.program("win", """
                Object subclass: #Win instanceVariableNames: '' classVariableNames: '' package: 'T'!
                !Win class methodsFor: 't'!
                call: name
                    ^Intrinsics win64: name! !
                """);
        NativizeException e = assertThrows(NativizeException.class,
                () -> LibraryBuilder.build(List.of(TestKernel.runtime()), p, Module.Target.WINDOWS_X64));
        assertTrue(e.getMessage().contains("needs a literal Symbol"), e.getMessage());
    }
}
