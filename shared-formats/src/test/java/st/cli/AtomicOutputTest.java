package st.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class AtomicOutputTest {
    @TempDir Path dir;

    @Test void replacesTheFileAndLeavesNoTempFiles() throws Exception {
        Path out = dir.resolve("a.stm");
        Files.writeString(out, "old");
        AtomicOutput.write(out.toString(), "new".getBytes());
        assertEquals("new", Files.readString(out));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test void newFilesAreWorldReadableAndReplacedFilesKeepTheirMode() throws Exception {
        Path fresh = dir.resolve("b.stm");
        AtomicOutput.write(fresh.toString(), new byte[] {1});
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
        Path exe = dir.resolve("prog");
        Files.write(exe, new byte[] {0});
        Files.setPosixFilePermissions(exe, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        AtomicOutput.write(exe.toString(), new byte[] {2});
        assertEquals("rwxr-x---", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(exe)));
    }

    @Test void aFailedWriteLeavesTheOldFileIntact() throws Exception {
        Path sub = dir.resolve("missing-dir/a.stm");
        assertThrows(java.io.IOException.class, () -> AtomicOutput.write(sub.toString(), new byte[] {1}));
        assertFalse(Files.exists(sub));
    }
}
