package st.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes an output file all at once: to a temp file beside it, then renamed over it. A failed run
 * leaves an existing file untouched, and {@code make -j} never sees half a file. {@code -} means
 * stdout.
 */
public final class AtomicOutput {
    private AtomicOutput() {}

    /**
     * Test hook: with this system property set to N, every write fails after N bytes went into
     * the temp file, as a full disk would make it (OutputIntegrityTest injects failures so).
     */
    public static final String FAIL_AFTER_BYTES = "st.output.failAfterBytes";

    public static void write(String path, byte[] bytes) throws IOException {
        if (path.equals("-")) {
            OutputStream out = System.out;
            out.write(bytes);
            out.flush();
            return;
        }
        Path target = Path.of(path).toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            String failAfter = System.getProperty(FAIL_AFTER_BYTES);
            if (failAfter != null) {
                int n = Math.min(bytes.length, Integer.parseInt(failAfter));
                Files.write(tmp, java.util.Arrays.copyOf(bytes, n));
                throw new java.nio.file.FileSystemException(target.toString(), null,
                        "No space left on device (injected after " + n + " bytes)");
            }
            Files.write(tmp, bytes);
            copyPermissions(target, tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * createTempFile makes the file 0600; an output gets the permissions of the file it replaces,
     * or the usual 0644 for a new one.
     */
    private static void copyPermissions(Path target, Path tmp) {
        try {
            var perms = Files.exists(target) ? Files.getPosixFilePermissions(target)
                    : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
            Files.setPosixFilePermissions(tmp, perms);
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: the default is all we can do
        }
    }
}
