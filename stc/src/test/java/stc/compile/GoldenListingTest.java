package stc.compile;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import stc.diag.Diagnostics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compiles each {@code golden/NAME.st} and compares its diagnostics and bytecode listing with the
 * committed {@code golden/NAME.expected}. After a deliberate change, regenerate with
 * {@code mvn -pl stc test -Dtest=GoldenListingTest -Dgolden.update=true} and review the diff.
 */
class GoldenListingTest {
    private static final Path DIR = Path.of("src/test/resources/golden");

    @TestFactory
    Stream<DynamicTest> listings() throws IOException {
        List<Path> inputs;
        try (Stream<Path> s = Files.list(DIR)) {
            inputs = s.filter(p -> p.toString().endsWith(".st")).sorted().toList();
        }
        assertTrue(inputs.size() >= 6, "golden inputs missing");
        Stream<DynamicTest> som = Stream.of(DynamicTest.dynamicTest("som/Main.som", GoldenListingTest::checkSom));
        return Stream.concat(inputs.stream().map(input -> DynamicTest.dynamicTest(input.getFileName().toString(),
                () -> check(input))), som);
    }

    private static void check(Path input) throws IOException {
        String text = Files.readString(input, StandardCharsets.UTF_8);
        String name = input.getFileName().toString().replaceFirst("\\.st$", "");
        compare(name, CompilerTesting.compile("golden/" + input.getFileName(), text));
    }

    /** A SOM program whose classes come from the class path, as SOM VMs load them. */
    private static void checkSom() throws IOException {
        String dir = DIR.resolve("som").toString();
        Path main = DIR.resolve("som/Main.som");
        var options = new Compiler.Options("som", java.util.List.of(), stc.cli.SomClassPath.parse(dir));
        compare("som", CompilerTesting.compile(options, new stc.ast.SourceFile(main.toString(), Files.readString(main))));
    }

    private static void compare(String name, CompilerTesting.Compiled c) throws IOException {
        StringBuilder actual = new StringBuilder();
        for (Diagnostics.Diagnostic d : c.diags().all()) actual.append("; ").append(d.header()).append('\n');
        actual.append(CodeListing.of(c.module()));
        Path expectedFile = DIR.resolve(name + ".expected");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(expectedFile, actual.toString(), StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.exists(expectedFile), "missing " + expectedFile + " (run with -Dgolden.update=true)");
        assertEquals(Files.readString(expectedFile, StandardCharsets.UTF_8), actual.toString(), "listing of " + name);
    }
}
