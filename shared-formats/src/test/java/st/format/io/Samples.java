package st.format.io;

import st.bytecode.BytecodeBuilder;
import st.bytecode.Opcode;
import st.bytecode.SpecialSelector;
import st.format.model.ClassDef;
import st.format.model.CodeDef;
import st.format.model.Literal;
import st.format.model.MethodDef;
import st.format.model.Module;
import st.format.model.NativeCode;

import java.math.BigInteger;
import java.util.List;

/** Small modules that use every feature of the format. */
final class Samples {
    private Samples() {}

    static CodeDef code(BytecodeBuilder b, int args, int temps, int flags, List<Literal> literals) {
        var map = b.sourceMap().stream().map(e -> new CodeDef.SourcePos(e[0], e[1], e[2])).toList();
        return new CodeDef(args, 0, temps, b.maxDepth(), flags, b.toBytes(), literals, map);
    }

    /** Every literal kind, once, some nested. */
    static List<Literal> everyLiteral() {
        return List.of(Literal.Constant.NIL, Literal.Constant.TRUE, Literal.Constant.FALSE, Literal.Int.of(0),
                Literal.Int.of(-1), Literal.Int.of(Long.MAX_VALUE), Literal.Int.of(Long.MIN_VALUE),
                new Literal.Int(BigInteger.ONE.shiftLeft(64)), new Literal.Int(BigInteger.ONE.shiftLeft(200).negate()),
                new Literal.Float(1.5), new Literal.Float(-0.0), new Literal.Float(Double.NaN),
                new Literal.Float(Double.longBitsToDouble(0x7ff8dead_beef0001L)), new Literal.Float(Double.NEGATIVE_INFINITY),
                new Literal.ScaledDecimal(BigInteger.valueOf(314), BigInteger.valueOf(100), 2),
                new Literal.Char('a'), new Literal.Char(0x1F600), new Literal.Str(""), new Literal.Str("héllo 'world'"),
                new Literal.Sym("at:put:"), new Literal.Bytes(new byte[] {0, 1, (byte) 255}), new Literal.Bytes(new byte[0]),
                new Literal.Array(List.of()),
                new Literal.Array(List.of(Literal.Int.of(1), new Literal.Array(List.of(new Literal.Sym("a"), Literal.Constant.NIL)),
                        new Literal.Str("x"))),
                new Literal.Binding(null, "Transcript"), new Literal.Binding("Point", "Origin"));
    }

