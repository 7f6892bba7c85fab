package st.cli;

import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * What every tool shares: exit codes, the version string, and a picocli setup that reports usage
 * errors and failures as one-line messages instead of stack traces.
 */
public final class Tool {
    public static final int OK = 0;
    /** The input is wrong: a source error, a corrupt file, a missing import. */
    public static final int BAD_INPUT = 1;
    /** The command line is wrong. */
    public static final int USAGE = 2;

    public static final String VERSION = "0.1.0";

    private Tool() {}

    /** Failure with a message for the user; the tool exits with {@code code}. */
    public static final class Failure extends RuntimeException {
        public final int code;

        public Failure(String message) { this(BAD_INPUT, message); }

        public Failure(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    public static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            return new String[] {"${COMMAND-FULL-NAME} " + VERSION + " (native-code Smalltalk toolchain)"};
        }
    }

    /** Runs a picocli command object and returns the exit code; never throws. */
    public static int run(String name, Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setCommandName(name);
        cl.setExitCodeExceptionMapper(e -> e instanceof Failure f ? f.code : BAD_INPUT);
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println(name + ": " + ex.getMessage());
            err.println("Try '" + name + " --help' for more information.");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parse) -> {
            PrintWriter err = c.getErr();
            if (ex instanceof Failure f) {
                if (f.getMessage() != null && !f.getMessage().isEmpty()) err.println(name + ": " + f.getMessage());
                return f.code;
            }
            if (ex instanceof java.io.IOException io) {
                err.println(name + ": " + describe(io));
                return BAD_INPUT;
            }
            err.println(name + ": internal error: " + ex);
            if (System.getenv("ST_DEBUG") != null) ex.printStackTrace(err);
            return 3;
        });
        return cl.execute(args);
    }

    /** A one-line description of an I/O error, naming the file. */
    public static String describe(java.io.IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException n -> n.getFile() + ": No such file or directory";
            case java.nio.file.AccessDeniedException a -> a.getFile() + ": Permission denied";
            case java.nio.file.FileSystemException f -> f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "I/O error");
            default -> e.getMessage() != null ? e.getMessage() : e.toString();
        };
    }
}
