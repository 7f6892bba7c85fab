package stc.compile;

import st.bytecode.BytecodeBuilder;
import st.bytecode.Opcode;
import st.bytecode.SpecialSelector;
import st.format.model.CodeDef;
import st.format.model.Literal;
import stc.ast.Node;
import stc.ast.Pos;
import stc.ast.SourceFile;
import stc.diag.Diagnostics;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles one method body (or startup body) to a {@link CodeDef}, in two passes. The first pass
 * resolves every name, builds the scopes, and records where each variable is written and captured
 * by a block; from that it decides which captured variables can be copied into closures and which
 * must share a temp vector, and lays out every frame. The second pass emits the bytecodes.
 */
final class MethodCompiler {
    private static final List<String> PSEUDO_VARIABLES = List.of("self", "super", "thisContext", "nil", "true", "false");

    /** What a variable reference resolved to in the first pass. */
    private sealed interface Ref {}
    private record Local(Variable variable) implements Ref {}
    private record Inst(int index) implements Ref {}
    private record Global(Literal.Binding binding, boolean somUnknown) implements Ref {
        Global(Literal.Binding binding) { this(binding, false); }
    }
    private record Special(String name) implements Ref {}
    private record Undeclared() implements Ref {}

    private final Environment env;
    private final Diagnostics diags;
    private final SourceFile file;

    private final Map<Node.Var, Ref> refs = new IdentityHashMap<>();
    private final Map<Node.Block, Code> realBlocks = new IdentityHashMap<>();
    private final Map<Node.Block, Scope> inlinedScopes = new IdentityHashMap<>();
    private final Map<Node.Send, Variable[]> hiddenLoopVariables = new IdentityHashMap<>();
    private final List<Code> codes = new ArrayList<>();
    private final List<Scope> scopes = new ArrayList<>();
    private final List<Integer> loops = new ArrayList<>();
    private int seq, nextVariableId, nextLoopId;
    private Pos methodPos = Pos.NONE;
    private Set<String> autoDeclared = Set.of();
    private Scope methodScope;

    MethodCompiler(Environment env, Diagnostics diags, SourceFile file) {
        this.env = env;
        this.diags = diags;
        this.file = file;
    }

    /** Makes these names, when undeclared, temps of the method instead of errors (top-level statements). */
    void autoDeclareTemps(Set<String> names) {
        autoDeclared = names;
    }

    /** Compiles a method (or a startup body when {@code params} is empty and it is not a real method). */
    CodeDef compile(List<Node.Decl> params, List<Node.Decl> temps, List<Node.Stmt> body, Pos pos) {
        methodPos = pos;
        Code method = new Code(null, null, 0, new int[0]);
        codes.add(method);
        Scope scope = newScope(null, method, false, false);
        method.scope = scope;
        methodScope = scope;
        for (Node.Decl p : params) method.args.add(declare(scope, p, Variable.Kind.ARG));
        for (Node.Decl t : temps) declare(scope, t, Variable.Kind.TEMP);
        analyzeStatements(body, scope);
        warnUnused(scope);
        decideVectorsAndLayout(pos);
        return new Emitter(method).method(body);
    }

    // ---------------------------------------------------------------- pass 1: analysis

    private Scope newScope(Scope parent, Code code, boolean inlined, boolean insideLoop) {
        Scope s = new Scope(parent, code, inlined, insideLoop);
        scopes.add(s);
        return s;
    }

    private int[] loopsNow() {
        int[] a = new int[loops.size()];
        for (int i = 0; i < a.length; i++) a[i] = loops.get(i);
        return a;
    }

    private Variable declare(Scope scope, Node.Decl d, Variable.Kind kind) {
        String name = d.name();
        if (PSEUDO_VARIABLES.contains(name)) {
            diags.error(file, d.pos(), "cannot use '" + name + "' as a variable name");
        }
        Variable previous = scope.names.get(name);
        Variable v = new Variable(name, kind, scope, nextVariableId++, d.pos(), loops.size());
        scope.variables.add(v);
        if (previous != null) {
            diags.error(file, d.pos(), "duplicate declaration of '" + name + "'");
            diags.note(file, previous.pos, "'" + name + "' was first declared here");
            return v;
        }
        scope.names.put(name, v);
        if (scope.parent != null && scope.parent.lookup(name) != null) {
            diags.warning(file, d.pos(), "'" + name + "' shadows a variable of an enclosing scope");
        } else if (env.instVars().contains(name)) {
            diags.warning(file, d.pos(), "'" + name + "' shadows an instance variable");
        } else if (env.classVarOwner(name) != null) {
            diags.warning(file, d.pos(), "'" + name + "' shadows a class variable");
        }
        return v;
    }

