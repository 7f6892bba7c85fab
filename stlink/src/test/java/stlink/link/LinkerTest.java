package stlink.link;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import st.format.model.Module;
import stlink.elf.ElfWriter;
import stlink.image.Import;
import stlink.image.Place;
import stlink.image.Program;
import stlink.image.ProgramSymbol;
import stlink.image.Section;
import stlink.testing.Code;
import stlink.testing.Processes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static stlink.testing.Libraries.*;

public class LinkerTest {
    @TempDir Path dir;

    public static final String GREETING = "hi from greeter\n";

    /** Calls Greeter>>greet in the other library, then exits with the status the data image points at. */
    public static Module mainLibrary() {
        Code c = new Code();
        c.hex("e8 00000000");            // call Greeter>>greet
        c.hex("48 8b 05 00000000");      // mov rax, [rip + exitStatusPointer]
        c.hex("48 8b 38");               // mov rdi, [rax]
        c.hex("b8 3c000000 0f 05");      // exit
        byte[] text = c.toBytes();
        return library("main", text, List.of(method("_start", 0, text.length)),
                List.of(rel32(1, "Greeter>>greet", 0), rel32(8, "exitStatusPointer", 0)));
    }

    /** Writes a message kept in its own code through a library-local symbol. */
    public static Module greeterLibrary() {
        Code c = new Code();
        c.hex("b8 01000000 bf 01000000");  // write(1, ...
        c.hex("48 8d 35 00000000");        // lea rsi, [rip + .message]
        c.hex("ba").hex(String.format("%02x000000", GREETING.length()));
        c.hex("0f 05 c3");                 // syscall; ret
        int messageAt = c.here();
        byte[] code = c.toBytes();
        byte[] text = new byte[code.length + GREETING.length()];
        System.arraycopy(code, 0, text, 0, code.length);
        System.arraycopy(GREETING.getBytes(StandardCharsets.US_ASCII), 0, text, code.length, GREETING.length());
        return library("greeter", text,
                List.of(method("Greeter>>greet", 0, messageAt), data(".message", messageAt, GREETING.length())),
                List.of(rel32(13, ".message", 0)));
    }

    /** An exit status of 7, reached through a pointer the linker relocates. */
    static DataImage statusImage() {
        byte[] bytes = new byte[16];
        bytes[8] = 7;
        return new DataImage("test image", bytes, 64,
                List.of(new DataImage.Symbol("exitStatusPointer", 0, 8), new DataImage.Symbol("status", 8, 8),
                        new DataImage.Symbol("freeSpace", 16, 64)),
                List.of(new DataImage.Relocation(0, "status", 0)));
    }

    static List<LibraryInput> inputs() {
        return List.of(new LibraryInput("main.stl", mainLibrary()), new LibraryInput("greeter.stl", greeterLibrary()));
    }

    static Program linkForLinux(List<LibraryInput> libs, DataImage image) {
        return Linker.link(libs, image, Module.Target.LINUX_X64, Linker.DEFAULT_ENTRY).program();
    }

    @Test void linkedLibrariesRunAsOneProgram() throws Exception {
        assumeTrue(Processes.isLinuxX64(), "runs x86-64 Linux executables");
        Path exe = dir.resolve("prog");
        Files.write(exe, ElfWriter.write(linkForLinux(inputs(), statusImage())));
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        Processes.Result r = Processes.run(List.of(exe.toString()));
        assertEquals(GREETING, r.stdout());
        assertEquals(7, r.exitCode());
    }

    @Test void eachLibrarysCodeStartsAligned() {
        Linker.Result result = Linker.link(inputs(), statusImage(), Module.Target.LINUX_X64, "_start");
        List<Linker.Placement> placements = result.placements();
        assertEquals(0, placements.get(0).offset());
        assertEquals(32, placements.get(1).offset()); // main's 24 bytes, padded to 16
        assertEquals((byte) 0xCC, result.program().text()[24], "padding traps");
        ProgramSymbol greet = result.program().symbols().stream()
                .filter(s -> s.name().equals("Greeter>>greet")).findFirst().orElseThrow();
        assertEquals(32, greet.offset());
    }

    @Test void imageSymbolsBeyondItsBytesLandInTheZeroFill() {
        Program p = linkForLinux(inputs(), statusImage());
        assertEquals(16, p.data().length);
        assertEquals(64, p.bssSize());
        ProgramSymbol free = p.symbols().stream().filter(s -> s.name().equals("freeSpace")).findFirst().orElseThrow();
        assertEquals(Section.BSS, free.section());
        assertEquals(0, free.offset());
    }

