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
        if (entryMethod != null && !modules.isEmpty()) {
            modules.set(modules.size() - 1, withStartup(modules.getLast(), entryMethod));
        }
        HeapImage image;
        try {
            image = ImageBuilder.build(modules);
        } catch (ImageBuilder.ImageException e) {
            throw new LinkException("cannot lay out the initial heap: " + e.getMessage());
        }
        return HeapImages.toDataImage(IMAGE_NAME, image, image.zeroFillLayout(HeapImage.EXECUTABLE_NEW_SPACE));
    }

    /** The entry method runs after the startup methods the libraries already have. */
    static Module withStartup(Module m, String entryMethod) {
        int arrows = entryMethod.indexOf(">>");
        String owner = entryMethod.substring(0, arrows), selector = entryMethod.substring(arrows + 2);
        boolean meta = owner.endsWith(" class");
        if (meta) owner = owner.substring(0, owner.length() - " class".length());
        List<Module.MethodRef> startup = new ArrayList<>(m.startup());
        startup.add(new Module.MethodRef(owner, meta, selector));
        return new Module(m.kind(), m.target(), m.flags(), m.name(), m.sourceFiles(), m.classes(), m.methods(), startup,
                m.imports(), m.exports(), m.nativeCode());
    }
}
