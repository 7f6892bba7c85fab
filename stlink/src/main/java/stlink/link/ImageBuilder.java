package stlink.link;

import st.format.model.Module;

import java.util.List;

/**
 * The seam through which the runtime's image builder plugs into the linker: given the libraries
 * of a link (kernel first), it lays out the initial Smalltalk heap as a {@link DataImage} whose
 * relocations name code symbols such as {@code Object>>printString}. The CLI finds an
 * implementation with {@link java.util.ServiceLoader}; with none, it links code only.
 */
public interface ImageBuilder {
    DataImage build(List<LibraryInput> libraries, Module.Target target);
}