    @Test void aMissingSymbolNamesTheSymbolTheReferenceAndTheLibrary() {
        LinkException e = assertThrows(LinkException.class,
                () -> linkForLinux(List.of(new LibraryInput("main.stl", mainLibrary())), statusImage()));
        assertEquals(List.of("undefined symbol 'Greeter>>greet', referenced from '_start' in main.stl"), e.errors());
    }

    @Test void aDuplicateDefinitionNamesBothLibraries() {
        LinkException e = assertThrows(LinkException.class, () -> linkForLinux(List.of(
                new LibraryInput("main.stl", mainLibrary()), new LibraryInput("greeter.stl", greeterLibrary()),
                new LibraryInput("other/greeter.stl", greeterLibrary())), statusImage()));
        assertEquals(List.of("duplicate symbol 'Greeter>>greet': defined in greeter.stl and in other/greeter.stl"),
                e.errors());
    }

    @Test void imageSymbolsClashWithCodeSymbolsToo() {
        DataImage clash = new DataImage("heap", new byte[8], 0, List.of(new DataImage.Symbol("_start", 0, 8)), List.of());
        LinkException e = assertThrows(LinkException.class, () -> linkForLinux(inputs(), clash));
        assertTrue(e.errors().contains("duplicate symbol '_start': defined in main.stl and in heap"), e.errors().toString());
    }

    @Test void aMissingImageTargetIsReported() {
        DataImage dangling = new DataImage("heap", new byte[16], 0, List.of(new DataImage.Symbol("exitStatusPointer", 0, 8)),
                List.of(new DataImage.Relocation(8, "Nowhere>>method", 0)));
        LinkException e = assertThrows(LinkException.class, () -> linkForLinux(inputs(), dangling));
        assertEquals(List.of("undefined symbol 'Nowhere>>method', referenced from offset 0x8 of heap"), e.errors());
    }

    @Test void anUndefinedEntryIsReported() {
        LinkException e = assertThrows(LinkException.class, () -> Linker.link(inputs(), statusImage(),
                Module.Target.LINUX_X64, "Main>>main"));
        assertEquals(List.of("entry symbol 'Main>>main' is not defined by any library (choose one with --entry-symbol)"), e.errors());
    }

    @Test void theEntryMustBeCode() {
        LinkException e = assertThrows(LinkException.class, () -> Linker.link(inputs(), statusImage(),
                Module.Target.LINUX_X64, "status"));
        assertEquals(List.of("entry symbol 'status' (in test image) is not code"), e.errors());
    }

    @Test void localSymbolsOfDifferentLibrariesDoNotClash() {
        Module a = library("a", new byte[] {(byte) 0xc3, 0, 0, 0, 0}, List.of(method("_start", 0, 1), method(".helper", 1, 4)),
                List.of(rel32(1, ".helper", 0)));
        Module b = library("b", new byte[] {(byte) 0xc3, 0, 0, 0, 0}, List.of(method(".helper", 0, 5)),
                List.of(rel32(1, ".helper", 0)));
        Program p = linkForLinux(List.of(new LibraryInput("a.stl", a), new LibraryInput("b.stl", b)), null);
        assertEquals(new Place.InSection(Section.TEXT, 1), p.fixups().get(0).target());
        assertEquals(new Place.InSection(Section.TEXT, 16), p.fixups().get(1).target());
        assertTrue(p.symbols().stream().filter(s -> s.name().equals(".helper")).allMatch(ProgramSymbol::local));
    }

    @Test void windowsImportsBecomeImportSlots() {
        Module m = library("w", new byte[] {(byte) 0xff, 0x15, 0, 0, 0, 0, (byte) 0xff, 0x15, 0, 0, 0, 0},
                List.of(method("_start", 0, 12)),
                List.of(rel32(2, "__imp_ExitProcess", 0), rel32(8, "__imp_user32.dll!MessageBoxW", 0)));
        Program p = Linker.link(List.of(new LibraryInput("w.stl", m)), null, Module.Target.WINDOWS_X64, "_start").program();
        assertEquals(List.of(new Import("kernel32.dll", "ExitProcess"), new Import("user32.dll", "MessageBoxW")), p.imports());
        assertEquals(new Place.ImportSlot(new Import("kernel32.dll", "ExitProcess")), p.fixups().get(0).target());

        LinkException e = assertThrows(LinkException.class, () -> linkForLinux(List.of(new LibraryInput("w.stl", m)), null));
        assertEquals("undefined symbol '__imp_ExitProcess', referenced from '_start' in w.stl "
                + "(DLL imports exist only for windows-x64)", e.errors().get(0));
    }