    private Variable declareHidden(Scope scope, String name, Pos pos) {
        Variable v = new Variable(name, Variable.Kind.HIDDEN, scope, nextVariableId++, pos, loops.size());
        scope.variables.add(v);
        return v;
    }

    private void warnUnused(Scope scope) {
        for (Variable v : scope.variables) {
            if (v.kind == Variable.Kind.TEMP && !v.read && !v.written && scope.names.get(v.name) == v) {
                diags.warning(file, v.pos, "unused temporary '" + v.name + "'");
            }
        }
    }

    private void analyzeStatements(List<Node.Stmt> body, Scope scope) {
        boolean returned = false, warned = false;
        for (Node.Stmt stmt : body) {
            if (returned && !warned) {
                diags.warning(file, startOf(stmt), "unreachable code after return");
                warned = true;
            }
            if (stmt instanceof Node.Return r) {
                analyzeExpr(r.value(), scope);
                if (scope.code.block != null) {
                    for (Code c = scope.code; c != null; c = c.outer) c.hasNonLocalReturn = true;
                }
                returned = true;
            } else {
                analyzeExpr((Node.Expr) stmt, scope);
            }
        }
    }

    private void analyzeExpr(Node.Expr e, Scope scope) {
        switch (e) {
            case Node.Lit l -> { }
            case Node.Var v -> refs.put(v, resolve(v, scope, false));
            case Node.Assign a -> {
                analyzeExpr(a.value(), scope);
                refs.put(a.target(), resolve(a.target(), scope, true));
            }
            case Node.Send s -> {
                Inlining form = Inlining.of(s);
                if (form != null) {
                    analyzeInlined(s, form, scope);
                } else {
                    analyzeExpr(s.receiver(), scope);
                    for (Node.Expr arg : s.args()) analyzeExpr(arg, scope);
                }
            }
            case Node.Cascade c -> {
                analyzeExpr(c.receiver(), scope);
                for (Node.Message m : c.messages()) for (Node.Expr arg : m.args()) analyzeExpr(arg, scope);
            }
            case Node.Block b -> analyzeRealBlock(b, scope);
            case Node.Brace b -> { for (Node.Expr x : b.elements()) analyzeExpr(x, scope); }
        }
    }

    private void analyzeRealBlock(Node.Block b, Scope outer) {
        Code code = new Code(outer.code, b, ++seq, loopsNow());
        codes.add(code);
        realBlocks.put(b, code);
        Scope scope = newScope(outer, code, false, false);
        code.scope = scope;
        for (Node.Decl p : b.params()) code.args.add(declare(scope, p, Variable.Kind.ARG));
        for (Node.Decl t : b.temps()) declare(scope, t, Variable.Kind.TEMP);
        analyzeStatements(b.body(), scope);
        warnUnused(scope);
    }

    private Scope analyzeInlinedBlock(Node.Expr blockExpr, Scope outer, boolean loopBody) {
        Node.Block b = (Node.Block) blockExpr;
        Scope scope = newScope(outer, outer.code, true, loopBody || (outer.inlined && outer.insideLoop));
        inlinedScopes.put(b, scope);
        for (Node.Decl p : b.params()) declare(scope, p, Variable.Kind.INLINED_ARG);
        for (Node.Decl t : b.temps()) declare(scope, t, Variable.Kind.TEMP);
        analyzeStatements(b.body(), scope);
        warnUnused(scope);
        return scope;
    }

