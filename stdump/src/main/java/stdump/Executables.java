package stdump;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Basic header facts of ELF64 and PE32+ executables, so that stdump can say what a linked file is.
 * Every field read is bounds-checked; a malformed header yields an {@code error} fact, not an exception.
 */
final class Executables {
    private Executables() {}

    static Map<String, Object> elf(byte[] b) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("format", "ELF executable");
        if (b.length < 64) return error(f, "truncated ELF header (" + b.length + " bytes)");
        int cls = b[4], data = b[5];
        f.put("class", cls == 2 ? "ELF64" : cls == 1 ? "ELF32" : "unknown (" + cls + ")");
        f.put("byteOrder", data == 1 ? "little-endian" : data == 2 ? "big-endian" : "unknown (" + data + ")");
        if (cls != 2 || data != 1) return f;
        int type = u16(b, 16);
        f.put("type", switch (type) {
            case 1 -> "REL (relocatable)";
            case 2 -> "EXEC (executable)";
            case 3 -> "DYN (shared object or PIE)";
            case 4 -> "CORE";
            default -> "unknown (" + type + ")";
        });
        int machine = u16(b, 18);
        f.put("machine", machine == 62 ? "x86-64" : "machine " + machine);
        f.put("entry", hex(u64(b, 24)));
        f.put("programHeaders", u16(b, 56));
        f.put("sectionHeaders", u16(b, 60));
        long phoff = u64(b, 32);
        int phnum = u16(b, 56), phentsize = u16(b, 54);
        if (phnum > 0 && (phentsize < 56 || phoff < 0 || phoff > b.length || phoff + (long) phnum * phentsize > b.length))
            return error(f, "program headers lie outside the file");
        var segments = new java.util.ArrayList<Map<String, Object>>();
        for (int i = 0; i < phnum; i++) {
            int at = (int) (phoff + (long) i * phentsize);
            Map<String, Object> s = new LinkedHashMap<>();
            int ptype = u32(b, at), flags = u32(b, at + 4);
            s.put("type", ptype == 1 ? "LOAD" : ptype == 4 ? "NOTE" : ptype == 0x6474e551 ? "GNU_STACK" : String.format("0x%x", ptype));
            s.put("flags", ((flags & 4) != 0 ? "r" : "-") + ((flags & 2) != 0 ? "w" : "-") + ((flags & 1) != 0 ? "x" : "-"));
            s.put("offset", hex(u64(b, at + 8)));
            s.put("vaddr", hex(u64(b, at + 16)));
            s.put("filesz", u64(b, at + 32));
            s.put("memsz", u64(b, at + 40));
            segments.add(s);
        }
        f.put("segments", segments);
        return f;
    }

    static Map<String, Object> pe(byte[] b) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("format", "PE executable");
        if (b.length < 0x40) return error(f, "truncated DOS header (" + b.length + " bytes)");
        long pe = u32(b, 0x3C) & 0xFFFFFFFFL;
        if (pe + 24 > b.length) return error(f, "PE header offset " + pe + " lies outside the file");
        int at = (int) pe;
        if (b[at] != 'P' || b[at + 1] != 'E' || b[at + 2] != 0 || b[at + 3] != 0)
            return error(f, "no PE signature (an MS-DOS executable?)");
        int machine = u16(b, at + 4);
        f.put("machine", machine == 0x8664 ? "x86-64" : String.format("machine 0x%04x", machine));
        int sections = u16(b, at + 6);
        f.put("sections", sections);
        int optSize = u16(b, at + 20), characteristics = u16(b, at + 22);
        f.put("characteristics", String.format("0x%04x", characteristics));
        int opt = at + 24;
        if (optSize < 2 || opt + optSize > b.length) return error(f, "truncated optional header");
        int magic = u16(b, opt);
        f.put("optionalHeader", magic == 0x20B ? "PE32+" : magic == 0x10B ? "PE32" : String.format("0x%04x", magic));
        if (magic != 0x20B || optSize < 70) return f;
        f.put("entryRva", hex(u32(b, opt + 16) & 0xFFFFFFFFL));
        f.put("imageBase", hex(u64(b, opt + 24)));
        int subsystem = u16(b, opt + 68);
        f.put("subsystem", subsystem == 3 ? "console" : subsystem == 2 ? "GUI" : "subsystem " + subsystem);
        int table = opt + optSize;
        if (table + (long) sections * 40 > b.length) return error(f, "section table lies outside the file");
        var names = new java.util.ArrayList<Map<String, Object>>();
        for (int i = 0; i < sections; i++) {
            int s = table + i * 40;
            StringBuilder name = new StringBuilder();
            for (int k = 0; k < 8 && b[s + k] != 0; k++) name.append((char) (b[s + k] & 0xFF));
            Map<String, Object> sec = new LinkedHashMap<>();
            sec.put("name", name.toString());
            sec.put("virtualSize", u32(b, s + 8) & 0xFFFFFFFFL);
            sec.put("rva", hex(u32(b, s + 12) & 0xFFFFFFFFL));
            sec.put("rawSize", u32(b, s + 16) & 0xFFFFFFFFL);
            names.add(sec);
        }
        f.put("sectionTable", names);
        return f;
    }

    private static Map<String, Object> error(Map<String, Object> f, String message) {
        f.put("error", message);
        return f;
    }

    private static String hex(long v) { return "0x" + Long.toHexString(v); }

    static int u16(byte[] b, int at) { return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8; }

    static int u32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    static long u64(byte[] b, int at) { return (u32(b, at) & 0xFFFFFFFFL) | (long) u32(b, at + 4) << 32; }
}
