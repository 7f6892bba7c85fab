package stlink.link;

import java.util.List;

/** The link failed; every problem found is listed, each a one-line message. */
public final class LinkException extends RuntimeException {
    private final List<String> errors;

    public LinkException(List<String> errors) {
        super(String.join("\n", errors));
        this.errors = List.copyOf(errors);
    }

    public LinkException(String error) { this(List.of(error)); }

    public List<String> errors() { return errors; }
}
