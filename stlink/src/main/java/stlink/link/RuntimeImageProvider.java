package stlink.link;

import st.format.model.Module;
import stjit.image.HeapImage;
import stjit.image.ImageBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runtime's image builder as the linker's image provider (docs/RUNTIME.md section 11,
 * docs/LINKER.md): the heap image, whose native entries and send-cache targets point at code
 * (address + 1), followed in the zero fill by the globals block and the two halves of new space
 * that the kernel's {@code _start} sets up.
 */
public final class RuntimeImageProvider implements ImageProvider {
    @Override public DataImage build(List<LibraryInput> libraries, Module.Target target, String entryMethod) {
        List<Module> modules = new ArrayList<>();
        for (LibraryInput l : libraries) modules.add(l.module());
        HeapImage image;
        try {
            image = ImageBuilder.build(modules, entryMethod);
        } catch (ImageBuilder.ImageException e) {
            throw new LinkException(e.getMessage());
        }
        Map<Integer, String> codeRefs = new TreeMap<>(image.entryOffsets());
        codeRefs.putAll(image.stubRefs());
        Map<String, Integer> dataSymbols = new TreeMap<>(image.symbols());
        dataSymbols.remove(HeapImages.IMAGE_START); // the adapter defines it
        DataImage base = HeapImages.toDataImage("heap", image.bytes(), image.pointerOffsets(), codeRefs, dataSymbols);
        Map<String, Long> zero = image.zeroFillLayout(HeapImage.EXECUTABLE_NEW_SPACE);
        long rounded = (image.bytes().length + 15L) & -16L;
        List<DataImage.Symbol> symbols = new ArrayList<>(base.symbols());
        for (var e : zero.entrySet()) symbols.add(new DataImage.Symbol(e.getKey(), e.getValue(), 0));
        return new DataImage(base.name(), base.bytes(), zero.get("heap:zeroEnd") - rounded, symbols, base.relocations());
    }
}
