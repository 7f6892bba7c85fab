package stjit.nativize;

import st.bytecode.BytecodeException;
import st.bytecode.Instruction;
import st.bytecode.Opcode;
import st.bytecode.SpecialSelector;
import st.format.model.CodeDef;
import st.format.model.Literal;
import st.format.model.NativeCode;
import stjit.image.ClassIndex;
import stjit.image.Globals;
import stjit.image.HeapImage;
import stjit.image.HeapImage.CodeInfo;
import stjit.image.HeapImage.LiteralRef;
import stjit.image.Layout;
import stjit.image.ObjectModel;
import stjit.image.SendSites;
import stjit.x64.Assembled;
import stjit.x64.Assembler;
import stjit.x64.Cond;
import stjit.x64.Label;
import stjit.x64.Mem;
import stjit.x64.Reg;
import stjit.x64.Width;
import stjit.x64.Xmm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static stjit.x64.Reg.*;

/**
 * The template nativizer: one linear pass over a method's bytecodes (and then each of its blocks),
 * emitting x86-64 with no IR. The frame layout, calling convention and send-site shape are those
 * of docs/RUNTIME.md, sections 6–9. The output is relocatable: every heap object, stub and runtime
 * method is referenced by symbol, so the same code serves stjit (a library) and strun (relocated
 * into the code zone).
 */
public final class Nativizer {

    /**
     * A method's code with its blocks: {@code entries} holds {name, offset} of the method and each
     * block; {@code lines} says from which offset on the code came from which source line.
     */
    public record Result(CodeInfo method, Assembled code, List<Entry> entries, List<NativeCode.LineRow> lines) {}

    public record Entry(String symbol, int offset, CodeInfo info) {}

    final HeapImage image;

    private final Map<Integer, String> methodSymbols = new HashMap<>();

    public Nativizer(HeapImage image) {
        this.image = image;
        for (CodeInfo c : image.codeList()) if (!c.block()) methodSymbols.put(c.objectOffset(), c.symbol());
    }

