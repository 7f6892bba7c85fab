package stlink.link;

import st.format.model.Module;
import stjit.image.HeapImage;
import stjit.image.ImageBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * The runtime's image builder behind the linker's {@link ImageProvider} seam: lays out the
 * initial heap from the libraries (kernel first) with {@code stjit.image.ImageBuilder}, the same
 * builder strun uses, and hands it to the linker with its zero fill (globals block, new space).
 * Registered in {@code META-INF/services/stlink.link.ImageProvider}.
 */
public final class RuntimeImageProvider implements ImageProvider {
    static final String IMAGE_NAME = "initial heap";

    @Override public DataImage build(List<LibraryInput> libraries, Module.Target target, String entryMethod) {
        List<Module> modules = new ArrayList<>();
        for (LibraryInput lib : libraries) modules.add(lib.module());
        HeapImage image;
        try {
            image = ImageBuilder.build(modules, entryMethod);
        } catch (ImageBuilder.ImageException e) {
            throw new LinkException("cannot lay out the initial heap: " + e.getMessage());
        }
        return HeapImages.toDataImage(IMAGE_NAME, image, image.zeroFillLayout(HeapImage.EXECUTABLE_NEW_SPACE));
    }
}
