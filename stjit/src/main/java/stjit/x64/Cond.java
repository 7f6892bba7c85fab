package stjit.x64;

/** Condition codes, in hardware encoding order (the low nibble of Jcc/SETcc/CMOVcc). Names follow
 *  objdump: B/AE/BE/A are the unsigned comparisons, L/GE/LE/G the signed ones, E/NE also mean
 *  zero/not zero. */
public enum Cond {
    O, NO, B, AE, E, NE, BE, A, S, NS, P, NP, L, GE, LE, G;

    private static final Cond[] ALL = values();

    public int code() { return ordinal(); }

    /** The condition that holds exactly when this one does not. */
    public Cond negate() { return ALL[ordinal() ^ 1]; }

    /** Lower-case suffix used in mnemonics: "e" as in je/sete/cmove. */
    public String suffix() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static Cond of(int code) { return ALL[code & 15]; }
}