    private void analyzeInlined(Node.Send s, Inlining form, Scope scope) {
        List<Node.Expr> args = s.args();
        switch (form) {
            case IF_TRUE, IF_FALSE, AND, OR, IF_NIL, IF_NOT_NIL -> {
                analyzeExpr(s.receiver(), scope);
                analyzeInlinedBlock(args.get(0), scope, false);
            }
            case IF_TRUE_IF_FALSE, IF_FALSE_IF_TRUE, IF_NIL_IF_NOT_NIL, IF_NOT_NIL_IF_NIL -> {
                analyzeExpr(s.receiver(), scope);
                analyzeInlinedBlock(args.get(0), scope, false);
                analyzeInlinedBlock(args.get(1), scope, false);
            }
            case WHILE_TRUE, WHILE_FALSE, WHILE_TRUE_UNARY, WHILE_FALSE_UNARY, REPEAT -> {
                loops.add(nextLoopId++);
                analyzeInlinedBlock(s.receiver(), scope, true);
                if (!args.isEmpty()) analyzeInlinedBlock(args.get(0), scope, true);
                loops.removeLast();
            }
            case TIMES_REPEAT -> {
                analyzeExpr(s.receiver(), scope);
                hiddenLoopVariables.put(s, new Variable[] {
                        declareHidden(scope, "<count>", s.pos()), declareHidden(scope, "<limit>", s.pos())});
                loops.add(nextLoopId++);
                analyzeInlinedBlock(args.get(0), scope, true);
                loops.removeLast();
            }
            case TO_DO, TO_BY_DO -> {
                analyzeExpr(s.receiver(), scope);
                Node.Expr limit = args.get(0);
                analyzeExpr(limit, scope);
                Variable limitTemp = limit instanceof Node.Lit ? null : declareHidden(scope, "<limit>", s.pos());
                hiddenLoopVariables.put(s, new Variable[] {limitTemp});
                loops.add(nextLoopId++);
                // The loop variable is stored only by the loop itself, never by the body (it is a
                // block argument), so a closure in the body may copy it: each sees its iteration's value.
                analyzeInlinedBlock(args.getLast(), scope, true);
                loops.removeLast();
            }
        }
    }

    private Ref resolve(Node.Var ref, Scope scope, boolean write) {
        String name = ref.name();
        if (PSEUDO_VARIABLES.contains(name)) {
            if (write) diags.error(file, ref.pos(), "cannot assign to pseudo-variable '" + name + "'");
            if (name.equals("thisContext")) scope.code.usesThisContext = true;
            return new Special(name);
        }
        Variable v = scope.lookup(name);
        if (v != null) {
            if (write && v.isReadOnly()) diags.error(file, ref.pos(), "cannot assign to argument '" + name + "'");
            noteAccess(v, scope.code, write);
            return new Local(v);
        }
        int ivar = env.instVars().lastIndexOf(name);
        if (ivar >= 0) return new Inst(ivar);
        String owner = env.classVarOwner(name);
        if (owner != null) return new Global(new Literal.Binding(owner, name));
        if (env.isLowercaseGlobal(name) || Character.isUpperCase(name.codePointAt(0))) {
            if (write && env.isClass(name)) diags.error(file, ref.pos(), "cannot assign to class '" + name + "'");
            String linked = env.useGlobal(name);
            return new Global(new Literal.Binding(null, linked), !write && env.isUnknownSomGlobal(linked));
        }
        if (autoDeclared.contains(name)) {
            Variable auto = new Variable(name, Variable.Kind.TEMP, methodScope, nextVariableId++, ref.pos(), 0);
            methodScope.variables.add(auto);
            methodScope.names.put(name, auto);
            noteAccess(auto, scope.code, write);
            return new Local(auto);
        }
        diags.error(file, ref.pos(), "undeclared variable '" + name + "'");
        return new Undeclared();
    }

    private void noteAccess(Variable v, Code code, boolean write) {
        if (write) v.written = true; else v.read = true;
        Code home = v.scope.code;
        if (home == code) {
            if (write) v.writes.add(new Variable.Event(++seq, loopsNow()));
            return;
        }
        Code child = code;
        for (Code c = code; c != home; c = c.outer) {
            c.referencedOuter.add(v);
            child = c;
        }
        v.captures.add(new Variable.Event(child.creationSeq, child.creationLoops));
        if (write) v.writtenFromNestedCode = true;
    }

    private void decideVectorsAndLayout(Pos pos) {
        for (Scope s : scopes) {
            for (Variable v : List.copyOf(s.variables)) {
                if (v.kind == Variable.Kind.TEMP && v.needsVector()) {
                    if (s.vectorHolder == null) s.vectorHolder = declareHidden(s, "<vector>", v.pos);
                    v.vectorIndex = s.vectorVariables.size();
                    v.vectorHolder = s.vectorHolder;
                    s.vectorVariables.add(v);
                }
            }
        }
        for (Code code : codes) {
            List<Variable> own = new ArrayList<>();
            for (Scope s : scopes) {
                if (s.code != code) continue;
                for (Variable v : s.variables) {
                    if (v.kind != Variable.Kind.ARG && !v.inVector()) own.add(v);
                }
            }
            own.sort((a, b) -> Integer.compare(a.id, b.id));
            code.layout(own);
            if (code.frameTemps() > 255) {
                Pos where = code.block != null ? code.block.pos() : pos;
                diags.error(file, where, "too many temporaries (" + code.frameTemps() + "; at most 255)");
            }
        }
    }

