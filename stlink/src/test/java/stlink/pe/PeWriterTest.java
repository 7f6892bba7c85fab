package stlink.pe;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import stlink.image.Fixup;
import stlink.image.Import;
import stlink.image.Place;
import stlink.image.Program;
import stlink.image.ProgramSymbol;
import stlink.image.Section;
import stlink.testing.Code;
import stlink.testing.Processes;
import stlink.testing.Wine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static st.format.model.NativeCode.RelocationKind.ABS64;
import static st.format.model.NativeCode.RelocationKind.REL32;

public class PeWriterTest {
    @TempDir Path dir;

    static final String MESSAGE = "hello, windows\n";
    static final Import GET_STD_HANDLE = new Import("kernel32.dll", "GetStdHandle");
    static final Import WRITE_FILE = new Import("kernel32.dll", "WriteFile");
    static final Import EXIT_PROCESS = new Import("kernel32.dll", "ExitProcess");

    /**
     * A Win64 hello world calling kernel32 through the IAT: it writes the message through a pointer
     * in .data (an ABS64 fixup, so a .reloc entry), receives the byte count in .bss and exits with it.
     */
    public static Program hello() {
        Code c = new Code();
        c.hex("48 83 ec 28");                    // sub rsp, 40: shadow space, and rsp 16-aligned at calls
        c.hex("b9 f5ffffff");                    // mov ecx, STD_OUTPUT_HANDLE (-11)
        c.hex("ff 15"); int getStdHandle = c.here(); c.hex("00000000"); // call [rip + GetStdHandle]
        c.hex("48 89 c1");                       // mov rcx, rax
        c.hex("48 8b 15"); int messagePointer = c.here(); c.hex("00000000"); // mov rdx, [rip + messagePointer]
        c.hex("41 b8").hex(String.format("%02x000000", MESSAGE.length()));  // mov r8d, length
        c.hex("4c 8d 0d"); int written = c.here(); c.hex("00000000");      // lea r9, [rip + written]
        c.hex("48 c7 44 24 20 00000000");        // mov qword [rsp + 32], 0: no OVERLAPPED
        c.hex("ff 15"); int writeFile = c.here(); c.hex("00000000");       // call [rip + WriteFile]
        c.hex("8b 0d"); int status = c.here(); c.hex("00000000");          // mov ecx, [rip + written]
        c.hex("ff 15"); int exitProcess = c.here(); c.hex("00000000");     // call [rip + ExitProcess]
        c.hex("cc");
        byte[] text = c.toBytes();
        return new Program(text, MESSAGE.getBytes(StandardCharsets.US_ASCII), new byte[8], 8,
                List.of(new ProgramSymbol("_start", Section.TEXT, 0, text.length, ProgramSymbol.Type.FUNCTION, false),
                        new ProgramSymbol("Hello class>>message", Section.RODATA, 0, MESSAGE.length(),
                                ProgramSymbol.Type.OBJECT, false),
                        new ProgramSymbol("ptr", Section.DATA, 0, 8, ProgramSymbol.Type.OBJECT, true),
                        new ProgramSymbol("written", Section.BSS, 0, 4, ProgramSymbol.Type.OBJECT, false)),
                List.of(new Fixup(Section.TEXT, getStdHandle, REL32, new Place.ImportSlot(GET_STD_HANDLE), 0),
                        new Fixup(Section.TEXT, messagePointer, REL32, new Place.InSection(Section.DATA, 0), 0),
                        new Fixup(Section.TEXT, written, REL32, new Place.InSection(Section.BSS, 0), 0),
                        new Fixup(Section.TEXT, writeFile, REL32, new Place.ImportSlot(WRITE_FILE), 0),
                        new Fixup(Section.TEXT, status, REL32, new Place.InSection(Section.BSS, 0), 0),
                        new Fixup(Section.TEXT, exitProcess, REL32, new Place.ImportSlot(EXIT_PROCESS), 0),
                        new Fixup(Section.DATA, 0, ABS64, new Place.InSection(Section.RODATA, 0), 0)),
                List.of(GET_STD_HANDLE, WRITE_FILE, EXIT_PROCESS), new Place.InSection(Section.TEXT, 0));
    }

    @AfterAll static void stopWine() throws Exception { Wine.shutdown(); }

    @Test void helloRunsUnderWine() throws Exception {
        assumeTrue(Wine.available(), "needs wine");
        Path exe = dir.resolve("hello.exe");
        Files.write(exe, PeWriter.write(hello()));
        Processes.Result r = Wine.run(exe);
        assertEquals(MESSAGE, r.stdout());
        assertEquals(MESSAGE.length(), r.exitCode(), r.stderr());
    }

