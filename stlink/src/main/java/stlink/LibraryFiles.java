package stlink;

import st.cli.Tool;
import st.format.io.FormatException;
import st.format.io.ModuleReader;
import stlink.link.LibraryInput;

import java.io.IOException;
import java.nio.file.Path;

/** Reads library files for the linker, turning every problem into a one-line error naming the file. */
final class LibraryFiles {
    private LibraryFiles() {}

    static LibraryInput read(Path file) {
        try {
            return new LibraryInput(file.toString(), ModuleReader.read(ModuleReader.readAll(file)).module());
        } catch (IOException e) {
            throw new Tool.Failure("error: " + Tool.describe(e));
        } catch (FormatException e) {
            throw new Tool.Failure("error: " + file + ": " + e.getMessage());
        }
    }
}
