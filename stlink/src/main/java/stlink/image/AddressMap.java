package stlink.image;

/** The addresses an executable writer gave to a program's sections and import slots. */
public interface AddressMap {
    long addressOf(Section section);

    /** The address of the import-address-table slot of {@code function}. */
    long importSlot(Import function);

    default long addressOf(Place place) {
        return switch (place) {
            case Place.InSection(Section s, long offset) -> addressOf(s) + offset;
            case Place.ImportSlot(Import f) -> importSlot(f);
        };
    }
}
