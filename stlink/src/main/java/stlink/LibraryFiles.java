package stlink;

import st.cli.Tool;
import st.format.model.Module;
import stlink.link.LibraryInput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads library files for the linker, turning every problem into a one-line error. */
final class LibraryFiles {
    private LibraryFiles() {}

    static LibraryInput read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new Tool.Failure("error: " + Tool.describe(e));
        }
        return new LibraryInput(file.toString(), decode(file, bytes));
    }

    // SEAM (format reader): decodes with st.format.io once its reader is merged.
    private static Module decode(Path file, byte[] bytes) {
        throw new Tool.Failure("error: " + file + ": cannot read library files yet: the st.format.io reader is not merged");
    }
}