    static Pos startOf(Node n) {
        return switch (n) {
            case Node.Send s -> startOf(s.receiver());
            case Node.Cascade c -> startOf(c.receiver());
            case Node.Assign a -> a.target().pos();
            default -> n.pos();
        };
    }

    // ---------------------------------------------------------------- pass 2: code generation

    /** Emits one code object: a method or a real block. */
    private final class Emitter {
        private final Code code;
        private final BytecodeBuilder out = new BytecodeBuilder();
        private final List<Literal> literals = new ArrayList<>();
        private final Map<Literal, Integer> literalIndex = new HashMap<>();
        private int flags;
        private boolean tooManyLiterals;

        Emitter(Code code) {
            this.code = code;
            if (code.hasNonLocalReturn) flags |= CodeDef.HAS_NONLOCAL_RETURN;
            if (code.usesThisContext) flags |= CodeDef.USES_THIS_CONTEXT;
        }

        CodeDef method(List<Node.Stmt> body) {
            Pos start = body.isEmpty() ? new Pos(0, 0, -1) : startOf(body.getFirst());
            enterScope(code.scope, start);
            if (!statements(body, false)) {
                if (!body.isEmpty()) at(body.getLast().pos());
                out.emit(Opcode.RETURN_SELF);
            }
            return finish();
        }

        CodeDef block() {
            Node.Block b = code.block;
            flags |= CodeDef.IS_BLOCK;
            at(b.pos());
            enterScope(code.scope, b.pos());
            List<Node.Stmt> body = b.body();
            if (body.isEmpty()) {
                at(b.end());
                out.emit(Opcode.PUSH_NIL);
                out.emit(Opcode.BLOCK_RETURN);
                return finish();
            }
            for (int i = 0; i < body.size(); i++) {
                Node.Stmt stmt = body.get(i);
                if (stmt instanceof Node.Return r) {
                    returnFrom(r);
                    return finish();
                }
                boolean last = i == body.size() - 1;
                expr((Node.Expr) stmt, last);
                if (last) {
                    at(b.end());
                    out.emit(Opcode.BLOCK_RETURN);
                }
            }
            return finish();
        }

        private CodeDef finish() {
            byte[] bytes;
            try {
                bytes = out.toBytes();
            } catch (IllegalStateException e) {
                Pos where = code.block != null ? code.block.pos() : new Pos(0, 0, -1);
                diags.error(file, where, "method too large: a jump exceeds the 32 KiB range of the bytecode");
                bytes = new byte[] {(byte) Opcode.RETURN_SELF.code};
            }
            List<CodeDef.SourcePos> map = new ArrayList<>();
            for (int[] e : out.sourceMap()) map.add(new CodeDef.SourcePos(e[0], e[1], e[2]));
            return new CodeDef(code.args.size(), code.copied.size(), code.temps.size(), out.maxDepth(), flags,
                    bytes, List.copyOf(literals), List.copyOf(map));
        }

        private void at(Pos p) {
            if (p != null && p.line() > 0) out.at(p.line(), p.col());
        }

        private int literal(Literal l) {
            Integer i = literalIndex.get(l);
            if (i != null) return i;
            return addLiteral(l, true);
        }

        private int addLiteral(Literal l, boolean shared) {
            int i = literals.size();
            if (i > 65535) {
                if (!tooManyLiterals) diags.error(file, code.block != null ? code.block.pos() : methodPos, "more than 65536 literals");
                tooManyLiterals = true;
                return 0;
            }
            literals.add(l);
            if (shared) literalIndex.put(l, i);
            return i;
        }

        /** Creates the scope's temp vector, and in a loop body resets its temps to nil. */
        private void enterScope(Scope s, Pos pos) {
            at(pos);
            if (s.inlined && s.insideLoop) {
                for (Variable v : s.variables) {
                    if (v.kind == Variable.Kind.TEMP && !v.inVector()) {
                        out.emit(Opcode.PUSH_NIL);
                        out.emit(Opcode.POP_STORE_TEMP, code.slot(v));
                    }
                }
            }
            if (s.vectorHolder != null) {
                out.emit(Opcode.PUSH_NEW_ARRAY, s.vectorVariables.size());
                out.emit(Opcode.POP_STORE_TEMP, code.slot(s.vectorHolder));
            }
        }

        /** Statements for effect; true when they end in a return (the code after is unreachable). */
        private boolean statements(List<Node.Stmt> body, boolean valueOfLast) {
            for (int i = 0; i < body.size(); i++) {
                Node.Stmt stmt = body.get(i);
                if (stmt instanceof Node.Return r) {
                    returnFrom(r);
                    return true;
                }
                expr((Node.Expr) stmt, valueOfLast && i == body.size() - 1);
            }
            return false;
        }

