package stlink;

import st.format.io.LinkedLibraries;
import st.format.io.ModuleWriter;
import stlink.elf.ElfWriter;
import stlink.image.AddressMap;
import stlink.image.Section;
import stlink.link.LibraryInput;
import stlink.link.Linker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The libraries an executable was linked from, embedded in a section that is never loaded, so that
 * stdump can show an executable's classes, methods and code as it does a library's, and diff it
 * against another executable or a library (docs/FORMAT.md, "Executables").
 */
final class EmbeddedLibraries {
    /** SHT_PROGBITS: contents that mean something to a tool, not to the loader. */
    private static final int SHT_PROGBITS = 1;

    private EmbeddedLibraries() {}

    static LinkedLibraries.Contents contents(List<LibraryInput> inputs, List<Linker.Placement> placements, AddressMap addresses) {
        List<LinkedLibraries.Library> libraries = new ArrayList<>();
        long heapAddress = 0, heapBytes = 0, zeroFill = 0;
        Iterator<LibraryInput> libs = inputs.iterator();
        for (Linker.Placement p : placements) {
            switch (p.section()) {
                case TEXT -> {
                    LibraryInput lib = next(libs, p.origin());
                    libraries.add(new LinkedLibraries.Library(fileName(lib.origin()), addresses.addressOf(Section.TEXT) + p.offset(),
                            p.size(), ModuleWriter.write(lib.module())));
                }
                case DATA -> {
                    heapAddress = addresses.addressOf(Section.DATA) + p.offset();
                    heapBytes = p.size();
                }
                case BSS -> zeroFill = p.size();
                case RODATA -> { }
            }
        }
        return new LinkedLibraries.Contents(libraries, heapAddress, heapBytes, zeroFill);
    }

    static ElfWriter.ExtraSection elfSection(LinkedLibraries.Contents contents) {
        return new ElfWriter.ExtraSection(LinkedLibraries.SECTION_NAME, SHT_PROGBITS, LinkedLibraries.write(contents), 8);
    }

    /** The library placed next: placements follow the inputs' order, skipping none with code. */
    private static LibraryInput next(Iterator<LibraryInput> libs, String origin) {
        while (libs.hasNext()) {
            LibraryInput lib = libs.next();
            if (lib.origin().equals(origin)) return lib;
        }
        throw new IllegalStateException("no input for the placement of " + origin);
    }

    /** Only the file name: an executable does not depend on where its libraries were read from. */
    private static String fileName(String origin) {
        Path name = Path.of(origin).getFileName();
        return name == null ? origin : name.toString();
    }
}
