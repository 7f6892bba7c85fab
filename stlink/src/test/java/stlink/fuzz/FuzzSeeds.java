package stlink.fuzz;

import st.format.io.ModuleWriter;
import st.format.model.Module;
import stlink.elf.ElfWriter;
import stlink.pe.PeWriter;
import stlink.testing.Code;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static stlink.testing.Libraries.*;

/**
 * Writes the generated part of the fuzz seed corpora: a self-contained library that links on its
 * own (no kernel), and small ELF and PE executables for stdump. Run it from the repository root
 * after a change to the format or the writers:
 * {@code java -cp "stlink/target/test-classes:stlink/target/classes:build/lib/*" stlink.fuzz.FuzzSeeds}.
 * The seeds compiled from Smalltalk (hello, tiny) are made with the tools; see docs/FUZZING.md.
 */
public final class FuzzSeeds {
    private FuzzSeeds() {}

    static final String MESSAGE = "fuzz seed\n";

    /**
     * _start calls Seed>>greet, which writes a message kept after its code; then it exits with a
     * status read through a pointer: both relocation kinds, a local data symbol, an export.
     */
    public static Module selfContainedLibrary() {
        Code c = new Code();
        c.hex("e8 00000000");                   // call Seed>>greet
        c.hex("48 8b 05 00000000");             // mov rax, [rip + statusPointer]
        c.hex("48 8b 38");                      // mov rdi, [rax]
        c.hex("b8 3c000000 0f 05");             // exit
        int greetAt = c.here();
        c.hex("b8 01000000 bf 01000000");       // write(1, ...
        c.hex("48 8d 35"); int lea = c.here(); c.hex("00000000"); // lea rsi, [rip + .message]
        c.hex("ba").hex(String.format("%02x000000", MESSAGE.length()));
        c.hex("0f 05 c3");                      // syscall; ret
        int messageAt = c.here();
        for (byte b : MESSAGE.getBytes(StandardCharsets.US_ASCII)) c.hex(String.format("%02x", b));
        int statusAt = c.here();
        c.hex("0700000000000000");              // the status, 7
        int pointerAt = c.here();
        c.hex("0000000000000000");              // statusPointer: ABS64 to status
        byte[] text = c.toBytes();
        return library("seed", Module.Target.ANY, text,
                List.of(method("_start", 0, greetAt), method("Seed>>greet", greetAt, messageAt - greetAt),
                        data(".message", messageAt, MESSAGE.length()), data("status", statusAt, 8),
                        data("statusPointer", pointerAt, 8)),
                List.of(rel32(1, "Seed>>greet", 0), rel32(8, "statusPointer", 0), rel32(lea, ".message", 0),
                        abs64(pointerAt, "status", 0)),
                List.of("Seed>>greet"), List.of());
    }

    public static void main(String[] args) throws IOException {
        Path stlinkSeeds = Path.of("stlink/src/test/resources/stlink/fuzz/LinkerFuzzTestInputs/linkCorruptLibrary");
        Path stdumpSeeds = Path.of("stdump/src/test/resources/stdump/StdumpFuzzTestInputs/dumpAnything");
        Files.createDirectories(stlinkSeeds);
        Files.createDirectories(stdumpSeeds);
        byte[] library = ModuleWriter.write(selfContainedLibrary());
        Files.write(stlinkSeeds.resolve("self-contained-library"), prefixed((byte) 0, library));
        Files.write(stlinkSeeds.resolve("self-contained-library-pe-map"), prefixed((byte) 0x0B, library));
        Files.write(stdumpSeeds.resolve("self-contained-library"), prefixed((byte) 0x7F, library));
        Files.write(stdumpSeeds.resolve("elf-executable"), prefixed((byte) 0, ElfWriter.write(stlink.elf.ElfWriterTest.hello(stlink.elf.ElfWriterTest.MESSAGE))));
        Files.write(stdumpSeeds.resolve("pe-executable"), prefixed((byte) 0, PeWriter.write(stlink.pe.PeWriterTest.hello())));
    }

    /** Every fuzz input starts with one byte of options (which views, which target), then the file. */
    static byte[] prefixed(byte options, byte[] file) {
        byte[] out = new byte[file.length + 1];
        out[0] = options;
        System.arraycopy(file, 0, out, 1, file.length);
        return out;
    }
}