        private void returnFrom(Node.Return r) {
            if (code.block == null && r.value() instanceof Node.Var v && refs.get(v) instanceof Special(String n)
                    && n.equals("self")) {
                at(r.pos());
                out.emit(Opcode.RETURN_SELF);
                return;
            }
            expr(r.value(), true);
            at(r.pos());
            out.emit(code.block == null ? Opcode.RETURN_TOP : Opcode.NONLOCAL_RETURN);
        }

        private void expr(Node.Expr e, boolean value) {
            switch (e) {
                case Node.Lit l -> { if (value) { at(l.pos()); pushLiteral(l.value()); } }
                case Node.Var v -> { if (value) pushVariable(v); }
                case Node.Assign a -> {
                    expr(a.value(), true);
                    store(a.target(), !value);
                }
                case Node.Send s -> {
                    Inlining form = Inlining.of(s);
                    if (form != null) {
                        inlined(s, form, value);
                    } else {
                        send(s);
                        if (!value) out.emit(Opcode.POP);
                    }
                }
                case Node.Cascade c -> {
                    cascade(c);
                    if (!value) out.emit(Opcode.POP);
                }
                case Node.Block b -> { if (value) closure(b); }
                case Node.Brace b -> {
                    if (b.elements().size() > 255) diags.error(file, b.pos(), "brace array has more than 255 elements");
                    for (Node.Expr x : b.elements()) expr(x, true);
                    at(b.pos());
                    out.emit(Opcode.POP_INTO_ARRAY, Math.min(255, b.elements().size()));
                    if (!value) out.emit(Opcode.POP);
                }
            }
        }

        private void pushLiteral(Literal l) {
            switch (l) {
                case Literal.Constant c -> out.emit(switch (c) {
                    case NIL -> Opcode.PUSH_NIL;
                    case TRUE -> Opcode.PUSH_TRUE;
                    case FALSE -> Opcode.PUSH_FALSE;
                });
                case Literal.Int i when i.value().bitLength() < 8 -> out.emit(Opcode.PUSH_INT8, i.value().intValue());
                default -> out.emit(Opcode.PUSH_LITERAL, literal(l));
            }
        }

        private void pushInt(BigInteger v) { pushLiteral(new Literal.Int(v)); }

        private void pushVariable(Node.Var v) {
            at(v.pos());
            switch (refs.get(v)) {
                case Special(String name) -> out.emit(switch (name) {
                    case "self", "super" -> Opcode.PUSH_SELF;
                    case "thisContext" -> Opcode.PUSH_THIS_CONTEXT;
                    case "nil" -> Opcode.PUSH_NIL;
                    case "true" -> Opcode.PUSH_TRUE;
                    default -> Opcode.PUSH_FALSE;
                });
                case Local(Variable var) -> pushTemp(var);
                case Inst(int index) -> out.emit(Opcode.PUSH_INST, instIndex(index, v.pos()));
                case Global(Literal.Binding b, boolean somUnknown) when somUnknown -> {
                    // SOM: reading a global nothing defines sends unknownGlobal: to self (kernel/SOM
                    // Object>>somGlobal:named: does it when the binding's value is nil).
                    out.emit(Opcode.PUSH_SELF);
                    out.emit(Opcode.PUSH_BINDING, literal(b));
                    out.emit(Opcode.PUSH_LITERAL, literal(new Literal.Sym(b.name())));
                    out.emit(Opcode.SEND, literal(new Literal.Sym("somGlobal:named:")), 2);
                }
                case Global(Literal.Binding b, boolean somUnknown) -> out.emit(Opcode.PUSH_BINDING, literal(b));
                case Undeclared u -> out.emit(Opcode.PUSH_NIL);
                case null -> throw new IllegalStateException("unresolved " + v);
            }
        }

        private int instIndex(int index, Pos pos) {
            if (index > 255) {
                diags.error(file, pos, "instance variable index " + index + " exceeds 255");
                return 0;
            }
            return index;
        }

        private void pushTemp(Variable var) {
            if (var.inVector()) out.emit(Opcode.PUSH_VECTOR_TEMP, code.slot(var.vectorHolder), var.vectorIndex);
            else out.emit(Opcode.PUSH_TEMP, code.slot(var));
        }

