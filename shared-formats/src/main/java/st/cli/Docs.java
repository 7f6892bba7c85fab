package st.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generates a man page (roff, section 1) and a bash completion script for each tool from its
 * picocli annotations, so the documentation cannot drift from the options the tool accepts.
 * Usage: {@code Docs OUTDIR MAINCLASS...}; writes OUTDIR/man/man1/TOOL.1 and
 * OUTDIR/bash-completion/completions/TOOL.
 */
public final class Docs {
    private Docs() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            Object command = Class.forName(args[i]).getDeclaredConstructor().newInstance();
            CommandLine cl = new CommandLine(command);
            String name = cl.getCommandName();
            write(out.resolve("man/man1/" + name + ".1"), manPage(cl.getCommandSpec()));
            write(out.resolve("bash-completion/completions/" + name), AutoComplete.bash(name, cl));
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static String manPage(CommandSpec spec) {
        StringBuilder m = new StringBuilder();
        String name = spec.name();
        m.append(".TH ").append(name.toUpperCase(java.util.Locale.ROOT)).append(" 1 \"\" \"")
                .append(Tool.VERSION).append("\" \"Smalltalk toolchain\"\n");
        m.append(".SH NAME\n").append(name).append(" \\- ").append(roff(String.join(" ", spec.usageMessage().description()))).append('\n');
        m.append(".SH SYNOPSIS\n.B ").append(name).append('\n');
        for (OptionSpec o : spec.options()) if (!o.hidden()) m.append("[").append(roff(o.shortestName())).append(o.arity().max() > 0 ? " " + roff(o.paramLabel()) : "").append("]\n");
        for (PositionalParamSpec p : spec.positionalParameters()) m.append(roff(p.paramLabel())).append(p.arity().max() > 1 ? "...\n" : "\n");
        for (CommandLine sub : spec.subcommands().values()) {
            m.append(".br\n.B ").append(name).append(' ').append(sub.getCommandName()).append(" ...\n");
        }
        m.append(".SH DESCRIPTION\n");
        for (String d : spec.usageMessage().description()) m.append(roff(d)).append("\n.PP\n");
        if (!spec.positionalParameters().isEmpty()) {
            m.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : spec.positionalParameters())
                m.append(".TP\n.I ").append(roff(p.paramLabel())).append('\n').append(roff(String.join(" ", p.description()))).append('\n');
        }
        m.append(".SH OPTIONS\n");
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) continue;
            m.append(".TP\n.B ").append(roff(String.join(", ", o.names())));
            if (o.arity().max() > 0) m.append(" \\fI").append(roff(o.paramLabel())).append("\\fR");
            m.append('\n').append(roff(String.join(" ", o.description()))).append('\n');
        }
        for (CommandLine sub : spec.subcommands().values()) {
            CommandSpec s = sub.getCommandSpec();
            m.append(".SH COMMAND ").append(roff(s.name().toUpperCase(java.util.Locale.ROOT))).append('\n')
                    .append(roff(String.join(" ", s.usageMessage().description()))).append('\n');
            for (OptionSpec o : s.options()) {
                if (o.hidden()) continue;
                m.append(".TP\n.B ").append(roff(String.join(", ", o.names()))).append('\n')
                        .append(roff(String.join(" ", o.description()))).append('\n');
            }
        }
        m.append(".SH EXIT STATUS\n0 on success, 1 when the input is wrong, 2 for a usage error.\n");
        m.append(".SH SEE ALSO\nstc(1), stjit(1), stlink(1), strun(1), stdump(1)\n");
        return m.toString();
    }

    private static String roff(String s) {
        if (s == null) return "";
        String t = s.replace("\\", "\\\\").replace("-", "\\-");
        return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
    }
}