    @Test void mingwObjdumpAcceptsItWithoutWarnings() throws Exception {
        assumeTrue(Processes.onPath("x86_64-w64-mingw32-objdump"), "needs binutils-mingw-w64-x86-64");
        Path exe = dir.resolve("hello.exe");
        Files.write(exe, PeWriter.write(hello()));
        Processes.Result r = Processes.run(List.of("x86_64-w64-mingw32-objdump", "-x", "-d", exe.toString()));
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("", r.stderr());
        String out = r.stdout();
        assertTrue(out.contains("file format pei-x86-64"), out);
        assertTrue(out.contains("DLL Name: kernel32.dll"), out);
        assertTrue(out.contains("WriteFile"), out);
        assertTrue(out.contains("<_start>:"), out);
        assertTrue(out.contains("Hello class>>message"), out);
        assertTrue(out.contains("NX_COMPAT"), out);
        assertTrue(out.contains("HIGH_ENTROPY_VA"), out);
        assertTrue(out.contains("reloc    0 offset    0 [2000] DIR64") || out.contains("DIR64"), out);
        assertTrue(out.matches("(?s).*Subsystem\\s+00000003.*"), out);
    }

    @Test void checksumMatchesWhatGnuLdComputes() throws Exception {
        assumeTrue(Processes.onPath("x86_64-w64-mingw32-as") && Processes.onPath("x86_64-w64-mingw32-ld"),
                "needs binutils-mingw-w64-x86-64 to make a known answer");
        Path source = dir.resolve("known.s"), object = dir.resolve("known.o"), exe = dir.resolve("known.exe");
        Files.writeString(source, ".globl _start\n_start:\n ret\n.data\n.quad _start\n.ascii \"odd\"\n");
        assertEquals(0, Processes.run(List.of("x86_64-w64-mingw32-as", source.toString(), "-o", object.toString())).exitCode());
        assertEquals(0, Processes.run(List.of("x86_64-w64-mingw32-ld", object.toString(), "-o", exe.toString(),
                "-e", "_start")).exitCode());
        byte[] bytes = Files.readAllBytes(exe);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int checksumAt = b.getInt(0x3c) + 4 + 20 + 64;
        long stored = Integer.toUnsignedLong(b.getInt(checksumAt));
        assumeTrue(stored != 0, "this ld writes PE checksums");
        assertEquals(stored, PeWriter.checksum(bytes, checksumAt));
    }

    @Test void headersDescribeTheSectionsAndTheWriterIsDeterministic() {
        byte[] a = PeWriter.write(hello());
        assertArrayEquals(a, PeWriter.write(hello()));
        ByteBuffer b = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(PeWriter.PE_OFFSET, b.getInt(0x3c));
        int coff = PeWriter.PE_OFFSET + 4;
        assertEquals(0x8664, b.getShort(coff) & 0xFFFF);
        int sections = b.getShort(coff + 2);
        assertEquals(5, sections); // .text .rdata .data .idata .reloc
        assertEquals(0, b.getInt(coff + 4), "timestamp");
        int opt = coff + 20;
        assertEquals(0x20b, b.getShort(opt));
        assertEquals(PeWriter.checksum(a, PeWriter.CHECKSUM_OFFSET), Integer.toUnsignedLong(b.getInt(PeWriter.CHECKSUM_OFFSET)));
        long sizeOfImage = Integer.toUnsignedLong(b.getInt(opt + 56));
        int table = opt + PeWriter.OPTIONAL_HEADER_SIZE;
        long end = 0;
        for (int i = 0; i < sections; i++) {
            int at = table + i * 40;
            int characteristics = b.getInt(at + 36);
            boolean writable = (characteristics & PeWriter.SCN_MEM_WRITE) != 0;
            boolean executable = (characteristics & PeWriter.SCN_MEM_EXECUTE) != 0;
            assertFalse(writable && executable, "section " + i + " is writable and executable");
            long rva = Integer.toUnsignedLong(b.getInt(at + 12));
            assertEquals(0, rva % PeWriter.SECTION_ALIGNMENT);
            assertEquals(0, b.getInt(at + 20) % PeWriter.FILE_ALIGNMENT);
            end = Math.max(end, rva + Integer.toUnsignedLong(b.getInt(at + 8)));
        }
        assertEquals((end + 0xFFF) & ~0xFFFL, sizeOfImage);
    }

    @Test void withoutAbsoluteAddressesTheImageHasAFixedBase() throws Exception {
        Code c = new Code().hex("48 83 ec 28 b9 05000000 ff 15 00000000 cc"); // ExitProcess(5)
        Program p = new Program(c.toBytes(), new byte[0], new byte[0], 0, List.of(),
                List.of(new Fixup(Section.TEXT, 11, REL32, new Place.ImportSlot(EXIT_PROCESS), 0)),
                List.of(EXIT_PROCESS), new Place.InSection(Section.TEXT, 0));
        byte[] pe = PeWriter.write(p);
        ByteBuffer b = ByteBuffer.wrap(pe).order(ByteOrder.LITTLE_ENDIAN);
        int coff = PeWriter.PE_OFFSET + 4;
        assertEquals(2, b.getShort(coff + 2)); // .text .idata
        assertEquals(PeWriter.FILE_RELOCS_STRIPPED, b.getShort(coff + 18) & PeWriter.FILE_RELOCS_STRIPPED);
        assertEquals(0, b.getShort(coff + 20 + 70) & PeWriter.DLL_DYNAMIC_BASE);
        if (Wine.available()) {
            Path exe = dir.resolve("exit.exe");
            Files.write(exe, pe);
            assertEquals(5, Wine.run(exe).exitCode());
        }
    }
}
