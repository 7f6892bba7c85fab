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

    public static String command() {
        return Processes.onPath("wine") ? "wine" : "wine64";
    }

    public static boolean available() {
        return Processes.isLinuxX64() && (Processes.onPath("wine") || Processes.onPath("wine64"));
    }

    public static Map<String, String> environment() {
        return Map.of("WINEPREFIX", PREFIX, "WINEDEBUG", "-all", "WINEDLLOVERRIDES", "mscoree,mshtml=");
    }

    public static Processes.Result run(Path exe) throws IOException, InterruptedException {
        return Processes.run(List.of(command(), exe.toString()), environment());
    }

    /**
     * Starts the prefix's wineserver as a persistent one, so that programs run one after the other
     * do not each pay for its start; creates the prefix first when it is new (wineboot), so that
     * its messages do not end up in a program's output. {@link #shutdown} stops it.
     */
    public static synchronized void startServer() throws IOException, InterruptedException {
        if (!Processes.onPath("wineserver")) return;
        if (!java.nio.file.Files.isDirectory(Path.of(PREFIX, "drive_c")))
            Processes.run(List.of(command(), "wineboot", "-i"), environment());
        Processes.run(List.of("wineserver", "-p"), environment());
    }

    /** Stops the prefix's wineserver, which otherwise lingers after the tests. */
    public static void shutdown() throws IOException, InterruptedException {
        if (available() && Processes.onPath("wineserver")) Processes.run(List.of("wineserver", "-k"), environment());
    }
}
