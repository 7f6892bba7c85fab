package stlink.link;

import st.format.model.Module;

import java.util.Objects;

/**
 * One library given to the linker.
 *
 * @param origin how errors name it: the file it was read from
 */
public record LibraryInput(String origin, Module module) {
    public LibraryInput {
        Objects.requireNonNull(origin);
        Objects.requireNonNull(module);
    }
}