    public Result nativize(CodeInfo method) {
        Assembler a = new Assembler();
        List<Pending> pending = new ArrayList<>();
        List<LineLabel> lineLabels = new ArrayList<>();
        Label methodStart = a.newLabel(method.symbol());
        pending.add(new Pending(method, methodStart));
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            if (i > 0) a.align(16);
            a.bind(p.start);
            new MethodEmitter(a, p.info, pending, lineLabels).emit();
        }
        Assembled code = a.finish();
        List<Entry> entries = new ArrayList<>();
        for (Pending p : pending) entries.add(new Entry(p.info.symbol(), code.offsetOf(p.start), p.info));
        if (!method.block() && code.markOffset("unchecked") != RuntimeSymbols.UNCHECKED_OFFSET)
            throw new NativizeException(method.symbol(), "checked entry is not " + RuntimeSymbols.UNCHECKED_OFFSET + " bytes");
        return new Result(method, code, entries, lineRows(code, lineLabels));
    }

    private record Pending(CodeInfo info, Label start) {}

    /** Where code of a source line starts; bound as it is emitted, resolved after relaxation. */
    private record LineLabel(Label label, int line) {}

    /**
     * One row per change of line, in offset order. Labels bound at one offset (code that emitted
     * nothing) keep the last; a row that repeats the line before it is dropped.
     */
    private static List<NativeCode.LineRow> lineRows(Assembled code, List<LineLabel> labels) {
        java.util.TreeMap<Integer, Integer> byOffset = new java.util.TreeMap<>();
        for (LineLabel l : labels) {
            int offset = code.offsetOf(l.label());
            if (offset < code.size()) byOffset.put(offset, l.line());
        }
        List<NativeCode.LineRow> rows = new ArrayList<>();
        int last = -1;
        for (Map.Entry<Integer, Integer> e : byOffset.entrySet()) {
            if (e.getValue() == last) continue;
            rows.add(new NativeCode.LineRow(e.getKey(), e.getValue()));
            last = e.getValue();
        }
        return rows;
    }

    final class MethodEmitter {
        final Assembler a;
        final CodeInfo info;
        final CodeDef code;
        final List<Pending> pending;
        final boolean block;
        final Map<Integer, Label> labels = new HashMap<>();
        final Map<Integer, Integer> depthAt = new HashMap<>();
        /** What pushed each operand-stack slot, by depth: null, INTRINSICS, SELF or a global's name. */
        String[] pushedBy;
        int depth;

        MethodEmitter(Assembler a, CodeInfo info, List<Pending> pending, List<LineLabel> lineLabels) {
            this.a = a;
            this.info = info;
            this.code = info.code();
            this.pending = pending;
            this.lineLabels = lineLabels;
            this.block = info.block();
            this.nextSite = info.siteBase();
        }

        void fail(String message) { throw new NativizeException(info.symbol(), message); }

        void emit() {
            List<Instruction> ins;
            try {
                ins = Instruction.decodeAll(code.bytecodes());
            } catch (BytecodeException e) {
                throw new NativizeException(info.symbol(), e.getMessage());
            }
            for (Instruction i : ins) if (i.op().isJump()) labels.computeIfAbsent(i.target(), t -> a.newLabel());
            pushedBy = new String[code.frameSize() + 4];
            if (block) blockPrologue(); else methodPrologue();
            boolean reachable = true;
            for (int k = 0; k < ins.size(); k++) {
                Instruction i = ins.get(k);
                Label l = labels.get(i.pc());
                if (l != null) {
                    a.bind(l);
                    Integer d = depthAt.get(i.pc());
                    if (d != null) depth = d;
                    reachable = true;
                }
                int site = SendSites.ownsSite(i.op()) ? nextSite++ : -1;
                if (!reachable) continue;
                currentSite = site;
                CodeDef.SourcePos position = code.positionAt(i.pc());
                if (position != null && position.line() > 0) startLine(position.line());
                Instruction next = k + 1 < ins.size() ? ins.get(k + 1) : null;
                if (fusesWithJump(i, next)) {
                    // the jump's own cell follows the comparison's (both own one, in bytecode order)
                    compareAndBranch(i, next, site, nextSite++);
                    k++;
                    continue;
                }
                reachable = instruction(i);
            }
            Label end = labels.get(code.bytecodes().length);
            if (end != null) {
                a.bind(end);
                returnSelf();
            } else if (reachable) {
                returnSelf();
            }
            for (Runnable r : outOfLine) r.run();
        }

        final OutOfLineCode outOfLine = new OutOfLineCode();
        final List<LineLabel> lineLabels;
        /** The source line of the code being emitted, 0 before the first instruction's. */
        int currentLine;
        int nextSite;

        void startLine(int line) {
            currentLine = line;
            Label here = a.newLabel();
            a.bind(here);
            lineLabels.add(new LineLabel(here, line));
        }

        /** Slow paths, emitted after the method's body; each keeps the line of the code that deferred it. */
        final class OutOfLineCode implements Iterable<Runnable> {
            private final List<Runnable> deferred = new ArrayList<>();

            void add(Runnable emitter) {
                int line = currentLine;
                deferred.add(line == 0 ? emitter : () -> { startLine(line); emitter.run(); });
            }

            @Override public java.util.Iterator<Runnable> iterator() { return deferred.iterator(); }
        }
        /** The send-cache cell of the instruction being emitted, -1 if it owns none. */
        int currentSite;

        // ---- frame ----

        void methodPrologue() {
            Label immediate = a.newLabel("immediate"), compare = a.newLabel("compare");
            // Code addresses kept in the heap are entry + 1 (odd, so the GC sees a SmallInteger):
            // every entry starts with a one-byte nop they skip.
            a.nop();
            a.mov(Width.DWORD, RCX, RAX);
            a.and(Width.DWORD, RCX, 1);
            a.jcc(Cond.NE, compare);
            a.test(Width.BYTE, RAX, 6);
            a.jccNear(Cond.NE, immediate); // near: the checked entry has one size, padded to 48
            a.mov(Width.DWORD, RCX, Mem.of(RAX));
            a.and(Width.DWORD, RCX, ObjectModel.CLASS_INDEX_MASK);
            a.bind(compare);
            a.cmp(Width.DWORD, RCX, R11);
            a.jcc(Cond.NE, RuntimeSymbols.SEND_MISS);
            a.align(16);
            a.mark("unchecked");
            a.nop();
            outOfLine.add(() -> {
                a.bind(immediate);
                a.mov(Width.DWORD, RCX, RAX);
                a.and(Width.DWORD, RCX, 7);
                a.jmp(compare);
            });
            a.push(RBP);
            a.mov(RBP, RSP);
            a.movImm64(RCX, "method:" + info.symbol(), 0);
            a.push(RCX);
            a.push(RAX);
            pushNils(code.numTemps());
            stackCheck();
            MethodPrimitive.emitIfAny(this);
        }

        void blockPrologue() {
            a.nop();
            a.push(RBP);
            a.mov(RBP, RSP);
            a.push(RAX);
            a.push(Mem.of(RAX, Layout.slotOffset(Layout.BC_RECEIVER)));
            for (int i = 0; i < code.numCopied(); i++) a.push(Mem.of(RAX, Layout.slotOffset(Layout.BC_COPIED + i)));
            pushNils(code.numTemps());
            stackCheck();
        }

        void pushNils(int n) {
            if (n == 0) return;
            loadNil(RCX);
            for (int i = 0; i < n; i++) a.push(RCX);
        }

        /**
         * The stack-limit check of prologues and loop back edges. It doubles as the interrupt
         * point: an interrupt request sets the limit to all ones (docs/RUNTIME.md, section 6).
         */
        void stackCheck() {
            Label ok = a.newLabel();
            a.cmp(RSP, Mem.of(R15, Globals.STACK_LIMIT));
            a.jcc(Cond.AE, ok);
            a.call(RuntimeSymbols.STACK_OVERFLOW);
            a.bind(ok);
        }

        Mem temp(int t) {
            int args = code.numArgs();
            if (t < args) return Mem.of(RBP, 16 + 8 * (args - 1 - t));
            if (t >= code.frameTemps()) fail("temp " + t + " out of range");
            return Mem.of(RBP, -24 - 8 * (t - args));
        }

        Mem self() { return Mem.of(RBP, -16); }

        void loadNil(Reg r) { a.movImm64(r, "heap:nil", 0); }

        void loadTrue(Reg r) { a.movImm64(r, "heap:true", 0); }

        void loadFalse(Reg r) { a.movImm64(r, "heap:false", 0); }

        void loadLiteral(Reg r, int index) {
            LiteralRef ref = literal(index);
            switch (ref) {
                case LiteralRef.Immediate im -> a.mov(r, im.oop());
                case LiteralRef.Object o -> a.movImm64(r, o.symbol(), 0);
            }
        }

        LiteralRef literal(int index) {
            if (index < 0 || index >= info.literalRefs().length) fail("literal " + index + " out of range");
            return info.literalRefs()[index];
        }

        void returnValueInRax() {
            a.mov(RSP, RBP);
            a.pop(RBP);
            a.ret();
        }

        void returnSelf() {
            if (block) {
                // A block's final statement leaves its value; an empty block answers nil.
                loadNil(RAX);
            } else {
                a.mov(RAX, self());
            }
            returnValueInRax();
        }

        static final String SELF = "\0self";

        void setPushed(boolean isIntrinsics) { setPushed(isIntrinsics ? "Intrinsics" : null); }

        void setPushed(String what) {
            if (depth >= 0 && depth < pushedBy.length) pushedBy[depth] = what;
            depth++;
        }

        String pushedAt(int d) { return d >= 0 && d < pushedBy.length ? pushedBy[d] : null; }

        void jumpTo(int target) {
            depthAt.putIfAbsent(target, depth);
            Label l = labels.get(target);
            a.jmp(l);
        }

        /** Emits one instruction; false when the next instruction is unreachable from this one. */
        boolean instruction(Instruction i) {
            switch (i.op()) {
                case PUSH_SELF -> { a.push(self()); setPushed(SELF); }
                case PUSH_NIL -> { loadNil(RAX); a.push(RAX); setPushed(false); }
                case PUSH_TRUE -> { loadTrue(RAX); a.push(RAX); setPushed(false); }
                case PUSH_FALSE -> { loadFalse(RAX); a.push(RAX); setPushed(false); }
                case PUSH_THIS_CONTEXT -> fail("thisContext is not supported by the native runtime yet");
                case PUSH_INT8 -> { a.push(ObjectModel.smallInt(i.a())); setPushed(false); }
                case PUSH_LITERAL -> { loadLiteral(RAX, i.a()); a.push(RAX); setPushed(symbolLiteral(i.a())); }
                case PUSH_BINDING -> {
                    String global = globalName(i.a());
                    loadLiteral(RAX, i.a());
                    a.push(Mem.of(RAX, Layout.slotOffset(Layout.ASSOC_VALUE)));
                    setPushed(global);
                }
                case PUSH_INST -> {
                    a.mov(RAX, self());
                    a.push(Mem.of(RAX, Layout.slotOffset(i.a())));
                    setPushed(false);
                }
                case PUSH_TEMP -> { a.push(temp(i.a())); setPushed(false); }
                case PUSH_VECTOR_TEMP -> { // operands: the temp holding the vector, the index in it
                    a.mov(RAX, temp(i.a()));
                    a.push(Mem.of(RAX, Layout.slotOffset(i.b())));
                    setPushed(false);
                }
                case STORE_BINDING, POP_STORE_BINDING -> {
                    topInto(RCX, i.op() == Opcode.POP_STORE_BINDING);
                    loadLiteral(RAX, i.a());
                    a.mov(Mem.of(RAX, Layout.slotOffset(Layout.ASSOC_VALUE)), RCX);
                    writeBarrier(RAX, RCX);
                }
                case STORE_INST, POP_STORE_INST -> {
                    topInto(RCX, i.op() == Opcode.POP_STORE_INST);
                    a.mov(RAX, self());
                    a.mov(Mem.of(RAX, Layout.slotOffset(i.a())), RCX);
                    writeBarrier(RAX, RCX);
                }
                case STORE_TEMP, POP_STORE_TEMP -> {
                    topInto(RCX, i.op() == Opcode.POP_STORE_TEMP);
                    a.mov(temp(i.a()), RCX);
                }
                case STORE_VECTOR_TEMP, POP_STORE_VECTOR_TEMP -> {
                    topInto(RCX, i.op() == Opcode.POP_STORE_VECTOR_TEMP);
                    a.mov(RAX, temp(i.a()));
                    a.mov(Mem.of(RAX, Layout.slotOffset(i.b())), RCX);
                    writeBarrier(RAX, RCX);
                }
                case POP -> { a.add(RSP, 8); depth--; }
                case DUP -> { a.push(Mem.of(RSP)); setPushed(false); }
                case PUSH_NEW_ARRAY -> {
                    allocate(ClassIndex.ARRAY, ObjectModel.FORMAT_POINTERS, i.a());
                    loadNil(RCX);
                    for (int k = 0; k < i.a(); k++) a.mov(Mem.of(RAX, Layout.slotOffset(k)), RCX);
                    a.push(RAX);
                    setPushed(false);
                }
                case POP_INTO_ARRAY -> {
                    int n = i.a();
                    allocate(ClassIndex.ARRAY, ObjectModel.FORMAT_POINTERS, n);
                    for (int k = 0; k < n; k++) {
                        a.mov(RCX, Mem.of(RSP, 8 * (n - 1 - k)));
                        a.mov(Mem.of(RAX, Layout.slotOffset(k)), RCX);
                    }
                    if (n > 0) a.add(RSP, 8L * n);
                    depth -= n;
                    a.push(RAX);
                    setPushed(false);
                }
                case PUSH_CLOSURE -> pushClosure(i.a(), i.b());
                case SEND -> send(i.a(), i.b(), false);
                case SUPER_SEND -> send(i.a(), i.b(), true);
                case SEND_SPECIAL -> special(i.a());
                case JUMP -> {
                    if (i.target() <= i.pc()) stackCheck(); // a loop back edge: an interrupt point
                    jumpTo(i.target());
                    return false;
                }
                case JUMP_IF_TRUE, JUMP_IF_FALSE -> {
                    if (i.target() <= i.pc()) stackCheck();
                    conditionalJump(i);
                }
                case JUMP_IF_NIL, JUMP_IF_NOT_NIL -> {
                    if (i.target() <= i.pc()) stackCheck();
                    a.pop(RAX);
                    depth--;
                    a.movImm64(RCX, "heap:nil", 0);
                    a.cmp(RAX, RCX);
                    depthAt.putIfAbsent(i.target(), depth);
                    a.jcc(i.op() == Opcode.JUMP_IF_NIL ? Cond.E : Cond.NE, labels.get(i.target()));
                }
                case RETURN_TOP -> {
                    a.pop(RAX);
                    if (block) nonLocalReturn(); else returnValueInRax();
                    return false;
                }
                case RETURN_SELF -> {
                    if (block) {
                        a.mov(RAX, self());
                        nonLocalReturn();
                    } else returnSelf();
                    return false;
                }
                case BLOCK_RETURN -> { a.pop(RAX); returnValueInRax(); return false; }
                case NONLOCAL_RETURN -> { a.pop(RAX); nonLocalReturn(); return false; }
            }
            return true;
        }

        void topInto(Reg r, boolean pop) {
            if (pop) { a.pop(r); depth--; }
            else a.mov(r, Mem.of(RSP));
        }

        /** Marks a pushed Symbol literal, which names the import of {@code Intrinsics win64: #F ...}. */
        static final String SYMBOL = "\0#";

        String symbolLiteral(int index) {
            List<Literal> lits = code.literals();
            return index < lits.size() && lits.get(index) instanceof Literal.Sym sym ? SYMBOL + sym.value() : null;
        }

        String globalName(int index) {
            List<Literal> lits = code.literals();
            return index < lits.size() && lits.get(index) instanceof Literal.Binding b && b.owner() == null ? b.name() : null;
        }

        /** The static target of a send whose receiver is a leaf class (or self in its class-side method). */
        HeapImage.StaticTarget staticTarget(String receiver, String selector) {
            if (receiver == null) return null;
            if (receiver.equals(SELF)) return info.meta() ? image.staticClassSend(info.className(), selector) : null;
            return image.staticClassSend(receiver, selector);
        }

        void conditionalJump(Instruction i) {
            boolean onTrue = i.op() == Opcode.JUMP_IF_TRUE;
            Label target = labels.get(i.target());
            Label notBoolean = a.newLabel(), done = a.newLabel();
            a.pop(RAX);
            depth--;
            depthAt.putIfAbsent(i.target(), depth);
            a.movImm64(RCX, onTrue ? "heap:true" : "heap:false", 0);
            a.cmp(RAX, RCX);
            a.jcc(Cond.E, target);
            a.movImm64(RCX, onTrue ? "heap:false" : "heap:true", 0);
            a.cmp(RAX, RCX);
            a.jcc(Cond.NE, notBoolean);
            a.bind(done);
            int savedDepth = depth;
            int cell = currentSite;
            outOfLine.add(() -> {
                a.bind(notBoolean);
                a.push(RAX);
                sendSite("mustBeBoolean", 0, false, cell);
                a.add(RSP, 8);
                a.jmp(done);
            });
            depth = savedDepth;
        }

        // ---- sends ----

        void send(int selectorIndex, int argc, boolean isSuper) {
            Literal lit = selectorIndex < code.literals().size() ? code.literals().get(selectorIndex) : null;
            if (!(lit instanceof Literal.Sym sym)) { fail("send of a non-Symbol literal " + selectorIndex); return; }
            int receiverDepth = depth - argc - 1;
            String receiver = pushedAt(receiverDepth);
            HeapImage.StaticTarget target = isSuper ? null : staticTarget(receiver, sym.value());
            if (!isSuper && "Intrinsics".equals(receiver)) {
                Intrinsics.emit(this, sym.value(), argc);
            } else if (target != null) {
                // A static send: the receiver's class is known, so call the unchecked entry.
                a.mov(RAX, Mem.of(RSP, 8 * argc));
                a.movImm64(RCX, target.methodSymbol(), RuntimeSymbols.UNCHECKED_OFFSET);
                a.call(RCX);
                dropArgsKeepResult(argc);
            } else {
                sendSite(sym.value(), argc, isSuper);
                dropArgsKeepResult(argc);
            }
            depth = receiverDepth;
            setPushed(false);
        }

        /**
         * The send site of RUNTIME.md section 7, through this instruction's send-cache cell;
         * afterwards rax holds the result and the stack is unchanged.
         */
        void sendSite(String selector, int argc, boolean isSuper) { sendSite(selector, argc, isSuper, currentSite); }

        void sendSite(String selector, int argc, boolean isSuper, int cell) {
            if (cell < 0) fail("no send-cache cell for a send of #" + selector);
            if (isSuper && info.superclassOffset() < 0) fail("super send in a root class");
            a.mov(RAX, Mem.of(RSP, 8 * argc));
            a.movImm64(R10, "sym:" + selector, 0);
            a.movImm64(RDX, "cache:" + methodSymbol(), 0);
            a.lea(RDX, Mem.of(RDX, Layout.slotOffset(2 * cell)));
            if (!isSuper) {
                a.mov(R11, Mem.of(RDX));
                a.sar(R11, 1);
            }
            a.call(Mem.of(RDX, 8));
        }

        /** The symbol of the method this code belongs to (its own, or its home method's for a block). */
        String methodSymbol() { return methodSymbols.get(methodObject()); }

        int methodObject() {
            if (!block) return info.objectOffset();
            long outer = image.longAt(info.objectOffset() + Layout.slotOffset(Layout.CB_OUTER));
            return (int) outer;
        }

        void dropArgsKeepResult(int argc) {
            if (argc > 0) a.add(RSP, 8L * argc);
            a.mov(Mem.of(RSP), RAX);
        }

        void special(int index) {
            SpecialSelector s = SpecialSelector.of(index);
            if (s == null) { fail("unknown special selector " + index); return; }
            int receiverDepth = depth - s.argc - 1;
            if ("Intrinsics".equals(pushedAt(receiverDepth))) {
                Intrinsics.emit(this, s.selector, s.argc);
                depth = receiverDepth;
                setPushed(false);
                return;
            }
            switch (s) {
                case IDENTICAL, NOT_IDENTICAL -> {
                    a.pop(RDX);
                    a.mov(RAX, Mem.of(RSP));
                    a.cmp(RAX, RDX);
                    booleanFromFlags(s == SpecialSelector.IDENTICAL ? Cond.E : Cond.NE);
                    a.mov(Mem.of(RSP), RAX);
                }
                case IS_NIL, NOT_NIL -> {
                    a.mov(RAX, Mem.of(RSP));
                    a.movImm64(RDX, "heap:nil", 0);
                    a.cmp(RAX, RDX);
                    booleanFromFlags(s == SpecialSelector.IS_NIL ? Cond.E : Cond.NE);
                    a.mov(Mem.of(RSP), RAX);
                }
                case ADD, SUB, MUL, LT, GT, LE, GE, EQ, NE, BIT_AND, BIT_OR -> arithmetic(s);
                case DIV -> divide(s);
                case AT, AT_PUT, SIZE -> indexed(s);
                default -> {
                    sendSite(s.selector, s.argc, false);
                    dropArgsKeepResult(s.argc);
                }
            }
            depth = receiverDepth;
            setPushed(false);
        }

        /** rax := true when {@code c} holds, else false. */
        void booleanFromFlags(Cond c) {
            a.movImm64(RAX, "heap:false", 0);
            a.movImm64(RCX, "heap:true", 0);
            a.cmov(c, RAX, RCX);
        }

        /**
         * rax := the receiver, rdx := the argument of a binary special send (both stay on the
         * operand stack); to {@code notBoth} unless both are SmallIntegers.
         */
        void loadOperandsUnlessSmallIntegers(Label notBoth) {
            a.mov(RAX, Mem.of(RSP, 8));
            a.mov(RDX, Mem.of(RSP));
            a.mov(RCX, RAX);
            a.and(RCX, RDX);
            a.test(Width.BYTE, RCX, 1);
            a.jcc(Cond.E, notBoth);
        }

        /** The inline SmallInteger fast path; anything else (or an overflow) takes the send. */
        void arithmetic(SpecialSelector s) {
            Label slow = a.newLabel(), done = a.newLabel();
            loadOperandsUnlessSmallIntegers(slow);
            switch (s) {
                case ADD -> { a.mov(RCX, RAX); a.sub(RCX, 1); a.add(RCX, RDX); a.jcc(Cond.O, slow); }
                case SUB -> { a.mov(RCX, RAX); a.sub(RCX, RDX); a.jcc(Cond.O, slow); a.add(RCX, 1); }
                case MUL -> {
                    a.mov(RCX, RAX); a.sar(RCX, 1);
                    a.mov(R8, RDX); a.sub(R8, 1);
                    a.imul(RCX, R8); a.jcc(Cond.O, slow);
                    a.or(RCX, 1);
                }
                case BIT_AND -> { a.mov(RCX, RAX); a.and(RCX, RDX); }
                case BIT_OR -> { a.mov(RCX, RAX); a.or(RCX, RDX); }
                default -> {
                    Cond c = switch (s) {
                        case LT -> Cond.L; case GT -> Cond.G; case LE -> Cond.LE; case GE -> Cond.GE;
                        case EQ -> Cond.E; case NE -> Cond.NE; default -> throw new IllegalStateException();
                    };
                    a.cmp(RAX, RDX);
                    a.movImm64(RCX, "heap:false", 0);
                    a.movImm64(R8, "heap:true", 0);
                    a.cmov(c, RCX, R8);
                }
            }
            a.add(RSP, 8);
            a.mov(Mem.of(RSP), RCX);
            a.bind(done);
            int cell = currentSite;
            FloatPath floats = floatPath(s);
            outOfLine.add(() -> {
                a.bind(slow);
                Label send = a.newLabel();
                if (floats != null) floats.emit(send, () -> { dropArgsKeepResult(1); a.jmp(done); });
                a.bind(send);
                sendSite(s.selector, 1, false, cell);
                dropArgsKeepResult(1);
                a.jmp(done);
            });
        }

        // ---- compare and branch ----

        /**
         * Whether a comparison special selector is immediately consumed by a conditional jump
         * that no other jump targets: then the SmallInteger case branches on the flags and
         * true/false is never materialised.
         */
        boolean fusesWithJump(Instruction i, Instruction next) {
            if (i.op() != Opcode.SEND_SPECIAL || next == null) return false;
            if (next.op() != Opcode.JUMP_IF_TRUE && next.op() != Opcode.JUMP_IF_FALSE) return false;
            if (labels.containsKey(next.pc())) return false;
            SpecialSelector s = SpecialSelector.of(i.a());
            if (s == null || compareCondition(s) == null) return false;
            return !"Intrinsics".equals(pushedAt(depth - 2));
        }

        /** The signed condition of a comparison special selector on two SmallIntegers, or null. */
        static Cond compareCondition(SpecialSelector s) {
            return switch (s) {
                case LT -> Cond.L; case GT -> Cond.G; case LE -> Cond.LE; case GE -> Cond.GE;
                case EQ -> Cond.E; case NE -> Cond.NE;
                default -> null;
            };
        }

        /**
         * A comparison followed by jump_if_true/false: two SmallIntegers compare and branch
         * inline (tagged values order like their values). Anything else takes the Float fast path
         * or the send (the comparison's cell), and the Boolean it answers is tested as
         * conditionalJump does (a non-Boolean sends #mustBeBoolean through the jump's cell).
         */
        void compareAndBranch(Instruction compare, Instruction jump, int compareCell, int jumpCell) {
            SpecialSelector s = SpecialSelector.of(compare.a());
            boolean onTrue = jump.op() == Opcode.JUMP_IF_TRUE;
            Cond c = compareCondition(s);
            if (jump.target() <= jump.pc()) stackCheck(); // a loop back edge: an interrupt point
            Label target = labels.get(jump.target());
            Label slow = a.newLabel(), fallThrough = a.newLabel();
            loadOperandsUnlessSmallIntegers(slow);
            a.add(RSP, 16);
            depth -= 2;
            depthAt.putIfAbsent(jump.target(), depth);
            a.cmp(RAX, RDX);
            a.jcc(onTrue ? c : c.negate(), target);
            a.bind(fallThrough);
            FloatPath floats = floatPath(s);
            outOfLine.add(() -> {
                Label send = a.newLabel(), answered = a.newLabel(), notBoolean = a.newLabel();
                a.bind(slow);
                if (floats != null) floats.emit(send, () -> a.jmp(answered));
                a.bind(send);
                sendSite(s.selector, 1, false, compareCell);
                a.bind(answered);
                a.add(RSP, 16);
                a.movImm64(RCX, onTrue ? "heap:true" : "heap:false", 0);
                a.cmp(RAX, RCX);
                a.jcc(Cond.E, target);
                a.movImm64(RCX, onTrue ? "heap:false" : "heap:true", 0);
                a.cmp(RAX, RCX);
                a.jcc(Cond.E, fallThrough);
                a.bind(notBoolean);
                a.push(RAX);
                sendSite("mustBeBoolean", 0, false, jumpCell);
                a.add(RSP, 8);
                a.jmp(fallThrough);
            });
        }

        // ---- the Float fast path ----

        /** The primitive of Float's method for each selector of the fast path, as the kernel defines it. */
        static final Map<SpecialSelector, String> FLOAT_PRIMITIVES = Map.of(
                SpecialSelector.ADD, "floatAdd", SpecialSelector.SUB, "floatSub", SpecialSelector.MUL, "floatMul",
                SpecialSelector.DIV, "floatDiv", SpecialSelector.LT, "floatLess", SpecialSelector.GT, "floatGreater",
                SpecialSelector.LE, "floatLessEq", SpecialSelector.GE, "floatGreaterEq", SpecialSelector.EQ, "floatEq",
                SpecialSelector.NE, "floatNotEq");

        /**
         * The Float fast path of a special selector, or null unless Floats run a method
         * {@code Float>>selector} with the kernel's primitive for it (a program that redefines it
         * gets ordinary sends).
         */
        FloatPath floatPath(SpecialSelector s) {
            String primitive = FLOAT_PRIMITIVES.get(s);
            if (primitive == null) return null;
            String sel = s.selector;
            if (!runsKernel("Float", sel, "Float>>" + sel)) return null;
            CodeInfo method = image.method("Float>>" + sel);
            if (method == null || !primitive.equals(method.primitive())) return null;
            // SmallInteger receivers with a Float argument: SmallInteger>>op answers self asFloat op arg.
            CodeInfo integerMethod = image.method("SmallInteger>>" + sel);
            boolean mixed = s != SpecialSelector.DIV
                    && runsKernel("SmallInteger", sel, "SmallInteger>>" + sel, "asFloat", "SmallInteger>>asFloat", "isFloat", "Object>>isFloat")
                    && runsKernel("Float", "isFloat", "Float>>isFloat")
                    && integerMethod != null && integerMethod.primitive() != null && integerMethod.primitive().startsWith("int");
            return new FloatPath(s, mixed);
        }

        /** The low 32 bits of every Float's header: class index, format 16 (8 bytes), no GC bits. */
        static final long FLOAT_HEADER_LOW = ObjectModel.header(ClassIndex.FLOAT, ObjectModel.byteFormat(8), 0, 1) & 0xFFFF_FFFFL;

        /**
         * The inline Float arithmetic and comparisons of a send site (docs/RUNTIME.md, section 7):
         * exactly what the floatAdd... floatNotEq primitives compute, without the send, the frame
         * and the primitive's checks of its own receiver.
         */
        final class FloatPath {
            final SpecialSelector s;
            final boolean mixed;

            FloatPath(SpecialSelector s, boolean mixed) {
                this.s = s;
                this.mixed = mixed;
            }

            /**
             * With the receiver in rax and the argument in rdx (both still on the operand stack):
             * when the receiver is a Float and the argument a Float or a SmallInteger of at most
             * 53 bits (or, when mixed, the receiver a SmallInteger and the argument a Float),
             * leaves the result in rax (a new Float, or a Boolean) and runs {@code success};
             * otherwise jumps to {@code send} (division by zero, a full young space, anything
             * else), where the ordinary send finds the operands where they were. Nothing here can
             * collect: the result is bump-allocated or the send is taken.
             */
            void emit(Label send, Runnable success) {
                Label receiverImmediate = a.newLabel(), argumentImmediate = a.newLabel(), operate = a.newLabel();
                a.test(Width.BYTE, RAX, ObjectModel.TAG_MASK);
                a.jcc(Cond.NE, mixed ? receiverImmediate : send);
                a.cmp(Width.DWORD, Mem.of(RAX), FLOAT_HEADER_LOW);
                a.jcc(Cond.NE, send);
                a.movsd(Xmm.XMM0, Mem.of(RAX, 8));
                a.test(Width.BYTE, RDX, ObjectModel.TAG_MASK);
                a.jcc(Cond.NE, argumentImmediate);
                a.cmp(Width.DWORD, Mem.of(RDX), FLOAT_HEADER_LOW);
                a.jcc(Cond.NE, send);
                a.movsd(Xmm.XMM1, Mem.of(RDX, 8));
                a.bind(operate);
                operation(send);
                success.run();
                // a Float receiver, an immediate argument: a SmallInteger of at most 53 bits
                a.bind(argumentImmediate);
                a.test(Width.BYTE, RDX, 1);
                a.jcc(Cond.E, send);
                MethodPrimitive.jumpUnlessExactDouble(a, RDX, send);
                a.mov(RCX, RDX);
                a.sar(RCX, 1);
                a.cvtsi2sd(Xmm.XMM1, RCX);
                a.jmp(operate);
                if (mixed) {
                    // an immediate receiver: a SmallInteger (any: asFloat rounds), a Float argument
                    a.bind(receiverImmediate);
                    a.test(Width.BYTE, RAX, 1);
                    a.jcc(Cond.E, send);
                    a.test(Width.BYTE, RDX, ObjectModel.TAG_MASK);
                    a.jcc(Cond.NE, send);
                    a.cmp(Width.DWORD, Mem.of(RDX), FLOAT_HEADER_LOW);
                    a.jcc(Cond.NE, send);
                    a.mov(RCX, RAX);
                    a.sar(RCX, 1);
                    a.cvtsi2sd(Xmm.XMM0, RCX);
                    a.movsd(Xmm.XMM1, Mem.of(RDX, 8));
                    a.jmp(operate);
                }
            }

            /** xmm0 op xmm1 into rax, as the primitives compute it (MethodPrimitive.floatPrimitive). */
            void operation(Label send) {
                switch (s) {
                    case ADD, SUB, MUL, DIV -> {
                        switch (s) {
                            case ADD -> a.addsd(Xmm.XMM0, Xmm.XMM1);
                            case SUB -> a.subsd(Xmm.XMM0, Xmm.XMM1);
                            case MUL -> a.mulsd(Xmm.XMM0, Xmm.XMM1);
                            default -> {
                                // a zero divisor of either sign: the send signals ZeroDivide
                                a.movq(RCX, Xmm.XMM1);
                                a.shl(RCX, 1);
                                a.jcc(Cond.E, send);
                                a.divsd(Xmm.XMM0, Xmm.XMM1);
                            }
                        }
                        allocate(ClassIndex.FLOAT, ObjectModel.byteFormat(8), 1, send);
                        a.movsd(Mem.of(RAX, 8), Xmm.XMM0);
                    }
                    // ucomisd marks an unordered (NaN) pair with ZF = PF = CF = 1: "above" and
                    // "above or equal" are false for it, = and ~= test PF explicitly.
                    case LT -> { a.ucomisd(Xmm.XMM1, Xmm.XMM0); booleanFromFlags(Cond.A); }
                    case GT -> { a.ucomisd(Xmm.XMM0, Xmm.XMM1); booleanFromFlags(Cond.A); }
                    case LE -> { a.ucomisd(Xmm.XMM1, Xmm.XMM0); booleanFromFlags(Cond.AE); }
                    case GE -> { a.ucomisd(Xmm.XMM0, Xmm.XMM1); booleanFromFlags(Cond.AE); }
                    case EQ -> {
                        a.ucomisd(Xmm.XMM0, Xmm.XMM1);
                        booleanFromFlags(Cond.E);
                        a.movImm64(RCX, "heap:false", 0);
                        a.cmov(Cond.P, RAX, RCX);
                    }
                    case NE -> {
                        a.ucomisd(Xmm.XMM0, Xmm.XMM1);
                        booleanFromFlags(Cond.NE);
                        a.movImm64(RCX, "heap:true", 0);
                        a.cmov(Cond.P, RAX, RCX);
                    }
                    default -> throw new IllegalStateException(s.toString());
                }
            }
        }

        /** The division special selector: no SmallInteger fast path (its results are Fractions), the Float one. */
        void divide(SpecialSelector s) {
            FloatPath floats = floatPath(s);
            if (floats == null) {
                sendSite(s.selector, 1, false);
                dropArgsKeepResult(1);
                return;
            }
            Label send = a.newLabel(), done = a.newLabel();
            a.mov(RAX, Mem.of(RSP, 8));
            a.mov(RDX, Mem.of(RSP));
            floats.emit(send, () -> { dropArgsKeepResult(1); a.jmp(done); });
            a.bind(send);
            sendSite(s.selector, 1, false);
            dropArgsKeepResult(1);
            a.bind(done);
        }

        // ---- at:, at:put:, size ----

        /** Whether instances of the class run exactly these kernel methods for these selectors. */
        boolean runsKernel(String className, String... selectorsAndMethods) {
            for (int i = 0; i < selectorsAndMethods.length; i += 2)
                if (!selectorsAndMethods[i + 1].equals(image.instanceMethod(className, selectorsAndMethods[i]))) return false;
            return true;
        }

        /**
         * at:, at:put: and size inline for receivers whose class index is exactly Array, String or
         * Symbol (at:, size) or ByteArray (size), while those classes run the kernel's methods:
         * a tag and class test, a bounds check, one load or store. Anything else (another class,
         * a bad index or value) takes the ordinary send, whose methods report the errors.
         */
        void indexed(SpecialSelector s) {
            boolean array, string, symbol, bytes;
            switch (s) {
                case AT -> {
                    array = runsKernel("Array", "at:", "Object>>at:", "basicAt:", "Object>>basicAt:");
                    string = runsKernel("String", "at:", "String>>at:", "basicAt:", "Object>>basicAt:");
                    symbol = runsKernel("Symbol", "at:", "String>>at:", "basicAt:", "Object>>basicAt:");
                    bytes = false;
                }
                case AT_PUT -> {
                    array = runsKernel("Array", "at:put:", "Object>>at:put:", "basicAt:put:", "Object>>basicAt:put:");
                    string = runsKernel("String", "at:put:", "String>>at:put:", "basicAt:put:", "Object>>basicAt:put:");
                    symbol = false;
                    bytes = false;
                }
                default -> {
                    array = runsKernel("Array", "size", "ArrayedCollection>>size", "basicSize", "Object>>basicSize");
                    string = runsKernel("String", "size", "ArrayedCollection>>size", "basicSize", "Object>>basicSize");
                    symbol = runsKernel("Symbol", "size", "ArrayedCollection>>size", "basicSize", "Object>>basicSize");
                    bytes = runsKernel("ByteArray", "size", "ArrayedCollection>>size", "basicSize", "Object>>basicSize");
                }
            }
            if (!(array || string || symbol || bytes)) {
                sendSite(s.selector, s.argc, false);
                dropArgsKeepResult(s.argc);
                return;
            }
            Label slow = a.newLabel(), done = a.newLabel(), pointers = a.newLabel(), byteObject = a.newLabel();
            a.mov(RAX, Mem.of(RSP, 8 * s.argc));
            a.test(Width.BYTE, RAX, 7);
            a.jcc(Cond.NE, slow);
            a.mov(Width.DWORD, RCX, Mem.of(RAX));
            a.and(Width.DWORD, RCX, (int) ObjectModel.CLASS_INDEX_MASK);
            if (array) { a.cmp(Width.DWORD, RCX, ClassIndex.ARRAY); a.jcc(Cond.E, pointers); }
            if (string) { a.cmp(Width.DWORD, RCX, ClassIndex.STRING); a.jcc(Cond.E, byteObject); }
            if (symbol) { a.cmp(Width.DWORD, RCX, ClassIndex.SYMBOL); a.jcc(Cond.E, byteObject); }
            if (bytes) { a.cmp(Width.DWORD, RCX, ClassIndex.BYTE_ARRAY); a.jcc(Cond.E, byteObject); }
            a.jmp(slow);
            // pointers: Array has no named slots, element i is slot i - 1
            if (array) {
                a.bind(pointers);
                slotCount(RCX);
                if (s == SpecialSelector.SIZE) {
                    a.lea(RCX, Mem.of(RCX, RCX, 1, 1));
                } else {
                    index(s, slow);
                    if (s == SpecialSelector.AT) {
                        a.mov(RCX, Mem.of(RAX, R9, 8, 0));
                    } else {
                        a.mov(RCX, Mem.of(RSP));
                        a.mov(Mem.of(RAX, R9, 8, 0), RCX);
                        writeBarrier(RAX, RCX);
                    }
                }
                a.jmp(done);
            }
            if (string || symbol || bytes) {
                a.bind(byteObject);
                slotCount(RCX);
                a.shl(RCX, 3);
                a.movzx(R8, Width.BYTE, Mem.of(RAX, 3));
                a.and(Width.DWORD, R8, 7);
                a.sub(RCX, R8);
                if (s == SpecialSelector.SIZE) {
                    a.lea(RCX, Mem.of(RCX, RCX, 1, 1));
                } else {
                    index(s, slow);
                    if (s == SpecialSelector.AT) {
                        a.movzx(RCX, Width.BYTE, Mem.of(RAX, R9, 1, 7));
                        a.shl(RCX, 3);
                        a.or(RCX, (int) ObjectModel.CHARACTER_TAG);
                    } else {
                        // a Character of code 0..255
                        a.mov(RCX, Mem.of(RSP));
                        a.mov(R8, RCX);
                        a.and(R8, (int) ObjectModel.TAG_MASK);
                        a.cmp(R8, (int) ObjectModel.CHARACTER_TAG);
                        a.jcc(Cond.NE, slow);
                        a.mov(R8, RCX);
                        a.shr(R8, 3);
                        a.cmp(R8, 255);
                        a.jcc(Cond.A, slow);
                        a.mov(Width.BYTE, Mem.of(RAX, R9, 1, 7), R8);
                    }
                }
            }
            a.bind(done);
            if (s.argc > 0) a.add(RSP, 8L * s.argc);
            a.mov(Mem.of(RSP), RCX);
            Label after = a.newLabel();
            a.bind(after);
            int cell = currentSite;
            outOfLine.add(() -> {
                a.bind(slow);
                sendSite(s.selector, s.argc, false, cell);
                dropArgsKeepResult(s.argc);
                a.jmp(after);
            });
        }

        /** rcx := the slot count of the heap object in rax (the overflow word when it is 255). */
        void slotCount(Reg dst) {
            Label counted = a.newLabel();
            a.movzx(dst, Width.BYTE, Mem.of(RAX, 7));
            a.cmp(Width.DWORD, dst, ObjectModel.OVERFLOW_SLOTS);
            a.jcc(Cond.NE, counted);
            a.mov(dst, Mem.of(RAX, -8));
            a.shl(dst, 8);
            a.shr(dst, 8);
            a.bind(counted);
        }

        /** r9 := the index argument of at: / at:put: untagged, checked against the size in rcx. */
        void index(SpecialSelector s, Label slow) {
            a.mov(R9, Mem.of(RSP, 8 * (s.argc - 1)));
            a.test(Width.BYTE, R9, 1);
            a.jcc(Cond.E, slow);
            a.sar(R9, 1);
            a.cmp(R9, 1);
            a.jcc(Cond.L, slow);
            a.cmp(R9, RCX);
            a.jcc(Cond.G, slow);
        }

        // ---- blocks ----

        void pushClosure(int literalIndex, int copied) {
            Literal lit = literalIndex < code.literals().size() ? code.literals().get(literalIndex) : null;
            if (!(lit instanceof Literal.Block b)) { fail("push_closure of a non-block literal " + literalIndex); return; }
            CodeInfo blockInfo = literal(literalIndex) instanceof LiteralRef.Object o ? image.codeAt(o.offset()) : null;
            if (blockInfo == null) fail("block literal " + literalIndex + " is not in the image");
            if (b.code().numCopied() != copied) fail("push_closure copies " + copied + " values, the block expects " + b.code().numCopied());
            Label start = a.newLabel(blockInfo.symbol());
            pending.add(new Pending(blockInfo, start));
            allocate(ClassIndex.BLOCK_CLOSURE, ObjectModel.FORMAT_POINTERS, Layout.BC_COPIED + copied);
            loadLiteral(RCX, literalIndex);
            a.mov(Mem.of(RAX, Layout.slotOffset(Layout.BC_BLOCK)), RCX);
            a.mov(RCX, self());
            a.mov(Mem.of(RAX, Layout.slotOffset(Layout.BC_RECEIVER)), RCX);
            if (b.code().is(CodeDef.HAS_NONLOCAL_RETURN)) {
                if (block) {
                    a.mov(RCX, Mem.of(RBP, -8));
                    a.mov(RCX, Mem.of(RCX, Layout.slotOffset(Layout.BC_HOME)));
                } else {
                    a.lea(RCX, Mem.of(RBP, 0));
                    a.shl(RCX, 1);
                    a.or(RCX, 1);
                }
            } else {
                loadNil(RCX);
            }
            a.mov(Mem.of(RAX, Layout.slotOffset(Layout.BC_HOME)), RCX);
            a.mov(RCX, ObjectModel.smallInt(b.code().numArgs()));
            a.mov(Mem.of(RAX, Layout.slotOffset(Layout.BC_NUM_ARGS)), RCX);
            for (int k = 0; k < copied; k++) {
                a.mov(RCX, Mem.of(RSP, 8 * (copied - 1 - k)));
                a.mov(Mem.of(RAX, Layout.slotOffset(Layout.BC_COPIED + k)), RCX);
            }
            if (copied > 0) a.add(RSP, 8L * copied);
            depth -= copied;
            a.push(RAX);
            setPushed(false);
        }

        void nonLocalReturn() {
            if (!block) { returnValueInRax(); return; }
            // rax = the value; the stub finds the home frame from the closure in [rbp-8].
            a.mov(RDX, Mem.of(RBP, -8));
            a.jmp(RuntimeSymbols.NON_LOCAL_RETURN);
        }

        // ---- the write barrier ----

        /**
         * The generational write barrier (docs/RUNTIME.md, section 12), to follow every store of
         * {@code value} into a slot of the heap object {@code object}; every store path calls it.
         * Inline: nothing to do when the value is an immediate or the object is young. Out of
         * line: nothing when the value is not young or the object is already remembered, else
         * stub:remember (object in rdx) records it. Clobbers rdx and the flags only.
         */
        void writeBarrier(Reg object, Reg value) {
            Label done = a.newLabel(), oldObject = a.newLabel();
            a.test(Width.BYTE, value, ObjectModel.TAG_MASK);
            a.jcc(Cond.NE, done);
            a.mov(RDX, object);
            a.sub(RDX, Mem.of(R15, Globals.YOUNG_START));
            a.cmp(RDX, Mem.of(R15, Globals.YOUNG_SIZE));
            a.jcc(Cond.AE, oldObject);
            a.bind(done);
            outOfLine.add(() -> {
                a.bind(oldObject);
                a.mov(RDX, value);
                a.sub(RDX, Mem.of(R15, Globals.YOUNG_START));
                a.cmp(RDX, Mem.of(R15, Globals.YOUNG_SIZE));
                a.jcc(Cond.AE, done);
                a.test(Width.DWORD, Mem.of(object), 1L << ObjectModel.REMEMBERED_BIT);
                a.jcc(Cond.NE, done);
                a.mov(RDX, object);
                a.call(RuntimeSymbols.REMEMBER);
                a.jmp(done);
            });
        }

        /**
         * After a block copy of oops into {@code object} (the replaceFrom:to:with:startingAt:
         * template), any of its slots may now hold a young object: an old object is remembered
         * unless it already is. Clobbers rdx and the flags only.
         */
        void rememberIfOld(Reg object) {
            Label done = a.newLabel();
            a.mov(RDX, object);
            a.sub(RDX, Mem.of(R15, Globals.YOUNG_START));
            a.cmp(RDX, Mem.of(R15, Globals.YOUNG_SIZE));
            a.jcc(Cond.B, done);
            a.test(Width.DWORD, Mem.of(object), 1L << ObjectModel.REMEMBERED_BIT);
            a.jcc(Cond.NE, done);
            a.mov(RDX, object);
            a.call(RuntimeSymbols.REMEMBER);
            a.bind(done);
        }

        // ---- allocation ----

        /**
         * Bump-allocates an object with {@code slots} slots into rax, header written, slots
         * uninitialised. The slow path (the stub) collects garbage; every live value is on the
         * stack, so nothing in registers survives it but rax.
         */
        void allocate(int classIndex, int format, int slots) { allocate(classIndex, format, slots, null); }

        /**
         * As {@link #allocate(int, int, int)}, but when young space has no room it jumps to
         * {@code full} (rax, rdx clobbered) instead of collecting: for fast paths whose fallback
         * is an ordinary send, so that nothing they hold in registers has to survive a collection.
         * Under GC torture the limit is always reached, so such paths always fall back.
         */
        void allocate(int classIndex, int format, int slots, Label full) {
            if (slots >= ObjectModel.OVERFLOW_SLOTS) fail("inline allocation of " + slots + " slots");
            int bytes = ObjectModel.objectBytes(slots);
            Label slow = full != null ? full : a.newLabel(), done = a.newLabel();
            a.mov(RAX, Mem.of(R15, Globals.ALLOC_PTR));
            a.lea(RDX, Mem.of(RAX, bytes));
            a.cmp(RDX, Mem.of(R15, Globals.ALLOC_LIMIT));
            a.jcc(Cond.A, slow);
            a.mov(Mem.of(R15, Globals.ALLOC_PTR), RDX);
            a.bind(done);
            // identity hash: the allocation address folded into the hash field
            a.mov(RCX, RAX);
            a.shl(RCX, ObjectModel.HASH_SHIFT - 3);
            a.movImm64(RDX, ObjectModel.HASH_MASK << ObjectModel.HASH_SHIFT);
            a.and(RCX, RDX);
            a.movImm64(RDX, ObjectModel.header(classIndex, format, 0, slots));
            a.or(RCX, RDX);
            a.mov(Mem.of(RAX), RCX);
            if (full != null) return;
            outOfLine.add(() -> {
                a.bind(slow);
                a.mov(RCX, bytes);
                a.call(RuntimeSymbols.ALLOC_SLOW);
                a.jmp(done);
            });
        }
    }

}
