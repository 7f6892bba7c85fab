package strun;

import java.math.BigInteger;
import java.util.Random;

/**
 * Random well-formed Smalltalk programs whose every printed value is also computed here, in Java:
 * integer expressions (SmallIntegers and LargeIntegers, floored and truncated division), blocks,
 * non-local returns, conditionals, collections (Array, OrderedCollection, Interval, inject:into:,
 * collect:, detect:), strings, and exceptions caught with on:do: and ensure:. The same seed gives
 * the same program. {@link #program()} answers the source; {@link #expectedOutput()} what it prints.
 */
final class ProgramGenerator {
    private final Random random;
    private final StringBuilder expected = new StringBuilder();
    private final int statements;

    ProgramGenerator(long seed, int statements) {
        this.random = new Random(seed);
        this.statements = statements;
    }

    /** An expression and its value. */
    record Expr(String text, BigInteger value) {}

    String program() {
        StringBuilder p = new StringBuilder();
        p.append("Object subclass: #Fuzz\n\tinstanceVariableNames: ''\n\tclassVariableNames: ''\n\tpackage: 'Fuzz'!\n\n");
        p.append("!Fuzz class methodsFor: 'fuzz'!\n");
        p.append("firstOver: limit in: aCollection\n\taCollection do: [:each | each > limit ifTrue: [^each]].\n\t^0!\n");
        p.append("twice: aBlock\n\t^(aBlock value: 1) + (aBlock value: 2)!\n");
        p.append("escape: x\n\t#(1 2 3) do: [:i | i = 2 ifTrue: [^x + i]].\n\t^x! !\n\n");
        for (int i = 0; i < statements; i++) {
            Expr e = expr(4);
            p.append("Transcript show: (").append(e.text).append(") printString; cr.\n");
            expected.append(e.value).append('\n');
        }
        p.append("Transcript show: 'done'; cr!\n");
        expected.append("done\n");
        return p.toString();
    }

    String expectedOutput() { return expected.toString(); }

