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

    static final Path PREFIX = Path.of(System.getProperty("java.io.tmpdir"), "stlink-wineprefix-" + System.getProperty("user.name"));

    public static boolean available() {
        return Processes.isLinuxX64() && Processes.onPath("wine");
    }

    static Map<String, String> environment() {
        return Map.of("WINEPREFIX", PREFIX.toString(), "WINEDEBUG", "-all", "WINEDLLOVERRIDES", "mscoree,mshtml=");
    }

    public static Processes.Result run(Path exe) throws IOException, InterruptedException {
        return Processes.run(List.of("wine", exe.toString()), environment());
    }

    /** Stops the prefix's wineserver, which otherwise lingers after the tests. */
    public static void shutdown() throws IOException, InterruptedException {
        if (available() && Processes.onPath("wineserver")) Processes.run(List.of("wineserver", "-k"), environment());
    }
}
