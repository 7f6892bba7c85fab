package st.format.io;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Committed files of the format. If a change to the writer alters them, the format changed: bump
 * the version as docs/FORMAT.md says, then regenerate with {@code -Dgolden.update=true}.
 */
class GoldenFileTest {

    @Test void sampleModule() throws Exception { check("sample.module", ModuleWriter.write(Samples.module())); }

    @Test void sampleLibrary() throws Exception { check("sample.library", ModuleWriter.write(Samples.library())); }

    private void check(String name, byte[] written) throws Exception {
        if (Boolean.getBoolean("golden.update")) {
            Files.write(Path.of("src/test/resources/golden").resolve(name), written);
        }
        byte[] golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/" + name)) {
            assertNotNull(in, "missing golden file " + name);
            golden = in.readAllBytes();
        }
        ModuleFile read = ModuleReader.read(golden);
        assertArrayEquals(golden, ModuleWriter.write(read), "golden file re-writes identically");
        assertArrayEquals(golden, written, "the writer still produces the golden bytes");
    }
}
