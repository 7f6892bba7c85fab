package st.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import static org.junit.jupiter.api.Assertions.*;

class DocsTest {
    @Command(name = "demo", mixinStandardHelpOptions = true, description = "Does a demo-thing.")
    static final class Demo {
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE.") String out;
        @Parameters(paramLabel = "INPUT", arity = "1..*", description = "Input files.") java.util.List<String> in;
    }

    @Test void manPageListsNameOptionsAndArgumentsInRoff() {
        String page = Docs.manPage(new CommandLine(new Demo()).getCommandSpec());
        assertTrue(page.startsWith(".TH DEMO 1"), page);
        assertTrue(page.contains("demo \\- Does a demo\\-thing."), page);
        assertTrue(page.contains(".B \\-o, \\-\\-output \\fIFILE\\fR\nWrite to FILE."), page);
        assertTrue(page.contains(".I INPUT\nInput files."), page);
    }
}
