package toolchain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs every command of docs/GUIDE.md, in order, in one bash session, and checks its output, so
 * the guide cannot rot. The conventions, which the guide's readers never see:
 *
 * <ul>
 *   <li>In a {@code ```sh} block, a line starting with {@code $ } is a command (a line ending in
 *       {@code \} continues it). The lines after it, up to the next command or the end of the
 *       block, are its expected output: stdout and stderr together, as a terminal shows them.
 *       A line {@code ...} matches any number of lines; {@code ...} inside a line matches any
 *       text on that line. Every command must exit with status 0 (a guide that shows a failure
 *       writes {@code ; echo "exit status $?"}).</li>
 *   <li>{@code <!-- file: NAME -->} on the line before a fenced block writes the block's text to
 *       NAME, relative to the session's current directory at that point.</li>
 *   <li>{@code <!-- requires: PROGRAM -->} before a block runs it only when PROGRAM is on PATH
 *       ({@code wine} also needs the Windows kernel library); otherwise it is skipped, and said so.</li>
 * </ul>
 *
 * The session starts in the checkout with HOME a fresh temp directory, so the guide's
 * {@code scripts/install --prefix ~/smalltalk} installs there, and every later command runs
 * against that installation, the way a newcomer would.
 */
class GuideTest {
    private static final Pattern FILE = Pattern.compile("<!-- file: (\\S+) -->");
    private static final Pattern REQUIRES = Pattern.compile("<!-- requires: (\\S+) -->");
    private static final String MARK = "@@guide-command-done@@";

    record Command(int line, String text, List<String> expected) {}

    /** A step of the session: write a file, or run commands. */
    record Step(int line, String file, String content, List<Command> commands, String requires) {}

    @TempDir Path home;

    @Test void everyCommandInTheGuideRunsAsShown() throws IOException {
        Path root = Toolchain.root();
        List<Step> steps = parse(Files.readAllLines(root.resolve("docs/GUIDE.md")));
        assertTrue(steps.stream().mapToInt(s -> s.commands() == null ? 0 : s.commands().size()).sum() > 30, "few commands found");

        StringBuilder script = new StringBuilder("exec 2>&1\ncd " + quote(root.toString()) + "\n");
        List<Command> run = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Step s : steps) {
            if (s.requires() != null && !available(s.requires(), root)) {
                skipped.add("line " + s.line() + " (needs " + s.requires() + ")");
                continue;
            }
            if (s.file() != null) {
                script.append("mkdir -p \"$(dirname ").append(quote(s.file())).append(")\" && cat > ").append(quote(s.file()))
                        .append(" <<'GUIDE_EOF'\n").append(s.content()).append("GUIDE_EOF\n");
                continue;
            }
            for (Command c : s.commands()) {
                script.append(c.text()).append("\nprintf '\\n").append(MARK).append(" %d %s\\n' $? \"$(date +%s%N)\"\n");
                run.add(c);
            }
        }
        if (!skipped.isEmpty()) System.out.println("GuideTest: skipped blocks at " + String.join(", ", skipped));
        Path file = home.resolve(".guide-session.sh");
        Files.writeString(file, script);
        String wine = System.getenv().getOrDefault("WINEPREFIX", Path.of(System.getProperty("java.io.tmpdir"), "st-wine-guide").toString());
        // One session runs every command of the guide, PE programs under Wine included: it gets
        // the budget of many tool calls, not of one.
        Toolchain.Result r = Toolchain.run(1200, home, Map.of("HOME", home.toString(), "WINEPREFIX", wine, "WINEDEBUG", "-all",
                "LC_ALL", "C"), List.of("ST_HOME"), "bash", "--noprofile", "--norc", file.toString());

        String[] outputs = r.out().split(Pattern.quote(MARK) + " ", -1);
        reportSlowest(run, outputs);
        for (int i = 0; i < run.size(); i++) {
            Command c = run.get(i);
            if (i + 1 >= outputs.length) fail("the session stopped before the command at docs/GUIDE.md:" + c.line() + ": " + c.text()
                    + "\n" + r.all());
            String out = outputs[i];
            if (i > 0) out = out.substring(out.indexOf('\n') + 1); // the previous mark's status line
            out = out.substring(0, out.length() - 1);                 // the newline before this mark
            int status = Integer.parseInt(outputs[i + 1].substring(0, outputs[i + 1].indexOf('\n')).trim().split(" ")[0]);
            String where = "docs/GUIDE.md:" + c.line() + ": $ " + c.text();
            assertEquals(0, status, where + "\nexited " + status + ", printing:\n" + out);
            if (!matches(c.expected(), out))
                fail(where + "\nexpected:\n" + String.join("\n", c.expected()) + "\nbut printed:\n" + out);
        }
    }

    /** Prints the slowest commands, to keep the guide's test quick. */
    private static void reportSlowest(List<Command> run, String[] outputs) {
        record Timed(long nanos, Command c) {}
        List<Timed> times = new ArrayList<>();
        long previous = -1;
        for (int i = 0; i + 1 < outputs.length && i < run.size(); i++) {
            String[] mark = outputs[i + 1].substring(0, Math.max(0, outputs[i + 1].indexOf('\n'))).trim().split(" ");
            if (mark.length < 2) return;
            long now = Long.parseLong(mark[1]);
            if (previous >= 0) times.add(new Timed(now - previous, run.get(i)));
            previous = now;
        }
        times.sort((a, b) -> Long.compare(b.nanos(), a.nanos()));
        StringBuilder b = new StringBuilder("GuideTest: slowest commands:");
        for (Timed t : times.subList(0, Math.min(6, times.size())))
            b.append(String.format("%n  %5.1f s  line %d: %s", t.nanos() / 1e9, t.c().line(), t.c().text()));
        System.out.println(b);
    }

    /** Whether the printed text fits the expected lines, with {@code ...} wildcards. */
    static boolean matches(List<String> expected, String printed) {
        StringBuilder re = new StringBuilder();
        for (String line : expected) {
            if (line.equals("...")) {
                re.append("(?:[^\\n]*\\n)*?");
                continue;
            }
            String[] parts = line.split("\\.\\.\\.", -1);
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) re.append("[^\\n]*?");
                re.append(Pattern.quote(parts[i]));
            }
            re.append("\\n");
        }
        String text = printed.isEmpty() || printed.endsWith("\n") ? printed : printed + "\n";
        return Pattern.compile(re.toString()).matcher(text).matches();
    }

    static List<Step> parse(List<String> lines) {
        List<Step> steps = new ArrayList<>();
        String file = null, requires = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher f = FILE.matcher(line.trim()), q = REQUIRES.matcher(line.trim());
            if (f.matches()) { file = f.group(1); continue; }
            if (q.matches()) { requires = q.group(1); continue; }
            if (!line.startsWith("```")) {
                if (!line.isBlank()) { file = null; requires = null; }
                continue;
            }
            String info = line.substring(3).trim();
            int start = i + 1, end = start;
            while (end < lines.size() && !lines.get(end).startsWith("```")) end++;
            List<String> body = lines.subList(start, Math.min(end, lines.size()));
            if (file != null) {
                steps.add(new Step(i + 1, file, String.join("\n", body) + "\n", null, requires));
            } else if (info.equals("sh")) {
                steps.add(new Step(i + 1, null, null, commands(body, start + 1), requires));
            }
            file = null;
            requires = null;
            i = end;
        }
        return steps;
    }

    private static List<Command> commands(List<String> body, int firstLine) {
        List<Command> out = new ArrayList<>();
        for (int k = 0; k < body.size(); k++) {
            String line = body.get(k);
            if (!line.startsWith("$ ")) {
                if (out.isEmpty()) throw new IllegalArgumentException("docs/GUIDE.md:" + (firstLine + k) + ": output before any command");
                out.getLast().expected().add(line);
                continue;
            }
            StringBuilder text = new StringBuilder(line.substring(2));
            int at = k;
            while (text.toString().endsWith("\\") && k + 1 < body.size()) text.append('\n').append(body.get(++k));
            out.add(new Command(firstLine + at, text.toString(), new ArrayList<>()));
        }
        return out;
    }

    private static boolean available(String program, Path root) {
        if (!Toolchain.have(program)) return false;
        if (program.equals("wine")) return Files.isRegularFile(root.resolve("build/kernel/kernel-windows.stl"));
        if (program.equals("perf")) // perf may be installed yet not allowed to sample
            return Toolchain.run(Path.of("/tmp"), Map.of(), "bash", "-c", "f=$(mktemp) && perf record -q -o $f -- true; s=$?; rm -f $f; exit $s").ok();
        return true;
    }

    private static String quote(String s) { return "'" + s.replace("'", "'\\''") + "'"; }
}