        private void store(Node.Var target, boolean pop) {
            at(target.pos());
            switch (refs.get(target)) {
                case Local(Variable var) -> {
                    if (var.inVector()) out.emit(pop ? Opcode.POP_STORE_VECTOR_TEMP : Opcode.STORE_VECTOR_TEMP,
                            code.slot(var.vectorHolder), var.vectorIndex);
                    else out.emit(pop ? Opcode.POP_STORE_TEMP : Opcode.STORE_TEMP, code.slot(var));
                }
                case Inst(int index) -> out.emit(pop ? Opcode.POP_STORE_INST : Opcode.STORE_INST, instIndex(index, target.pos()));
                case Global(Literal.Binding b, boolean u) -> out.emit(pop ? Opcode.POP_STORE_BINDING : Opcode.STORE_BINDING, literal(b));
                case null -> throw new IllegalStateException("unresolved " + target);
                default -> { if (pop) out.emit(Opcode.POP); } // an error was reported
            }
        }

        private boolean isSuper(Node.Expr receiver) {
            return receiver instanceof Node.Var v && refs.get(v) instanceof Special(String n) && n.equals("super");
        }

        private void send(Node.Send s) {
            expr(s.receiver(), true);
            for (Node.Expr arg : s.args()) expr(arg, true);
            at(s.pos());
            emitSend(s.selector(), s.args().size(), isSuper(s.receiver()));
        }

        private void emitSend(String selector, int argc, boolean toSuper) {
            if (toSuper) {
                out.emit(Opcode.SUPER_SEND, literal(new Literal.Sym(selector)), argc);
                return;
            }
            SpecialSelector special = SpecialSelector.of(selector);
            if (special != null && special.argc == argc) out.emit(Opcode.SEND_SPECIAL, special.ordinal());
            else out.emit(Opcode.SEND, literal(new Literal.Sym(selector)), argc);
        }

        private void cascade(Node.Cascade c) {
            expr(c.receiver(), true);
            boolean toSuper = isSuper(c.receiver());
            List<Node.Message> messages = c.messages();
            for (int i = 0; i < messages.size(); i++) {
                Node.Message m = messages.get(i);
                boolean last = i == messages.size() - 1;
                if (!last) { at(m.pos()); out.emit(Opcode.DUP); }
                for (Node.Expr arg : m.args()) expr(arg, true);
                at(m.pos());
                emitSend(m.selector(), m.args().size(), toSuper);
                if (!last) out.emit(Opcode.POP);
            }
        }

        private void closure(Node.Block b) {
            Code blockCode = realBlocks.get(b);
            CodeDef def = new Emitter(blockCode).block();
            int index = addLiteral(new Literal.Block(def), false);
            at(b.pos());
            for (Variable v : blockCode.copied) out.emit(Opcode.PUSH_TEMP, code.slot(v));
            out.emit(Opcode.PUSH_CLOSURE, index, blockCode.copied.size());
        }

        /** The body of an inlined block; true when it ends in a return. Leaves a value when asked. */
        private boolean inlinedBody(Node.Expr blockExpr, boolean value) {
            Node.Block b = (Node.Block) blockExpr;
            enterScope(inlinedScopes.get(b), b.pos());
            if (b.body().isEmpty()) {
                if (value) { at(b.pos()); out.emit(Opcode.PUSH_NIL); }
                return false;
            }
            boolean returned = statements(b.body(), value);
            if (returned && value) out.setDepth(out.depth() + 1); // unreachable: keeps the join depth consistent
            return returned;
        }

