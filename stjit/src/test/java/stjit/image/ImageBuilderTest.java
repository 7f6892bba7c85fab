package stjit.image;

import org.junit.jupiter.api.Test;
import st.format.model.ClassDef;
import st.format.model.Module;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ImageBuilderTest {

    private static HeapImage kernelImage() throws Exception { return ImageBuilder.build(List.of(TestKernel.runtime())); }

    @Test
    void wellKnownObjectsSitAtFixedOffsetsWithTheirClassIndexes() throws Exception {
        HeapImage image = kernelImage();
        assertEquals(ClassIndex.UNDEFINED_OBJECT, ObjectModel.classIndexOf(image.longAt(Layout.NIL_OFFSET)));
        assertEquals(ClassIndex.TRUE, ObjectModel.classIndexOf(image.longAt(Layout.TRUE_OFFSET)));
        assertEquals(ClassIndex.FALSE, ObjectModel.classIndexOf(image.longAt(Layout.FALSE_OFFSET)));
        assertEquals(Layout.ROOTS_OFFSET, image.symbol("heap:roots"));
        assertEquals(Layout.NIL_OFFSET, image.symbol("heap:nil"));
    }

    @Test
    void classTableHoldsEachClassAtItsIndexAndClassesAreInstancesOfTheirMetaclass() throws Exception {
        HeapImage image = kernelImage();
        long table = image.longAt(Layout.ROOTS_OFFSET + Layout.slotOffset(Layout.ROOTS_CLASS_TABLE));
        int object = image.symbol("class:Object");
        assertEquals(object, image.longAt((int) table + Layout.slotOffset(ClassIndex.OBJECT)));
        long objectIndexSlot = image.longAt(object + Layout.slotOffset(Layout.BEHAVIOR_INDEX));
        assertEquals(ObjectModel.smallInt(ClassIndex.OBJECT), objectIndexSlot);
        int metaIndex = ObjectModel.classIndexOf(image.longAt(object));
        assertEquals(image.symbol("metaclass:Object"), image.longAt((int) table + Layout.slotOffset(metaIndex)));
        assertEquals(ClassIndex.METACLASS, ObjectModel.classIndexOf(image.longAt(image.symbol("metaclass:Object"))));
    }

    @Test
    void symbolsAreUniqueAndHashedByTheirBytes() throws Exception {
        Module p = TestKernel.program("p", """
                Object subclass: #A instanceVariableNames: '' classVariableNames: '' package: 'T'!
                !A methodsFor: 't'!
                one ^#shared! two ^#shared! !
                """);
        HeapImage image = ImageBuilder.build(List.of(TestKernel.runtime(), p));
        int sym = image.symbol("sym:shared");
        var one = image.method("A>>one");
        var two = image.method("A>>two");
        assertNotNull(one);
        long[] refs = {0, 0};
        int i = 0;
        for (var info : List.of(one, two)) {
            for (var ref : info.literalRefs())
                if (ref instanceof HeapImage.LiteralRef.Object o && o.offset() == sym) refs[i] = o.offset();
            i++;
        }
        assertEquals(sym, refs[0]);
        assertEquals(refs[0], refs[1]);
        assertEquals(ClassIndex.SYMBOL, ObjectModel.classIndexOf(image.longAt(sym)));
        assertEquals(ObjectModel.bytesHash("shared".getBytes()), ObjectModel.hashOf(image.longAt(sym)));
    }

    @Test
    void theSameModulesGiveTheSameImage() throws Exception {
        HeapImage a = kernelImage(), b = kernelImage();
        assertArrayEquals(a.bytes(), b.bytes());
        assertArrayEquals(a.pointerOffsets(), b.pointerOffsets());
        assertEquals(a.symbols(), b.symbols());
    }

    @Test
    void everyRelocatedWordHoldsTheOffsetOfAnObjectHeader() throws Exception {
        HeapImage image = kernelImage();
        java.util.Set<Integer> headers = new java.util.HashSet<>(image.symbols().values());
        for (int off : image.pointerOffsets()) {
            long target = image.longAt(off);
            assertTrue(target >= 0 && target < image.bytes().length && target % 8 == 0, "pointer at " + off);
        }
        assertTrue(headers.contains(Layout.ROOTS_OFFSET));
    }

    @Test
    void aDuplicateClassIsAnErrorNamingBothModules() throws Exception {
        Module k = TestKernel.runtime();
        Module dup = new Module(Module.Kind.MODULE, Module.Target.ANY, 0, "extra", List.of(),
                List.of(new ClassDef("Object", null, ClassDef.Shape.FIXED, List.of(), List.of(), List.of(), null, null, 0, 1, 1)),
                List.of(), List.of(), List.of(), List.of(), null);
        var e = assertThrows(ImageBuilder.ImageException.class, () -> ImageBuilder.build(List.of(k, dup)));
        assertTrue(e.getMessage().contains("Object") && e.getMessage().contains("extra"), e.getMessage());
    }

    @Test
    void aRuntimeClassWithTheWrongInstanceVariablesIsRefused() throws Exception {
        Module k = TestKernel.runtime();
        List<ClassDef> classes = new ArrayList<>();
        for (ClassDef c : k.classes())
            classes.add(c.name().equals("Message")
                    ? new ClassDef(c.name(), c.superclass(), c.shape(), List.of("selector"), c.classVars(), c.classInstVars(),
                            c.category(), c.comment(), c.sourceFile(), c.line(), c.col())
                    : c);
        Module broken = new Module(k.kind(), k.target(), k.flags(), k.name(), k.sourceFiles(), classes, k.methods(),
                k.startup(), k.imports(), k.exports(), null);
        var e = assertThrows(ImageBuilder.ImageException.class, () -> ImageBuilder.build(List.of(broken)));
        assertTrue(e.getMessage().contains("Message"), e.getMessage());
    }
}
