package st.bytecode;

import java.util.HashMap;
import java.util.Map;

/**
 * Selectors sent with the one-operand {@link Opcode#SEND_SPECIAL}. The index is the operand. The
 * nativizer emits inline fast paths for the SmallInteger arithmetic and comparisons and for
 * {@code ==}; the rest are ordinary sends that need no selector literal.
 */
public enum SpecialSelector {
    ADD("+", 1), SUB("-", 1), LT("<", 1), GT(">", 1), LE("<=", 1), GE(">=", 1), EQ("=", 1), NE("~=", 1),
    MUL("*", 1), DIV("/", 1), MOD("\\\\", 1), IDIV("//", 1), BIT_AND("bitAnd:", 1), BIT_OR("bitOr:", 1),
    BIT_XOR("bitXor:", 1), BIT_SHIFT("bitShift:", 1),
    IDENTICAL("==", 1), NOT_IDENTICAL("~~", 1), CLASS("class", 0),
    AT("at:", 1), AT_PUT("at:put:", 2), SIZE("size", 0),
    VALUE("value", 0), VALUE_1("value:", 1), VALUE_2("value:value:", 2),
    IS_NIL("isNil", 0), NOT_NIL("notNil", 0), NEW("new", 0), NEW_1("new:", 1), POINT("@", 1);

    public final String selector;
    public final int argc;

    private static final Map<String, SpecialSelector> BY_SELECTOR = new HashMap<>();
    static {
        for (SpecialSelector s : values()) BY_SELECTOR.put(s.selector, s);
    }

    SpecialSelector(String selector, int argc) {
        this.selector = selector;
        this.argc = argc;
    }

    /** The special selector for a selector string, or null. */
    public static SpecialSelector of(String selector) { return BY_SELECTOR.get(selector); }

    public static SpecialSelector of(int index) {
        SpecialSelector[] all = values();
        return index >= 0 && index < all.length ? all[index] : null;
    }
}
