package st.bytecode;

import st.format.model.CodeDef;
import st.format.model.Literal;
import st.format.model.MethodDef;

import java.math.BigInteger;
import java.util.List;

/**
 * A human-readable listing of compiled code: one instruction per line with its pc, and with
 * literal operands resolved (selectors, literal values, binding names, jump targets). Blocks are
 * listed nested under the {@code push_closure} that creates them. Optionally the method's source
 * lines are interleaved above the first instruction compiled from them.
 *
 * <p>Shared by {@code stc --emit bytecodes} and {@code stdump --bytecodes}, so both print the same
 * text. Malformed code never throws: the listing shows what decodes and then names the problem.
 *
 * <pre>
 * Point>>x: aNumber
 *   ; 3 literals, 1 arg, 0 temps, stack 1
 *   ; 12:   x := aNumber
 *      0  push_temp 0
 *      2  pop_store_inst 0
 *      4  return_self
 * </pre>
 */
public final class Listing {
    private final StringBuilder out = new StringBuilder();
    private final boolean withSource;
    private final String[] sourceLines;
    private final int firstLine;
    private final boolean[] printed;

    private Listing(String source, int firstLine, boolean withSource) {
        this.withSource = withSource && source != null;
        this.sourceLines = source == null ? new String[0] : source.split("\r\n|\r|\n", -1);
        this.firstLine = firstLine;
        this.printed = new boolean[sourceLines.length];
    }

    /** The listing of a method with a header line naming it; source interleaved when asked. */
    public static String method(MethodDef method, boolean withSource) {
        Listing l = new Listing(method.source(), method.line(), withSource);
        l.out.append(method.qualifiedName()).append('\n');
        if (method.primitive() != 0) l.out.append("  ; <primitive: ").append(method.primitive()).append(">\n");
        if (method.primitiveName() != null)
            l.out.append("  ; <primitive: ").append(quote(method.primitiveName())).append(">\n");
        for (MethodDef.Pragma p : method.pragmas()) l.out.append("  ; <").append(pragma(p)).append(">\n");
        l.code(method.code(), "  ");
        return l.out.toString();
    }

    /** Every method of a module, in module order, separated by blank lines. */
    public static String module(st.format.model.Module module, boolean withSource) {
        StringBuilder b = new StringBuilder();
        for (MethodDef m : module.methods()) {
            if (!b.isEmpty()) b.append('\n');
            b.append(method(m, withSource));
        }
        return b.toString();
    }

    /**
     * The listing of bare code (no header), source interleaved when {@code source} is non-null;
     * {@code firstLine} is the file line on which {@code source} starts.
     */
    public static String code(CodeDef code, String source, int firstLine) {
        Listing l = new Listing(source, firstLine, source != null);
        l.code(code, "");
        return l.out.toString();
    }

    /** The listing of bare code without source. */
    public static String code(CodeDef code) { return code(code, null, 1); }

    private void code(CodeDef code, String indent) {
        out.append(indent).append("; ").append(plural(code.literals().size(), "literal")).append(", ")
                .append(plural(code.numArgs(), "arg"));
        if (code.is(CodeDef.IS_BLOCK)) out.append(", ").append(code.numCopied()).append(" copied");
        out.append(", ").append(plural(code.numTemps(), "temp")).append(", stack ").append(code.frameSize());
        if (code.is(CodeDef.HAS_NONLOCAL_RETURN)) out.append(", non-local return");
        if (code.is(CodeDef.USES_THIS_CONTEXT)) out.append(", thisContext");
        out.append('\n');
        byte[] bytes = code.bytecodes();
        int pc = 0;
        while (pc < bytes.length) {
            Instruction ins;
            try {
                ins = Instruction.decode(bytes, pc);
            } catch (BytecodeException e) {
                out.append(indent).append("; error: ").append(e.getMessage()).append('\n');
                return;
            }
            if (withSource) source(code.positionAt(pc), indent);
            out.append(indent).append(String.format("%5d  ", pc)).append(instruction(ins, code.literals())).append('\n');
            if (ins.op() == Opcode.PUSH_CLOSURE && ins.a() < code.literals().size()
                    && code.literals().get(ins.a()) instanceof Literal.Block(CodeDef block))
                code(block, indent + "       ");
            pc = ins.next();
        }
    }

    private void source(CodeDef.SourcePos pos, String indent) {
        if (pos == null) return;
        int index = pos.line() - firstLine;
        if (index < 0 || index >= sourceLines.length || printed[index]) return;
        // Also show the unshown lines just above (comments, declarations, a multi-line statement's
        // start), but stop at a line already shown, so each source line appears once.
        int from = index;
        while (from > 0 && !printed[from - 1]) from--;
        for (int i = from; i <= index; i++) {
            printed[i] = true;
            out.append(indent).append("; ").append(firstLine + i).append(": ").append(sourceLines[i].stripTrailing()).append('\n');
        }
    }

