package stc.compile;

import st.bytecode.BytecodeException;
import st.bytecode.Instruction;
import st.bytecode.Opcode;
import st.bytecode.SpecialSelector;
import st.format.model.CodeDef;
import st.format.model.Literal;
import st.format.model.MethodDef;
import st.format.model.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * A stable, human-readable listing of compiled code: one line per instruction with its pc,
 * operands, the literal or selector it refers to, and the source position where it changes.
 * Nested blocks are listed after the code that creates them. The golden tests compare against it,
 * so its shape changes only deliberately.
 */
public final class CodeListing {
    private CodeListing() {}

    /** Lists every class, method and startup entry of a module. */
    public static String of(Module module) {
        StringBuilder out = new StringBuilder();
        out.append("module ").append(module.name()).append('\n');
        for (var c : module.classes()) {
            out.append("class ").append(c.name()).append(" : ").append(c.superclass() == null ? "nil" : c.superclass())
                    .append(' ').append(c.shape().name().toLowerCase(java.util.Locale.ROOT))
                    .append(" ivars ").append(c.instVars()).append(" classVars ").append(c.classVars())
                    .append(" classIvars ").append(c.classInstVars()).append('\n');
        }
        for (MethodDef m : module.methods()) out.append(of(m));
        for (Module.MethodRef r : module.startup()) out.append("startup ").append(r).append('\n');
        if (!module.imports().isEmpty()) out.append("imports ").append(String.join(" ", module.imports())).append('\n');
        if (!module.exports().isEmpty()) out.append("exports ").append(String.join(" ", module.exports())).append('\n');
        return out.toString();
    }

    public static String of(MethodDef m) {
        StringBuilder out = new StringBuilder();
        out.append("method ").append(m.qualifiedName());
        if (m.primitive() != 0) out.append(" <primitive ").append(m.primitive()).append('>');
        if (m.primitiveName() != null) out.append(" <primitive '").append(m.primitiveName()).append("'>");
        for (MethodDef.Pragma p : m.pragmas()) {
            out.append(" <").append(p.keyword());
            for (Literal a : p.arguments()) out.append(' ').append(literal(a));
            out.append('>');
        }
        out.append('\n');
        code(m.code(), "  ", out);
        return out.toString();
    }

    /** Lists one code object and, after it, the blocks it creates. */
    public static void code(CodeDef code, String indent, StringBuilder out) {
        out.append(indent).append(header(code)).append('\n');
        List<Instruction> instructions;
        try {
            instructions = Instruction.decodeAll(code.bytecodes());
        } catch (BytecodeException e) {
            out.append(indent).append("  malformed bytecode: ").append(e.getMessage()).append('\n');
            return;
        }
        CodeDef.SourcePos lastPos = null;
        List<CodeDef> blocks = new ArrayList<>();
        for (Instruction ins : instructions) {
            StringBuilder line = new StringBuilder();
            line.append(indent).append(String.format("%4d  %s", ins.pc(), ins));
            String comment = comment(code, ins, blocks);
            CodeDef.SourcePos pos = code.positionAt(ins.pc());
            if (pos != null && !pos.equals(lastPos) && pos.pc() == ins.pc()) {
                comment = (comment == null ? "" : comment + "  ") + "@" + pos.line() + ":" + pos.col();
                lastPos = pos;
            }
            if (comment != null) {
                while (line.length() < indent.length() + 32) line.append(' ');
                line.append("; ").append(comment);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        int n = 0;
        for (CodeDef block : blocks) {
            out.append(indent).append("block ").append(++n).append(" of the code above:\n");
            code(block, indent + "  ", out);
        }
    }

    private static String header(CodeDef c) {
        StringBuilder b = new StringBuilder();
        b.append(c.is(CodeDef.IS_BLOCK) ? "block" : "code").append(": args ").append(c.numArgs());
        if (c.is(CodeDef.IS_BLOCK)) b.append(" copied ").append(c.numCopied());
        b.append(" temps ").append(c.numTemps()).append(" frame ").append(c.frameSize());
        if (c.is(CodeDef.HAS_NONLOCAL_RETURN)) b.append(" nonlocal-return");
        if (c.is(CodeDef.USES_THIS_CONTEXT)) b.append(" this-context");
        b.append(" literals ").append(c.literals().size());
        return b.toString();
    }

    private static String comment(CodeDef code, Instruction ins, List<CodeDef> blocks) {
        Opcode op = ins.op();
        return switch (op) {
            case PUSH_LITERAL, PUSH_BINDING, STORE_BINDING, POP_STORE_BINDING, SEND, SUPER_SEND -> literalAt(code, ins.a());
            case SEND_SPECIAL -> {
                SpecialSelector s = SpecialSelector.of(ins.a());
                yield s == null ? "?" : "#" + s.selector;
            }
            case PUSH_CLOSURE -> {
                if (ins.a() < code.literals().size() && code.literals().get(ins.a()) instanceof Literal.Block b) {
                    blocks.add(b.code());
                    yield "block " + blocks.size();
                }
                yield "?";
            }
            default -> null;
        };
    }

    private static String literalAt(CodeDef code, int index) {
        return index < code.literals().size() ? literal(code.literals().get(index)) : "literal " + index + " out of range";
    }

    /** A literal as Smalltalk would print it. */
    public static String literal(Literal l) {
        return switch (l) {
            case Literal.Constant c -> c.name().toLowerCase(java.util.Locale.ROOT);
            case Literal.Int i -> i.value().toString();
            case Literal.Float f -> Double.toString(f.value());
            case Literal.ScaledDecimal d -> d.numerator() + "/" + d.denominator() + "s" + d.scale();
            case Literal.Char c -> "$" + Character.toString(c.codePoint());
            case Literal.Str s -> "'" + s.value().replace("'", "''") + "'";
            case Literal.Sym s -> "#" + s.value();
            case Literal.Bytes b -> {
                StringBuilder sb = new StringBuilder("#[");
                for (int i = 0; i < b.value().length; i++) sb.append(i == 0 ? "" : " ").append(b.value()[i] & 0xFF);
                yield sb.append(']').toString();
            }
            case Literal.Array a -> {
                StringBuilder sb = new StringBuilder("#(");
                for (int i = 0; i < a.elements().size(); i++) sb.append(i == 0 ? "" : " ").append(literal(a.elements().get(i)));
                yield sb.append(')').toString();
            }
            case Literal.Binding b -> b.owner() == null ? b.name() : b.owner() + "." + b.name();
            case Literal.Block b -> "[block]";
        };
    }
}