        private void inlined(Node.Send s, Inlining form, boolean value) {
            List<Node.Expr> args = s.args();
            int base = out.depth();
            int v = value ? 1 : 0;
            switch (form) {
                case IF_TRUE, IF_FALSE -> {
                    expr(s.receiver(), true);
                    at(s.pos());
                    int skip = out.newLabel(), end = out.newLabel();
                    out.jump(form == Inlining.IF_TRUE ? Opcode.JUMP_IF_FALSE : Opcode.JUMP_IF_TRUE, skip);
                    boolean returned = inlinedBody(args.get(0), value);
                    if (value) {
                        if (!returned) { at(s.pos()); out.jump(Opcode.JUMP, end); }
                        out.bind(skip);
                        out.setDepth(base);
                        at(s.pos());
                        out.emit(Opcode.PUSH_NIL);
                        out.bind(end);
                    } else {
                        out.bind(skip);
                    }
                    out.setDepth(base + v);
                }
                case IF_TRUE_IF_FALSE, IF_FALSE_IF_TRUE -> {
                    expr(s.receiver(), true);
                    at(s.pos());
                    int other = out.newLabel(), end = out.newLabel();
                    out.jump(form == Inlining.IF_TRUE_IF_FALSE ? Opcode.JUMP_IF_FALSE : Opcode.JUMP_IF_TRUE, other);
                    boolean returned = inlinedBody(args.get(0), value);
                    if (!returned) { at(s.pos()); out.jump(Opcode.JUMP, end); }
                    out.bind(other);
                    out.setDepth(base);
                    inlinedBody(args.get(1), value);
                    out.bind(end);
                    out.setDepth(base + v);
                }
                case AND, OR -> {
                    expr(s.receiver(), true);
                    at(s.pos());
                    int shortCut = out.newLabel(), end = out.newLabel();
                    out.jump(form == Inlining.AND ? Opcode.JUMP_IF_FALSE : Opcode.JUMP_IF_TRUE, shortCut);
                    boolean returned = inlinedBody(args.get(0), true);
                    if (!returned) { at(s.pos()); out.jump(Opcode.JUMP, end); }
                    out.bind(shortCut);
                    out.setDepth(base);
                    at(s.pos());
                    out.emit(form == Inlining.AND ? Opcode.PUSH_FALSE : Opcode.PUSH_TRUE);
                    out.bind(end);
                    out.setDepth(base + 1);
                    if (!value) out.emit(Opcode.POP);
                }
                case WHILE_TRUE, WHILE_FALSE -> {
                    int top = out.newLabel(), end = out.newLabel();
                    out.bind(top);
                    inlinedBody(s.receiver(), true);
                    at(s.pos());
                    out.jump(form == Inlining.WHILE_TRUE ? Opcode.JUMP_IF_FALSE : Opcode.JUMP_IF_TRUE, end);
                    inlinedBody(args.get(0), false);
                    at(s.pos());
                    out.jump(Opcode.JUMP, top);
                    out.bind(end);
                    out.setDepth(base);
                    if (value) out.emit(Opcode.PUSH_NIL);
                }
                case WHILE_TRUE_UNARY, WHILE_FALSE_UNARY -> {
                    int top = out.newLabel();
                    out.bind(top);
                    inlinedBody(s.receiver(), true);
                    at(s.pos());
                    out.jump(form == Inlining.WHILE_TRUE_UNARY ? Opcode.JUMP_IF_TRUE : Opcode.JUMP_IF_FALSE, top);
                    out.setDepth(base);
                    if (value) out.emit(Opcode.PUSH_NIL);
                }
                case REPEAT -> {
                    int top = out.newLabel();
                    out.bind(top);
                    inlinedBody(s.receiver(), false);
                    at(s.pos());
                    out.jump(Opcode.JUMP, top);
                    out.setDepth(base);
                    if (value) out.emit(Opcode.PUSH_NIL); // unreachable; keeps the stack shape of a value
                }
                case TIMES_REPEAT -> {
                    Variable[] hidden = hiddenLoopVariables.get(s);
                    int count = code.slot(hidden[0]), limit = code.slot(hidden[1]);
                    expr(s.receiver(), true);
                    at(s.pos());
                    if (value) out.emit(Opcode.DUP);
                    out.emit(Opcode.POP_STORE_TEMP, limit);
                    out.emit(Opcode.PUSH_INT8, 1);
                    out.emit(Opcode.POP_STORE_TEMP, count);
                    int top = out.newLabel(), end = out.newLabel();
                    out.bind(top);
                    out.emit(Opcode.PUSH_TEMP, count);
                    out.emit(Opcode.PUSH_TEMP, limit);
                    out.emit(Opcode.SEND_SPECIAL, SpecialSelector.LE.ordinal());
                    out.jump(Opcode.JUMP_IF_FALSE, end);
                    inlinedBody(args.get(0), false);
                    at(s.pos());
                    out.emit(Opcode.PUSH_TEMP, count);
                    out.emit(Opcode.PUSH_INT8, 1);
                    out.emit(Opcode.SEND_SPECIAL, SpecialSelector.ADD.ordinal());
                    out.emit(Opcode.POP_STORE_TEMP, count);
                    out.jump(Opcode.JUMP, top);
                    out.bind(end);
                    out.setDepth(base + v);
                }
                case TO_DO, TO_BY_DO -> toDo(s, form, value, base);
                case IF_NIL -> {
                    expr(s.receiver(), true);
                    at(s.pos());
                    int end = out.newLabel();
                    if (value) {
                        out.emit(Opcode.DUP);
                        out.jump(Opcode.JUMP_IF_NOT_NIL, end);
                        out.emit(Opcode.POP);
                        inlinedBody(args.get(0), true);
                    } else {
                        out.jump(Opcode.JUMP_IF_NOT_NIL, end);
                        inlinedBody(args.get(0), false);
                    }
                    out.bind(end);
                    out.setDepth(base + v);
                }
                case IF_NOT_NIL -> {
                    Node.Block block = (Node.Block) args.get(0);
                    Variable arg = block.params().isEmpty() ? null : inlinedScopes.get(block).variables.getFirst();
                    expr(s.receiver(), true);
                    at(s.pos());
                    int end = out.newLabel();
                    if (value) {
                        out.emit(Opcode.DUP);
                        out.jump(Opcode.JUMP_IF_NIL, end);
                        bindOrDrop(arg);
                        inlinedBody(block, true);
                    } else if (arg == null) {
                        out.jump(Opcode.JUMP_IF_NIL, end);
                        inlinedBody(block, false);
                    } else {
                        int drop = out.newLabel();
                        out.emit(Opcode.DUP);
                        out.jump(Opcode.JUMP_IF_NIL, drop);
                        bindOrDrop(arg);
                        boolean returned = inlinedBody(block, false);
                        if (!returned) { at(s.pos()); out.jump(Opcode.JUMP, end); }
                        out.bind(drop);
                        out.setDepth(base + 1);
                        out.emit(Opcode.POP);
                    }
                    out.bind(end);
                    out.setDepth(base + v);
                }
                case IF_NIL_IF_NOT_NIL, IF_NOT_NIL_IF_NIL -> {
                    boolean nilFirst = form == Inlining.IF_NIL_IF_NOT_NIL;
                    Node.Block nilBlock = (Node.Block) args.get(nilFirst ? 0 : 1);
                    Node.Block notNilBlock = (Node.Block) args.get(nilFirst ? 1 : 0);
                    Variable arg = notNilBlock.params().isEmpty() ? null : inlinedScopes.get(notNilBlock).variables.getFirst();
                    expr(s.receiver(), true);
                    at(s.pos());
                    int isNil = out.newLabel(), end = out.newLabel();
                    if (arg != null) out.emit(Opcode.DUP);
                    out.jump(Opcode.JUMP_IF_NIL, isNil);
                    if (arg != null) bindOrDrop(arg);
                    boolean returned = inlinedBody(notNilBlock, value);
                    if (!returned) { at(s.pos()); out.jump(Opcode.JUMP, end); }
                    out.bind(isNil);
                    out.setDepth(base + (arg != null ? 1 : 0));
                    if (arg != null) { at(s.pos()); out.emit(Opcode.POP); }
                    inlinedBody(nilBlock, value);
                    out.bind(end);
                    out.setDepth(base + v);
                }
            }
        }