    private Expr expr(int depth) {
        if (depth <= 0) return literal();
        int choice = random.nextInt(24);
        switch (choice) {
            case 0, 1: return literal();
            case 2: { Expr a = expr(depth - 1), b = expr(depth - 1); return bin(a, "+", b, a.value.add(b.value)); }
            case 3: { Expr a = expr(depth - 1), b = expr(depth - 1); return bin(a, "-", b, a.value.subtract(b.value)); }
            case 4: { Expr a = expr(depth - 1), b = expr(depth - 2); return bin(a, "*", b, a.value.multiply(b.value)); }
            case 5: {
                Expr a = expr(depth - 1), d = nonZeroLiteral();
                BigInteger[] qr = floored(a.value, d.value);
                return random.nextBoolean() ? bin(a, "//", d, qr[0]) : bin(a, "\\\\", d, qr[1]);
            }
            case 6: {
                Expr a = expr(depth - 1), d = nonZeroLiteral();
                return random.nextBoolean() ? bin(a, "quo:", d, a.value.divide(d.value)) : bin(a, "rem:", d, a.value.remainder(d.value));
            }
            case 7: { Expr a = expr(depth - 1), b = expr(depth - 1);
                return random.nextBoolean() ? bin(a, "max:", b, a.value.max(b.value)) : bin(a, "min:", b, a.value.min(b.value)); }
            case 8: { Expr a = expr(depth - 1);
                return random.nextBoolean() ? new Expr(paren(a) + " abs", a.value.abs()) : new Expr(paren(a) + " negated", a.value.negate()); }
            case 9: {
                Expr a = expr(depth - 1), k = literal(), j = literal();
                String x = fresh("x");
                return new Expr("[:" + x + " | " + x + " * " + k.text + " + " + j.text + "] value: " + paren(a),
                        a.value.multiply(k.value).add(j.value));
            }
            case 10: {
                Expr a = expr(depth - 1), b = expr(depth - 1), t = expr(depth - 1), f = expr(depth - 1);
                return new Expr(paren(a) + " < " + paren(b) + " ifTrue: [" + t.text + "] ifFalse: [" + f.text + "]",
                        a.value.compareTo(b.value) < 0 ? t.value : f.value);
            }
            case 11: {
                Expr a = expr(depth - 1), b = expr(depth - 1), c = expr(depth - 1);
                String sum = fresh("sum"), each = fresh("each");
                return new Expr("(Array with: " + paren(a) + " with: " + paren(b) + " with: " + paren(c)
                        + ") inject: 0 into: [:" + sum + " :" + each + " | " + sum + " + " + each + "]", a.value.add(b.value).add(c.value));
            }
            case 12: {
                int n = 1 + random.nextInt(20);
                Expr a = expr(depth - 1);
                BigInteger sum = BigInteger.ZERO;
                for (int i = 1; i <= n; i++) sum = sum.add(a.value.multiply(BigInteger.valueOf(i)));
                String i = fresh("i"), t = fresh("s"), e = fresh("e");
                return new Expr("((1 to: " + n + ") collect: [:" + i + " | " + i + " * " + paren(a) + "]) inject: 0 into: [:" + t
                        + " :" + e + " | " + t + " + " + e + "]", sum);
            }
            case 13: {
                Expr a = expr(depth - 1), b = expr(depth - 1);
                int pick = 1 + random.nextInt(2);
                return new Expr("(OrderedCollection new add: " + paren(a) + "; add: " + paren(b) + "; yourself) at: " + pick,
                        pick == 1 ? a.value : b.value);
            }
            case 14: {
                Expr a = expr(depth - 1);
                return new Expr(paren(a) + " printString size", BigInteger.valueOf(a.value.toString().length()));
            }
            case 15: {
                Expr a = expr(depth - 1), b = expr(depth - 1);
                return new Expr("('<' , " + paren(a) + " printString , '|' , " + paren(b) + " printString , '>') size",
                        BigInteger.valueOf(a.value.toString().length() + b.value.toString().length() + 3));
            }
            case 16: {
                Expr a = expr(depth - 1), b = expr(depth - 1);
                return new Expr("[" + paren(a) + " // 0] on: ZeroDivide do: [:" + fresh("e") + " | " + b.text + "]", b.value);
            }
            case 17: {
                String v;
                Expr a = expr(depth - 1), b = expr(depth - 1);
                return new Expr("[Error signal: 'fuzz'. " + a.text + "] on: Error do: [:" + (v = fresh("e")) + " | " + v + " return: " + paren(b) + "]", b.value);
            }
            case 18: {
                // the ensure block runs exactly once, after the protected block
                Expr a = expr(depth - 1);
                String c = fresh("c");
                return new Expr("[:" + c + " | ([" + a.text + "] ensure: [" + c + " add: 1]) + " + c + " size] value: OrderedCollection new",
                        a.value.add(BigInteger.ONE));
            }
            case 19: {
                Expr a = expr(depth - 1);
                return new Expr("Fuzz escape: " + paren(a), a.value.add(BigInteger.TWO));
            }
            case 20: {
                Expr a = expr(depth - 1), b = expr(depth - 1), c = expr(depth - 1), limit = expr(depth - 1);
                BigInteger v = a.value.compareTo(limit.value) > 0 ? a.value : b.value.compareTo(limit.value) > 0 ? b.value
                        : c.value.compareTo(limit.value) > 0 ? c.value : BigInteger.ZERO;
                return new Expr("Fuzz firstOver: " + paren(limit) + " in: (Array with: " + paren(a) + " with: " + paren(b)
                        + " with: " + paren(c) + ")", v);
            }
            case 21: {
                Expr k = literal();
                String i = fresh("i");
                return new Expr("Fuzz twice: [:" + i + " | " + i + " * " + k.text + "]", k.value.multiply(BigInteger.valueOf(3)));
            }
            case 22: {
                Expr a = expr(depth - 1), b = expr(depth - 1);
                // an exception signalled inside an ensure: inside a handler: the ensure block runs once,
                // as the handler's answer unwinds it
                String c = fresh("c");
                return new Expr("[:" + c + " | ([[ZeroDivide new signal. " + a.text + "] ensure: [" + c + " add: 2]] on: ZeroDivide do: [:"
                        + fresh("e") + " | " + b.text + "]) + " + c + " size] value: OrderedCollection new", b.value.add(BigInteger.ONE));
            }
            default: {
                int e = random.nextInt(100);
                Expr base = smallLiteral();
                return new Expr(paren(base) + " raisedTo: " + e, base.value.pow(e));
            }
        }
    }

    private int names;

    /** A block parameter name no enclosing block uses (shadowing would be warned about). */
    private String fresh(String base) { return base + ++names; }

    private static BigInteger[] floored(BigInteger a, BigInteger d) {
        BigInteger[] qr = a.divideAndRemainder(d);
        if (qr[1].signum() != 0 && qr[1].signum() != d.signum()) {
            qr[0] = qr[0].subtract(BigInteger.ONE);
            qr[1] = qr[1].add(d);
        }
        return qr;
    }

    private static Expr bin(Expr a, String op, Expr b, BigInteger v) { return new Expr(paren(a) + " " + op + " " + paren(b), v); }

    private static String paren(Expr e) { return "(" + e.text + ")"; }

    private Expr literal() {
        return switch (random.nextInt(6)) {
            case 0 -> smallLiteral();
            case 1 -> lit(BigInteger.valueOf(random.nextInt(2_000_001) - 1_000_000));
            case 2 -> lit(BigInteger.valueOf(random.nextLong() >> random.nextInt(64)));
            case 3 -> lit(BigInteger.ONE.shiftLeft(62).subtract(BigInteger.valueOf(random.nextInt(3))).negate()
                    .multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1))); // around the SmallInteger bounds
            case 4 -> lit(new BigInteger(40 + random.nextInt(200), random).multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1)));
            default -> lit(BigInteger.valueOf(random.nextInt(10)));
        };
    }

    private Expr smallLiteral() { return lit(BigInteger.valueOf(random.nextInt(21) - 10)); }

    private Expr nonZeroLiteral() {
        Expr e;
        do e = literal(); while (e.value.signum() == 0);
        return e;
    }

    private static Expr lit(BigInteger v) { return new Expr(v.toString(), v); }
}
