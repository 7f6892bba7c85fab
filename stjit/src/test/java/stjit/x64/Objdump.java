package stjit.x64;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs GNU objdump on raw bytes and parses its Intel-syntax listing, for cross-checks. */
final class Objdump {
    record Insn(long address, byte[] bytes, String text) {}

    private static Boolean available;

    static synchronized boolean available() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder("objdump", "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                available = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                available = false;
            }
        }
        return available;
    }

    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t([0-9a-f ]+?)\\s*(?:\\t(.*))?$");

    static List<Insn> disassemble(byte[] code) throws IOException, InterruptedException {
        Path file = Files.createTempFile("x64-", ".bin");
        try {
            Files.write(file, code);
            return parse(run("objdump", "-D", "-b", "binary", "-mi386:x86-64", "-M", "intel", file.toString()));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Assembles Intel-syntax lines with GNU as and returns objdump's reading of the object. */
    static List<Insn> gnuAssemble(List<String> lines) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("x64-as-");
        try {
            Path src = dir.resolve("t.s"), obj = dir.resolve("t.o");
            Files.writeString(src, ".intel_syntax noprefix\n" + String.join("\n", lines) + "\n");
            run("as", "--64", "-o", obj.toString(), src.toString());
            return parse(run("objdump", "-d", "-M", "intel", obj.toString()));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }

    static boolean gnuAsAvailable() {
        try {
            Process p = new ProcessBuilder("as", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 && available();
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
            throw new IOException(command[0] + " failed:\n" + out);
        return out;
    }

    private static List<Insn> parse(String out) {
        {
            List<Insn> result = new ArrayList<>();
            long addr = -1;
            StringBuilder bytes = new StringBuilder();
            String text = null;
            for (String line : out.split("\n")) {
                Matcher m = LINE.matcher(line);
                if (!m.matches()) continue;
                if (m.group(3) != null) {
                    if (text != null) result.add(new Insn(addr, parseHex(bytes), text));
                    addr = Long.parseLong(m.group(1), 16);
                    bytes.setLength(0);
                    text = m.group(3);
                }
                bytes.append(' ').append(m.group(2));
            }
            if (text != null) result.add(new Insn(addr, parseHex(bytes), text));
            return result;
        }
    }

    private static byte[] parseHex(CharSequence s) {
        return HexFormat.of().parseHex(s.toString().replace(" ", ""));
    }

    static String normalize(String s) { return s.trim().replaceAll("\\s+", " "); }
}
