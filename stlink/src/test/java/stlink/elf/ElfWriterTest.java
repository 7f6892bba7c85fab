package stlink.elf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import stlink.image.Fixup;
import stlink.image.Place;
import stlink.image.Program;
import stlink.image.ProgramSymbol;
import stlink.image.Section;
import stlink.testing.Code;
import stlink.testing.Processes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static st.format.model.NativeCode.RelocationKind.ABS64;
import static st.format.model.NativeCode.RelocationKind.REL32;

public class ElfWriterTest {
    @TempDir Path dir;

    public static final String MESSAGE = "hello, world\n";

    /**
     * Writes the message through a pointer kept in .data (an ABS64 fixup into .rodata), stores 42
     * in .bss and exits with what it reads back: every section and both fixup kinds take part.
     */
    public static Program hello(String message) {
        Code c = new Code();
        c.hex("b8 01000000");            // mov eax, 1 (write)
        c.hex("bf 01000000");            // mov edi, 1 (stdout)
        c.hex("48 8b 35"); int msgPtr = c.here(); c.hex("00000000"); // mov rsi, [rip + msgptr]
        c.hex("ba").hex(String.format("%02x000000", message.length())); // mov edx, len
        c.hex("0f 05");                  // syscall
        c.hex("c7 05"); int store = c.here(); c.hex("00000000 2a000000"); // mov dword [rip + status], 42
        c.hex("8b 3d"); int load = c.here(); c.hex("00000000");            // mov edi, [rip + status]
        int exitAt = c.here();
        c.hex("b8 3c000000");            // mov eax, 60 (exit)
        c.hex("0f 05");                  // syscall
        byte[] text = c.toBytes();
        return new Program(text, message.getBytes(StandardCharsets.US_ASCII), new byte[8], 16,
                List.of(new ProgramSymbol("_start", Section.TEXT, 0, exitAt, ProgramSymbol.Type.FUNCTION, false),
                        new ProgramSymbol("Hello>>exit", Section.TEXT, exitAt, text.length - exitAt,
                                ProgramSymbol.Type.FUNCTION, true),
                        new ProgramSymbol("message", Section.RODATA, 0, message.length(), ProgramSymbol.Type.OBJECT, false),
                        new ProgramSymbol("messagePointer", Section.DATA, 0, 8, ProgramSymbol.Type.OBJECT, false),
                        new ProgramSymbol("status", Section.BSS, 0, 4, ProgramSymbol.Type.OBJECT, false)),
                List.of(new Fixup(Section.TEXT, msgPtr, REL32, new Place.InSection(Section.DATA, 0), 0),
                        new Fixup(Section.TEXT, store, REL32, new Place.InSection(Section.BSS, 0), -4),
                        new Fixup(Section.TEXT, load, REL32, new Place.InSection(Section.BSS, 0), 0),
                        new Fixup(Section.DATA, 0, ABS64, new Place.InSection(Section.RODATA, 0), 0)),
                List.of(), new Place.InSection(Section.TEXT, 0));
    }

    Path writeExecutable(byte[] elf) throws Exception {
        Path exe = dir.resolve("hello");
        Files.write(exe, elf);
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        return exe;
    }

    @Test void helloRunsAndPrints() throws Exception {
        assumeTrue(Processes.isLinuxX64(), "runs x86-64 Linux executables");
        Path exe = writeExecutable(ElfWriter.write(hello(MESSAGE)));
        Processes.Result r = Processes.run(List.of(exe.toString()));
        assertEquals(MESSAGE, r.stdout());
        assertEquals(42, r.exitCode());
    }

    @Test void readelfAcceptsItWithoutWarnings() throws Exception {
        assumeTrue(Processes.onPath("readelf"), "needs binutils");
        Path exe = writeExecutable(ElfWriter.write(hello(MESSAGE)));
        Processes.Result r = Processes.run(List.of("readelf", "-a", "-W", exe.toString()));
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("", r.stderr());
        assertFalse(r.stdout().toLowerCase().contains("warning"), r.stdout());
        assertTrue(r.stdout().contains("EXEC (Executable file)"), r.stdout());
        assertTrue(r.stdout().contains("Build ID:"), r.stdout());
        assertTrue(r.stdout().matches("(?s).*FUNC +LOCAL +DEFAULT +3 Hello>>exit.*"), r.stdout());
        assertTrue(r.stdout().matches("(?s).*FUNC +GLOBAL +DEFAULT +3 _start.*"), r.stdout());
        assertTrue(r.stdout().matches("(?s).*OBJECT +GLOBAL +DEFAULT +5 status.*"), r.stdout());
        assertTrue(r.stdout().contains("GNU_STACK"), r.stdout());
        assertFalse(r.stdout().contains("Requesting program interpreter"), r.stdout());
    }

