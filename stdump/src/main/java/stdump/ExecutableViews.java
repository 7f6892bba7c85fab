package stdump;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The summary of an executable: its headers, then the libraries and the heap stlink put in it. */
final class ExecutableViews {
    private ExecutableViews() {}

    static Map<String, Object> summary(Input input, ExecutableFile exe) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("file", input.name());
        f.put("size", input.bytes().length);
        f.putAll(exe.facts());
        if (!exe.hasLibraries()) {
            f.put("libraries", "none embedded (linked with --strip, or not by stlink)");
            return f;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ExecutableFile.Library l : exe.libraries()) {
            var m = l.file().module();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", l.name());
            row.put("module", m.name());
            row.put("code", String.format("0x%x", l.textAddress()));
            row.put("codeBytes", m.nativeCode().text().length);
            row.put("classes", m.classes().size());
            row.put("methods", m.methods().size());
            row.put("functions", m.nativeCode().symbols().size());
            rows.add(row);
        }
        f.put("libraries", rows);
        var c = exe.contents();
        f.put("heap", c.heapBytes() == 0 && c.heapZeroFill() == 0 ? "none"
                : String.format("%d bytes at 0x%x, then %d bytes of zero fill", c.heapBytes(), c.heapAddress(), c.heapZeroFill()));
        return f;
    }

    static String summaryText(Map<String, Object> facts) {
        StringBuilder text = new StringBuilder();
        facts.forEach((k, v) -> {
            text.append(k).append(':');
            if (v instanceof List<?> rows) {
                text.append('\n');
                for (Object row : rows) {
                    text.append(" ");
                    ((Map<?, ?>) row).forEach((rk, rv) -> text.append(' ').append(rk).append('=').append(rv));
                    text.append('\n');
                }
            } else {
                text.append(' ').append(v).append('\n');
            }
        });
        return text.toString();
    }
}
