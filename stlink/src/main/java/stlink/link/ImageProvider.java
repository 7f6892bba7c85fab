package stlink.link;

import st.format.model.Module;

import java.util.List;

/**
 * The seam through which the runtime's image builder ({@code stjit.image.ImageBuilder}) plugs
 * into the linker: given the libraries of a link (kernel first), it lays out the initial
 * Smalltalk heap as a {@link DataImage} whose relocations name code symbols such as
 * {@code Object>>printString}. The CLI finds an implementation with
 * {@link java.util.ServiceLoader} (a {@code META-INF/services/stlink.link.ImageProvider} entry);
 * with none, it links code only.
 */
public interface ImageProvider {
    /**
     * @param entryMethod the program's entry method ({@code Class>>selector} or
     *                    {@code Class class>>selector}) from {@code stlink --entry}, or null to run
     *                    the libraries' startup lists
     */
    DataImage build(List<LibraryInput> libraries, Module.Target target, String entryMethod);
}
