package stlink.link;

import org.junit.jupiter.api.Test;
import st.format.model.Module;
import stlink.elf.ElfWriter;
import stlink.image.Program;
import stlink.image.Relocator;
import stlink.image.Section;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static stlink.testing.Libraries.*;

class HeapImagesTest {
    @Test void imagePointersAndNativeEntriesAreRelocated() {
        // Word 0 points at the object at 16 (an image offset); word 8 is a nativeEntry slot.
        byte[] bytes = new byte[32];
        bytes[0] = 16;
        Map<String, Integer> symbols = new LinkedHashMap<>();
        symbols.put("heap:true", 16);
        symbols.put("heap:nil", 0);
        DataImage image = HeapImages.toDataImage("heap", bytes, new int[] {0}, Map.of(8, "Foo>>bar"), symbols,
                Map.of("heap:globals", 32L, "heap:zeroEnd", 4096L));
        assertEquals(List.of("heap:nil", HeapImages.IMAGE_START, "heap:true", "heap:globals", "heap:zeroEnd"),
                image.symbols().stream().map(DataImage.Symbol::name).toList());
        assertEquals(4096 - 32, image.zeroFill());

        Module lib = library("foo", new byte[16], List.of(method("_start", 0, 4), method("Foo>>bar", 4, 12)), List.of());
        Program p = Linker.link(List.of(new LibraryInput("foo.stl", lib)), image, Module.Target.LINUX_X64, "_start").program();
        ElfWriter.Layout layout = ElfWriter.layout(p);
        ByteBuffer data = ByteBuffer.wrap(Relocator.apply(p, layout).get(Section.DATA)).order(ByteOrder.LITTLE_ENDIAN);
        long base = layout.addressOf(Section.DATA);
        assertEquals(base + 16, data.getLong(0));
        assertEquals(layout.addressOf(Section.TEXT) + 4 + 1, data.getLong(8), "tagged code address");
        assertEquals(base + 32, layout.addressOf(Section.BSS), "the zero fill follows the image at once");
        assertEquals(4096 - 32, p.bssSize());
    }

    @Test void theImageMayNameItsOwnStart() {
        DataImage image = HeapImages.toDataImage("heap", new byte[16], new int[0], Map.of(), Map.of("heap:start", 0), Map.of());
        assertEquals(1, image.symbols().size());
        LinkException e = assertThrows(LinkException.class, () -> HeapImages.toDataImage("heap", new byte[16], new int[0],
                Map.of(), Map.of("heap:start", 8), Map.of()));
        assertEquals("heap: symbol 'heap:start' is not at offset 0", e.getMessage());
        e = assertThrows(LinkException.class, () -> HeapImages.toDataImage("heap", new byte[20], new int[0],
                Map.of(), Map.of(), Map.of("heap:globals", 24L)));
        assertEquals("heap: zero-fill symbol 'heap:globals' lies inside the image", e.getMessage());
    }

    @Test void aPointerSlotOutsideTheImageIsRejected() {
        LinkException e = assertThrows(LinkException.class,
                () -> HeapImages.toDataImage("heap", new byte[8], new int[] {4}, Map.of(), Map.of(), Map.of()));
        assertEquals("heap: pointer slot at offset 4 lies outside the image", e.getMessage());
    }
}