    /** One instruction with its operands resolved against the literal frame. */
    public static String instruction(Instruction ins, List<Literal> literals) {
        Opcode op = ins.op();
        String m = op.mnemonic();
        return switch (op) {
            case PUSH_LITERAL -> m + " " + ins.a() + "  ; " + literalAt(literals, ins.a());
            case PUSH_BINDING, STORE_BINDING, POP_STORE_BINDING -> m + " " + ins.a() + "  ; " + literalAt(literals, ins.a());
            case SEND, SUPER_SEND -> m + " " + ins.a() + " " + ins.b() + "  ; " + literalAt(literals, ins.a());
            case SEND_SPECIAL -> {
                SpecialSelector s = SpecialSelector.of(ins.a());
                yield m + " " + ins.a() + "  ; " + (s == null ? "<no such special selector>" : "#" + s.selector);
            }
            case PUSH_CLOSURE -> m + " " + ins.a() + " " + ins.b() + "  ; "
                    + (ins.a() < literals.size() && literals.get(ins.a()) instanceof Literal.Block
                       ? "block" : literalAt(literals, ins.a()));
            case JUMP, JUMP_IF_TRUE, JUMP_IF_FALSE, JUMP_IF_NIL, JUMP_IF_NOT_NIL -> m + " " + ins.target();
            default -> ins.toString();
        };
    }

    private static String literalAt(List<Literal> literals, int index) {
        if (index < 0 || index >= literals.size())
            return "<literal " + index + " out of range (" + literals.size() + " literals)>";
        return literal(literals.get(index));
    }

    /** A literal in Smalltalk notation: {@code 42}, {@code 'a'}, {@code #foo:}, {@code #(1 $a)}. */
    public static String literal(Literal literal) {
        StringBuilder b = new StringBuilder();
        literal(literal, b, false);
        return b.toString();
    }

    private static void literal(Literal literal, StringBuilder b, boolean nested) {
        switch (literal) {
            case Literal.Constant c -> b.append(c.name().toLowerCase(java.util.Locale.ROOT));
            case Literal.Int(BigInteger v) -> b.append(v);
            case Literal.Float(double v) -> b.append(floatText(v));
            case Literal.ScaledDecimal(BigInteger n, BigInteger d, int scale) -> b.append(scaled(n, d, scale));
            case Literal.Char(int cp) -> b.append(cp > 32 && cp < 127 ? "$" + (char) cp : "(Character value: " + cp + ")");
            case Literal.Str(String s) -> b.append(quote(s));
            case Literal.Sym(String s) -> b.append(nested ? "" : "#").append(symbol(s));
            case Literal.Bytes(byte[] bytes) -> {
                b.append(nested ? "[" : "#[");
                for (int i = 0; i < bytes.length; i++) b.append(i == 0 ? "" : " ").append(bytes[i] & 0xFF);
                b.append(']');
            }
            case Literal.Array(List<Literal> elements) -> {
                b.append(nested ? "(" : "#(");
                for (int i = 0; i < elements.size(); i++) {
                    if (i > 0) b.append(' ');
                    literal(elements.get(i), b, true);
                }
                b.append(')');
            }
            case Literal.Binding(String owner, String name) -> b.append(owner == null ? name : owner + "." + name);
            case Literal.Block(CodeDef code) -> b.append("[block: ").append(code.numArgs()).append(" args, ")
                    .append(code.bytecodes().length).append(" bytes]");
        }
    }

    private static String floatText(double v) {
        if (Double.isNaN(v)) return "Float nan";
        if (Double.isInfinite(v)) return v > 0 ? "Float infinity" : "Float negativeInfinity";
        return Double.toString(v);
    }

    private static String scaled(BigInteger numerator, BigInteger denominator, int scale) {
        try {
            var value = new java.math.BigDecimal(numerator).divide(new java.math.BigDecimal(denominator), scale,
                    java.math.RoundingMode.HALF_EVEN);
            return value.toPlainString() + "s" + scale;
        } catch (ArithmeticException e) {
            return numerator + "/" + denominator + "s" + scale;
        }
    }

    private static String symbol(String s) {
        boolean plain = !s.isEmpty() && s.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == ':')
                && !Character.isDigit(s.charAt(0));
        boolean binary = !s.isEmpty() && s.chars().allMatch(c -> "+-*/\\<>=~@%|&?,!".indexOf(c) >= 0);
        return plain || binary ? s : quote(s);
    }

    private static String quote(String s) { return "'" + s.replace("'", "''") + "'"; }

    private static String pragma(MethodDef.Pragma p) {
        if (p.arguments().isEmpty()) return p.keyword();
        String[] parts = p.keyword().split("(?<=:)");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) b.append(' ');
            b.append(parts[i]);
            if (i < p.arguments().size()) b.append(' ').append(literal(p.arguments().get(i)));
        }
        return b.toString();
    }

    private static String plural(int n, String word) { return n + " " + word + (n == 1 ? "" : "s"); }
}
