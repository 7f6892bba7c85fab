package stdump;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import st.cli.Tool;
import st.format.io.FileLayout;
import st.format.io.ModuleFile;
import st.format.model.MethodDef;
import st.format.model.Module;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

@Command(name = "stdump", mixinStandardHelpOptions = true, versionProvider = Tool.Version.class,
         subcommands = Main.Diff.class,
         description = {
             "Inspects a module, library or image file: a summary by default, or the views asked for.",
             "On an ELF or PE executable linked by stlink, the views show the libraries it embeds, at their addresses.",
             "Use 'stdump diff A B' for a semantic diff of two files."},
         exitCodeListHeading = "%nExit status:%n",
         exitCodeList = {"0:success", "1:the file is unreadable, corrupt or not of a known kind", "2:usage error"})
public final class Main implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The file to inspect; - reads stdin.")
    String file;

    @Option(names = "--summary", description = "Kind, target, sections, counts, imports and exports (the default view).")
    boolean summary;

    @Option(names = "--classes", description = "Class definitions.")
    boolean classes;

    @Option(names = "--methods", description = "One line per method.")
    boolean methods;

    @Option(names = "--bytecodes", description = "Bytecode disassembly, with source lines interleaved.")
    boolean bytecodes;

    @Option(names = "--literals", description = "Each method's literal frame.")
    boolean literals;

    @Option(names = "--symbols", description = "Native code symbols and relocations.")
    boolean symbols;

    @Option(names = "--native", description = "Native code per symbol, interleaved with bytecodes and source.")
    boolean nativeCode;

    @Option(names = "--hex", paramLabel = "SECTION", description = "A raw section as hex, by its four-letter id (e.g. METH), or 'header' for the header and section table.")
    String hexSection;

    @Option(names = {"-m", "--method"}, paramLabel = "NAME",
            description = "Only methods whose Class>>selector, selector or class name is NAME.")
    String methodFilter;

    @Option(names = "--no-source", description = "Do not interleave source lines.")
    boolean noSource;

    @Option(names = "--json", description = "Write JSON instead of text.")
    boolean json;

    public static void main(String[] args) {
        System.exit(Tool.run("stdump", new Main(), args));
    }

    @Override public Integer call() {
        if (file == null) throw new Tool.Failure(Tool.USAGE, "missing FILE\nTry 'stdump --help' for more information.");
        PrintWriter out = spec.commandLine().getOut();
        Input input = Input.load(file, Tool.BAD_INPUT);
        Map<String, Object> jsonOut = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        boolean anyView = classes || methods || bytecodes || literals || symbols || nativeCode || hexSection != null;

        if (input.kind() == Input.Kind.ELF || input.kind() == Input.Kind.PE) {
            executable(out, input, anyView);
            return Tool.OK;
        }

        FileLayout layout = input.layout(Tool.BAD_INPUT);
        // Only the header and table are needed to dump a section, so --hex alone works on a file
        // whose sections are corrupt: that is when one most wants to look at the bytes.
        boolean hexOnly = hexSection != null && !(summary || classes || methods || bytecodes || literals || symbols || nativeCode);
        ModuleFile mf = hexOnly ? null : input.module(Tool.BAD_INPUT);
        Module m = hexOnly ? null : mf.module();
        Predicate<MethodDef> filter = methodFilter == null ? md -> true
                : md -> md != null && (md.qualifiedName().equals(methodFilter) || md.selector().equals(methodFilter)
                        || md.className().equals(methodFilter));
        boolean source = !noSource;
        int views = 0;
        if (summary || !anyView) {
            var s = Views.summary(input, layout, mf);
            if (json) jsonOut.put("summary", s); else section(text, views++, "summary", Views.summaryText(s));
        }
        if (classes) {
            var c = Views.classes(m);
            if (json) jsonOut.put("classes", c); else section(text, views++, "classes", Views.classesText(c));
        }
        if (methods) {
            var c = Views.methods(m, filter);
            if (json) jsonOut.put("methods", c); else section(text, views++, "methods", Views.methodsText(c));
        }
        if (bytecodes) {
            if (json) jsonOut.put("bytecodes", Views.bytecodes(m, filter));
            else section(text, views++, "bytecodes", Views.bytecodesText(m, filter, source));
        }
        if (literals) {
            if (json) jsonOut.put("literals", Views.literals(m, filter));
            else section(text, views++, "literals", Views.literalsText(m, filter));
        }
        if (symbols) {
            if (json) jsonOut.put("symbols", Views.symbols(m));
            else section(text, views++, "symbols", Views.symbolsText(m));
        }
        if (nativeCode) {
            if (json) jsonOut.put("native", Views.nativeCode(m, filter));
            else section(text, views++, "native", Views.nativeText(m, filter, source));
        }
        if (hexSection != null) {
            if (hexSection.equalsIgnoreCase("header")) {
                if (json) jsonOut.put("hex", Views.headerHex(input, layout));
                else section(text, views++, "hex", Views.headerHexText(input, layout));
            } else {
                FileLayout.Entry e = Views.section(layout, hexSection);
                if (e == null)
                    throw new Tool.Failure(input.name() + ": no section " + hexSection + " (it has: header " + Views.knownTags(layout) + ")");
                if (json) jsonOut.put("hex", Views.hex(input, e)); else section(text, views++, "hex", Views.hexText(input, e));
            }
        }
        emit(out, json, jsonOut, text);
        return Tool.OK;
    }

    /**
     * An executable: its headers and the libraries stlink embedded in it, then the views asked
     * for, library by library (kernel first, as linked), at the addresses the code has there.
     */
    private void executable(PrintWriter out, Input input, boolean anyView) {
        ExecutableFile exe = ExecutableFile.read(input, Tool.BAD_INPUT);
        String kind = input.kind() == Input.Kind.ELF ? "ELF" : "PE";
        if (hexSection != null) throw new Tool.Failure(input.name() + ": --hex shows sections of the format's files; use objdump -s on an " + kind + " executable");
        if (anyView && !exe.hasLibraries())
            throw new Tool.Failure(input.name() + ": an " + kind + " executable without embedded libraries (linked with --strip, "
                    + "or not by stlink); only the summary is available for it");
        Map<String, Object> jsonOut = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        Predicate<MethodDef> filter = methodFilter();
        int views = 0;
        if (summary || !anyView) {
            Map<String, Object> facts = ExecutableViews.summary(input, exe);
            if (json) jsonOut.put("summary", facts); else section(text, views++, "summary", ExecutableViews.summaryText(facts));
        }
        var names = exe.names();
        String[] asked = {"classes", "methods", "bytecodes", "literals", "symbols", "native"};
        boolean[] on = {classes, methods, bytecodes, literals, symbols, nativeCode};
        for (int v = 0; v < asked.length; v++) {
            if (!on[v]) continue;
            List<Map<String, Object>> perLibrary = new ArrayList<>();
            StringBuilder body = new StringBuilder();
            for (ExecutableFile.Library lib : exe.libraries()) {
                Module m = lib.file().module();
                Views.Linked at = lib.linked(names);
                Object value = switch (asked[v]) {
                    case "classes" -> json ? Views.classes(m) : Views.classesText(Views.classes(m));
                    case "methods" -> json ? Views.methods(m, filter) : Views.methodsText(Views.methods(m, filter));
                    case "bytecodes" -> json ? Views.bytecodes(m, filter) : Views.bytecodesText(m, filter, !noSource);
                    case "literals" -> json ? Views.literals(m, filter) : Views.literalsText(m, filter);
                    case "symbols" -> json ? Views.symbols(m, lib.textAddress()) : Views.symbolsText(m, lib.textAddress());
                    default -> json ? Views.nativeCode(m, filter, at) : Views.nativeText(m, filter, !noSource, at);
                };
                if (json) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("library", lib.name());
                    row.put(asked[v], value);
                    perLibrary.add(row);
                } else if (!((String) value).isEmpty()) {
                    body.append("-- ").append(lib.name()).append(String.format(" (code at 0x%x)%n", lib.textAddress())).append(value);
                }
            }
            if (json) jsonOut.put(asked[v], perLibrary); else section(text, views++, asked[v], body.toString());
        }
        emit(out, json, jsonOut, text);
    }

    private Predicate<MethodDef> methodFilter() {
        return methodFilter == null ? md -> true
                : md -> md != null && (md.qualifiedName().equals(methodFilter) || md.selector().equals(methodFilter)
                        || md.className().equals(methodFilter));
    }

    /** Views after the first get a heading, so several can be asked for at once. */
    private void section(StringBuilder text, int index, String name, String body) {
        if (index > 0) text.append('\n');
        if (index > 0 || countViews() > 1) text.append("== ").append(name).append(" ==\n");
        text.append(body);
    }

    private int countViews() {
        int n = 0;
        for (boolean b : new boolean[] {summary, classes, methods, bytecodes, literals, symbols, nativeCode, hexSection != null})
            if (b) n++;
        return n;
    }

    static void emit(PrintWriter out, boolean json, Object jsonValue, CharSequence text) {
        if (json) out.print(toJson(jsonValue));
        else out.print(text);
        out.flush();
    }

    static String toJson(Object value) {
        var printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return new ObjectMapper().writer(printer).writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, versionProvider = Tool.Version.class,
             description = "Semantic diff of two files: module facts, classes and their variables, methods "
                     + "(with bytecode and source diffs), native code and raw sections.",
             exitCodeListHeading = "%nExit status (as diff(1)):%n",
             exitCodeList = {"0:the files are the same", "1:they differ", "2:trouble (unreadable or corrupt file, usage error)"})
    public static final class Diff implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "A", description = "The old file; - reads stdin.")
        String a;

        @Parameters(index = "1", paramLabel = "B", description = "The new file; - reads stdin.")
        String b;

        @Option(names = "--json", description = "Write the differences as JSON.")
        boolean json;

        @Override public Integer call() {
            if (a.equals("-") && b.equals("-")) throw new Tool.Failure(Tool.USAGE, "only one of A and B can be stdin");
            PrintWriter out = spec.commandLine().getOut();
            Input ia = Input.load(a, Tool.USAGE), ib = Input.load(b, Tool.USAGE);
            for (Input i : new Input[] {ia, ib})
                if (i.kind() == Input.Kind.UNKNOWN)
                    throw new Tool.Failure(Tool.USAGE, i.name() + ": not a module, library, image or executable (unknown magic number)");
            if (ia.kind() == Input.Kind.FORMAT && ib.kind() == Input.Kind.FORMAT) {
                ModuleDiff d = ModuleDiff.of(ia.module(Tool.USAGE), ib.module(Tool.USAGE));
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("same", d.same());
                j.put("changes", d.changes());
                emit(out, json, j, d.text(ia.name(), ib.name()));
                return d.same() ? 0 : 1;
            }
            ExecutableDiff d = ExecutableDiff.of(ia, ib);
            emit(out, json, d.json(), d.text());
            return d.same() ? 0 : 1;
        }
    }
}