    @Test void librariesForAnotherTargetAndModulesAreRejected() {
        Module windows = library("w", Module.Target.WINDOWS_X64, new byte[] {(byte) 0xc3}, List.of(method("_start", 0, 1)),
                List.of(), List.of(), List.of());
        Module bytecodeOnly = new Module(Module.Kind.MODULE, Module.Target.ANY, 0, "m", List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of(), null);
        LinkException e = assertThrows(LinkException.class, () -> linkForLinux(List.of(
                new LibraryInput("w.stl", windows), new LibraryInput("m.stm", bytecodeOnly)), null));
        assertEquals(List.of("w.stl: built for windows-x64, but linking for linux-x64",
                "m.stm: not a library (a module); make one from it with stjit"), e.errors());
    }

    @Test void corruptSymbolsAndRelocationsAreNamed() {
        Module bad = library("bad", new byte[4], List.of(method("_start", 0, 4), method("Far>>away", 2, 9)),
                List.of(abs64(0, "_start", 0)));
        LinkException e = assertThrows(LinkException.class,
                () -> linkForLinux(List.of(new LibraryInput("bad.stl", bad)), null));
        assertTrue(e.errors().contains("bad.stl: corrupt library: symbol 'Far>>away' lies outside its code"), e.errors().toString());
        assertTrue(e.errors().contains("bad.stl: corrupt library: relocation to '_start' lies outside its code"), e.errors().toString());
    }

    @Test void classesAreLinkedByName() {
        Module kernel = library("kernel", Module.Target.ANY, new byte[] {(byte) 0xc3}, List.of(method("_start", 0, 1)),
                List.of(), List.of("Object", "Transcript"), List.of());
        // App subclasses Missing, which nobody defines; Total is only named by code (a script global): nil.
        Module app = new Module(Module.Kind.LIBRARY, Module.Target.ANY, 0, "app", List.of(),
                List.of(new st.format.model.ClassDef("App", "Missing", st.format.model.ClassDef.Shape.FIXED, List.of(),
                        List.of(), List.of(), null, null, 0, 1, 1)),
                List.of(), List.of(), List.of("Transcript", "Missing", "Total"), List.of("Object", "App"),
                new st.format.model.NativeCode(new byte[0], List.of(), List.of()));
        LinkException e = assertThrows(LinkException.class, () -> linkForLinux(List.of(
                new LibraryInput("kernel.stl", kernel), new LibraryInput("app.stl", app)), null));
        assertEquals(List.of("duplicate definition of 'Object': in kernel.stl and in app.stl",
                "undefined name 'Missing', imported by app.stl"), e.errors());
    }

    @Test void aSymbolDefinedTwiceInOneLibraryIsNamedOnce() {
        Module twice = library("t", new byte[4], List.of(method("_start", 0, 2), method("_start", 2, 2)), List.of());
        LinkException e = assertThrows(LinkException.class, () -> linkForLinux(List.of(new LibraryInput("t.stl", twice)), null));
        assertEquals(List.of("duplicate symbol '_start': defined twice in t.stl"), e.errors());
    }

    @Test void hostileSizesAndNamesAreRefused() {
        Module nul = library("n", new byte[4], List.of(method("_start", 0, 2), method("bad\0name", 2, 2)), List.of());
        LinkException e = assertThrows(LinkException.class, () -> linkForLinux(List.of(new LibraryInput("n.stl", nul)), null));
        assertEquals(List.of("n.stl: corrupt library: a symbol name is empty or contains NUL"), e.errors());

        DataImage huge = new DataImage("heap", new byte[8], Linker.MAX_PROGRAM_BYTES + 1, List.of(), List.of());
        e = assertThrows(LinkException.class, () -> linkForLinux(inputs(), huge));
        assertEquals(List.of("heap: zero fill of 1073741825 bytes is over the limit of 1073741824"), e.errors());
    }

    @Test void linkingIsDeterministic() {
        Program a = linkForLinux(inputs(), statusImage());
        Program b = linkForLinux(inputs(), statusImage());
        assertArrayEquals(ElfWriter.write(a), ElfWriter.write(b));
    }
}