    @Test void objdumpDisassemblesWithSymbolNames() throws Exception {
        assumeTrue(Processes.onPath("objdump"), "needs binutils");
        Path exe = writeExecutable(ElfWriter.write(hello(MESSAGE)));
        Processes.Result r = Processes.run(List.of("objdump", "-d", exe.toString()));
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("", r.stderr());
        assertTrue(r.stdout().contains("<_start>:"), r.stdout());
        assertTrue(r.stdout().contains("<Hello>>exit>:"), r.stdout());
        assertTrue(r.stdout().contains("syscall"), r.stdout());
    }

    @Test void noSegmentIsBothWritableAndExecutableAndAllArePageAligned() {
        byte[] elf = ElfWriter.write(hello(MESSAGE));
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        int phoff = (int) b.getLong(32), phnum = b.getShort(56);
        int loads = 0;
        boolean stack = false;
        for (int i = 0; i < phnum; i++) {
            int at = phoff + i * 56;
            int type = b.getInt(at), flags = b.getInt(at + 4);
            assertNotEquals(3, flags & 3, "segment " + i + " is writable and executable");
            if (type == ElfWriter.PT_LOAD) {
                loads++;
                assertEquals(0, b.getLong(at + 8) % ElfWriter.PAGE, "file offset of segment " + i);
                assertEquals(0, b.getLong(at + 16) % ElfWriter.PAGE, "address of segment " + i);
                assertTrue(b.getLong(at + 40) >= b.getLong(at + 32), "memsz >= filesz");
            }
            if (type == ElfWriter.PT_GNU_STACK) {
                stack = true;
                assertEquals(0, flags & ElfWriter.PF_X, "the stack is not executable");
            }
        }
        assertEquals(3, loads);
        assertTrue(stack);
        // The writable segment reserves the .bss beyond its file contents.
        int rw = phoff + 2 * 56;
        assertEquals(8, b.getLong(rw + 32));
        assertEquals(16 + 16, b.getLong(rw + 40));
    }

    @Test void outputIsDeterministicAndTheBuildIdFollowsTheContent() {
        byte[] a = ElfWriter.write(hello(MESSAGE));
        byte[] b = ElfWriter.write(hello(MESSAGE));
        assertArrayEquals(a, b);
        byte[] c = ElfWriter.write(hello("goodbye, all\n"));
        assertFalse(Arrays.equals(buildId(a), buildId(c)));
        assertFalse(Arrays.equals(new byte[20], buildId(a)));
    }

    private static byte[] buildId(byte[] elf) {
        ElfWriter.Layout layout = ElfWriter.layout(hello(MESSAGE));
        int at = (int) layout.noteOffset() + 16;
        return Arrays.copyOfRange(elf, at, at + 20);
    }

    @Test void withoutDataOrBssThereIsNoWritableSegment() throws Exception {
        Code c = new Code().hex("b8 3c000000 bf 07000000 0f 05"); // exit(7)
        Program p = new Program(c.toBytes(), new byte[0], new byte[0], 0, List.of(), List.of(), List.of(),
                new Place.InSection(Section.TEXT, 0));
        byte[] elf = ElfWriter.write(p);
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(4, b.getShort(56));
        Path exe = writeExecutable(elf);
        if (Processes.isLinuxX64()) assertEquals(7, Processes.run(List.of(exe.toString())).exitCode());
        if (Processes.onPath("objdump")) assertEquals("", Processes.run(List.of("objdump", "-x", exe.toString())).stderr());
    }

    @Test void extraSectionsAreListed() throws Exception {
        assumeTrue(Processes.onPath("readelf"), "needs binutils");
        byte[] elf = ElfWriter.write(hello(MESSAGE),
                List.of(new ElfWriter.ExtraSection(".comment", ElfWriter.SHT_PROGBITS, "stlink\0".getBytes(), 1)));
        Processes.Result r = Processes.run(List.of("readelf", "-S", "-W", writeExecutable(elf).toString()));
        assertEquals("", r.stderr());
        assertTrue(r.stdout().contains(".comment"), r.stdout());
    }
}
