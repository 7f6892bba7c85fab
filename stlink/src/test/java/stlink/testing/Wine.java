package stlink.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs Windows executables under Wine with a private prefix (created on first use, kept under
 * /tmp between runs because creating one takes seconds) and no debug chatter.
 */
public final class Wine {
    private Wine() {}

    /** The CI's prefix when it set one, else our own. */
    static final String PREFIX = System.getenv("WINEPREFIX") != null ? System.getenv("WINEPREFIX")
            : Path.of(System.getProperty("java.io.tmpdir"), "stlink-wineprefix-" + System.getProperty("user.name")).toString();

    static String command() {
        return Processes.onPath("wine") ? "wine" : "wine64";
    }

    public static boolean available() {
        return Processes.isLinuxX64() && (Processes.onPath("wine") || Processes.onPath("wine64"));
    }

    static Map<String, String> environment() {
        return Map.of("WINEPREFIX", PREFIX, "WINEDEBUG", "-all", "WINEDLLOVERRIDES", "mscoree,mshtml=");
    }

    public static Processes.Result run(Path exe) throws IOException, InterruptedException {
        return Processes.run(List.of(command(), exe.toString()), environment());
    }

    /** Stops the prefix's wineserver, which otherwise lingers after the tests. */
    public static void shutdown() throws IOException, InterruptedException {
        if (available() && Processes.onPath("wineserver")) Processes.run(List.of("wineserver", "-k"), environment());
    }
}