        private void bindOrDrop(Variable arg) {
            if (arg == null) out.emit(Opcode.POP);
            else out.emit(Opcode.POP_STORE_TEMP, code.slot(arg));
        }

        private void toDo(Node.Send s, Inlining form, boolean value, int base) {
            List<Node.Expr> args = s.args();
            Node.Block block = (Node.Block) args.getLast();
            Variable counter = inlinedScopes.get(block).variables.getFirst();
            Variable limitTemp = hiddenLoopVariables.get(s)[0];
            BigInteger step = form == Inlining.TO_BY_DO ? Inlining.step(args.get(1)) : BigInteger.ONE;
            expr(s.receiver(), true);
            at(s.pos());
            if (value) out.emit(Opcode.DUP);
            out.emit(Opcode.POP_STORE_TEMP, code.slot(counter));
            if (limitTemp != null) {
                expr(args.get(0), true);
                at(s.pos());
                out.emit(Opcode.POP_STORE_TEMP, code.slot(limitTemp));
            }
            int top = out.newLabel(), end = out.newLabel();
            out.bind(top);
            out.emit(Opcode.PUSH_TEMP, code.slot(counter));
            if (limitTemp != null) out.emit(Opcode.PUSH_TEMP, code.slot(limitTemp));
            else pushLiteral(((Node.Lit) args.get(0)).value());
            out.emit(Opcode.SEND_SPECIAL, (step.signum() > 0 ? SpecialSelector.LE : SpecialSelector.GE).ordinal());
            out.jump(Opcode.JUMP_IF_FALSE, end);
            inlinedBody(block, false);
            at(s.pos());
            out.emit(Opcode.PUSH_TEMP, code.slot(counter));
            pushInt(step);
            out.emit(Opcode.SEND_SPECIAL, SpecialSelector.ADD.ordinal());
            out.emit(Opcode.POP_STORE_TEMP, code.slot(counter));
            out.jump(Opcode.JUMP, top);
            out.bind(end);
            out.setDepth(base + (value ? 1 : 0));
        }
    }
}