    /** A module with two classes, methods with blocks (nested, one with a non-local return), pragmas and startup code. */
    static Module module() {
        // Point>>x: aNumber   x := aNumber
        var setter = new BytecodeBuilder();
        setter.at(10, 5);
        setter.emit(Opcode.PUSH_TEMP, 0);
        setter.emit(Opcode.POP_STORE_INST, 0);
        setter.emit(Opcode.RETURN_SELF);
        MethodDef setX = new MethodDef("Point", false, "x:", "accessing", 0, null, List.of(),
                code(setter, 1, 0, 0, List.of()), 0, 9, 1, "x: aNumber\n    x := aNumber");

        // inner block [:e | ^e]
        var inner = new BytecodeBuilder();
        inner.at(14, 30);
        inner.emit(Opcode.PUSH_TEMP, 0);
        inner.emit(Opcode.NONLOCAL_RETURN);
        CodeDef innerCode = new CodeDef(1, 0, 0, inner.maxDepth(), CodeDef.IS_BLOCK | CodeDef.HAS_NONLOCAL_RETURN,
                inner.toBytes(), List.of(), List.of(new CodeDef.SourcePos(0, 14, 30)));
        // outer block [:each | each > 3 ifTrue: inner]
        var outer = new BytecodeBuilder();
        outer.at(14, 12);
        outer.emit(Opcode.PUSH_TEMP, 0);
        outer.emit(Opcode.PUSH_INT8, 3);
        outer.emit(Opcode.SEND_SPECIAL, SpecialSelector.GT.ordinal());
        outer.emit(Opcode.PUSH_CLOSURE, 0, 0);
        outer.emit(Opcode.SEND, 1, 1);
        outer.emit(Opcode.BLOCK_RETURN);
        CodeDef outerCode = code(outer, 1, 0, CodeDef.IS_BLOCK | CodeDef.HAS_NONLOCAL_RETURN,
                List.of(new Literal.Block(innerCode), new Literal.Sym("ifTrue:")));
        // Point>>detect   #(1 5 9) do: [...]. ^everything
        var detect = new BytecodeBuilder();
        detect.at(14, 5);
        detect.emit(Opcode.PUSH_LITERAL, 0);
        detect.emit(Opcode.PUSH_CLOSURE, 1, 0);
        detect.emit(Opcode.SEND, 2, 1);
        detect.emit(Opcode.POP);
        detect.at(15, 5);
        detect.emit(Opcode.PUSH_LITERAL, 3);
        detect.emit(Opcode.RETURN_TOP);
        var everything = new Literal.Array(everyLiteral());
        CodeDef detectCode = code(detect, 0, 0, CodeDef.HAS_NONLOCAL_RETURN, List.of(
                new Literal.Array(List.of(Literal.Int.of(1), Literal.Int.of(5), Literal.Int.of(9))),
                new Literal.Block(outerCode), new Literal.Sym("do:"), everything));
        MethodDef detectM = new MethodDef("Point", false, "detect", "enumerating", 0, null,
                List.of(new MethodDef.Pragma("category:", List.of(new Literal.Str("enumerating"))),
                        new MethodDef.Pragma("pure", List.of())),
                detectCode, 0, 13, 1, "detect\n    #(1 5 9) do: [:each | each > 3 ifTrue: [:e | ^e]].\n    ^#(everything)");

        var prim = new BytecodeBuilder();
        prim.emit(Opcode.PUSH_SELF);
        prim.emit(Opcode.SEND, 0, 0);
        prim.emit(Opcode.RETURN_TOP);
        MethodDef basicNew = new MethodDef("Point", true, "basicNew", null, 70, "primBasicNew", List.of(),
                code(prim, 0, 0, 0, List.of(new Literal.Sym("primitiveFailed"))), 1, 3, 1, null);

        var start = new BytecodeBuilder();
        start.at(1, 1);
        start.emit(Opcode.PUSH_BINDING, 0);
        start.emit(Opcode.PUSH_LITERAL, 1);
        start.emit(Opcode.SEND, 2, 1);
        start.emit(Opcode.RETURN_SELF);
        MethodDef doIt = new MethodDef("UndefinedObject", false, "doIt1", null, 0, null, List.of(),
                code(start, 0, 0, 0, List.of(new Literal.Binding(null, "Transcript"), new Literal.Str("hello"),
                        new Literal.Sym("show:"))), -1, 0, 0, null);

        ClassDef point = new ClassDef("Point", "Object", ClassDef.Shape.FIXED, List.of("x", "y"), List.of("Origin"),
                List.of(), "Kernel-Numbers", "I am a point.", 0, 1, 1);
        ClassDef bytes = new ClassDef("Bits", null, ClassDef.Shape.BYTES, List.of(), List.of(), List.of("count"), null,
                null, -1, 0, 0);
        return new Module(Module.Kind.MODULE, Module.Target.ANY, 0, "sample", List.of("Point.st", "Bits.st"),
                List.of(point, bytes), List.of(setX, detectM, basicNew, doIt),
                List.of(new Module.MethodRef("UndefinedObject", false, "doIt1")),
                List.of("Object", "Transcript"), List.of("Point", "Bits"), null);
    }

    /** The sample module as a library with native code and a reserved image section. */
    static ModuleFile library() {
        Module m = module();
        byte[] text = new byte[64];
        for (int i = 0; i < text.length; i++) text[i] = (byte) (0x90 + i);
        NativeCode nc = new NativeCode(text,
                List.of(new NativeCode.Symbol("Point>>x:", NativeCode.SymbolKind.METHOD, 0, 16, 0),
                        new NativeCode.Symbol("Point>>detect", NativeCode.SymbolKind.METHOD, 16, 32, 1),
                        new NativeCode.Symbol("st_send_stub", NativeCode.SymbolKind.STUB, 48, 16, -1)),
                List.of(new NativeCode.Relocation(20, NativeCode.RelocationKind.REL32, "st_send_stub", -4),
                        new NativeCode.Relocation(40, NativeCode.RelocationKind.ABS64, "Transcript", 8)),
                List.of(new NativeCode.LineRow(0, 3), new NativeCode.LineRow(16, 7), new NativeCode.LineRow(28, 8)));
        var raw = new java.util.TreeMap<Integer, byte[]>();
        raw.put(Section.HEAP.id, new byte[] {1, 2, 3, 4, 5});
        return new ModuleFile(m.withNativeCode(Module.Kind.LIBRARY, Module.Target.LINUX_X64, nc), raw);
    }
}
