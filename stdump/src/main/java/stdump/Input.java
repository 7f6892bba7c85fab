package stdump;

import st.cli.Tool;
import st.format.io.FileLayout;
import st.format.io.FormatException;
import st.format.io.ModuleFile;
import st.format.io.ModuleReader;

import java.io.IOException;
import java.nio.file.Path;

/** A file given on the command line, read whole and recognised by its magic number. */
record Input(String name, byte[] bytes, Kind kind) {

    enum Kind { FORMAT, ELF, PE, UNKNOWN }

    /** Reads {@code path} ({@code -} is stdin); an unreadable file fails with {@code failCode}. */
    static Input load(String path, int failCode) {
        try {
            byte[] bytes = path.equals("-") ? ModuleReader.readAll(System.in) : ModuleReader.readAll(Path.of(path));
            return new Input(path.equals("-") ? "<stdin>" : path, bytes, kindOf(bytes));
        } catch (IOException e) {
            throw new Tool.Failure(failCode, Tool.describe(e));
        } catch (FormatException e) {
            throw new Tool.Failure(failCode, path + ": " + e.getMessage());
        }
    }

    static Kind kindOf(byte[] b) {
        if (ModuleReader.hasMagic(b)) return Kind.FORMAT;
        if (b.length >= 4 && b[0] == 0x7F && b[1] == 'E' && b[2] == 'L' && b[3] == 'F') return Kind.ELF;
        if (b.length >= 2 && b[0] == 'M' && b[1] == 'Z') return Kind.PE;
        return Kind.UNKNOWN;
    }

    /** The parsed module, or a failure naming the file and the problem. */
    ModuleFile module(int failCode) {
        requireFormat(failCode);
        try {
            return ModuleReader.read(bytes);
        } catch (FormatException e) {
            throw new Tool.Failure(failCode, name + ": " + e.getMessage());
        }
    }

    FileLayout layout(int failCode) {
        requireFormat(failCode);
        try {
            return ModuleReader.layout(bytes);
        } catch (FormatException e) {
            throw new Tool.Failure(failCode, name + ": " + e.getMessage());
        }
    }

    private void requireFormat(int failCode) {
        switch (kind) {
            case FORMAT -> { }
            case ELF -> throw new Tool.Failure(failCode, name + ": an ELF executable; only the summary is available for it");
            case PE -> throw new Tool.Failure(failCode, name + ": a PE executable; only the summary is available for it");
            case UNKNOWN -> throw new Tool.Failure(failCode, name + ": not a module, library, image or executable (unknown magic number)");
        }
    }
}
