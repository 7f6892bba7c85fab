package st.format.model;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/** A literal in a method's literal frame, or nested in a literal array. */
public sealed interface Literal {

    enum Constant implements Literal { NIL, TRUE, FALSE }

    /** Any integer: SmallInteger when it fits the tagged range, else a LargeInteger. */
    record Int(BigInteger value) implements Literal {
        public static Int of(long v) { return new Int(BigInteger.valueOf(v)); }
    }

    record Float(double value) implements Literal {
        @Override public boolean equals(Object o) {
            return o instanceof Float f && Double.doubleToRawLongBits(f.value) == Double.doubleToRawLongBits(value);
        }
        @Override public int hashCode() { return Long.hashCode(Double.doubleToRawLongBits(value)); }
    }

    /** {@code numerator/denominator} printed with {@code scale} digits after the point (1.5s2). */
    record ScaledDecimal(BigInteger numerator, BigInteger denominator, int scale) implements Literal {}

    record Char(int codePoint) implements Literal {}

    record Str(String value) implements Literal {}

    record Sym(String value) implements Literal {}

    record Bytes(byte[] value) implements Literal {
        @Override public boolean equals(Object o) { return o instanceof Bytes b && Arrays.equals(b.value, value); }
        @Override public int hashCode() { return Arrays.hashCode(value); }
        @Override public String toString() { return "Bytes" + Arrays.toString(value); }
    }

    record Array(List<Literal> elements) implements Literal {}

    /**
     * A variable binding: a global when {@code owner} is null, else a class variable of the class
     * {@code owner}. Resolved by name at link or load time.
     */
    record Binding(String owner, String name) implements Literal {}

    /** A block's compiled code, instantiated as a closure by {@code push_closure}. */
    record Block(CodeDef code) implements Literal {}
}
