package stlink.pe;

import stlink.image.ByteSink;
import stlink.image.Import;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contents of {@code .idata}: the import directory (one entry per DLL, then a null entry),
 * each DLL's import lookup table, all import address tables together (the loader overwrites
 * them with the functions' addresses), the hint/name entries and the DLL names. Functions are
 * imported by name with hint 0; DLLs keep the order in which the program first uses them.
 */
final class ImportTable {
    private final byte[] bytes;
    private final Map<Import, Long> slots = new LinkedHashMap<>();
    private final int directorySize;
    private final long iatRva;
    private final int iatSize;

    ImportTable(List<Import> imports, long rva) {
        Map<String, List<String>> byDll = new LinkedHashMap<>();
        for (Import i : imports) {
            List<String> functions = byDll.computeIfAbsent(i.dll(), k -> new ArrayList<>());
            if (!functions.contains(i.function())) functions.add(i.function());
        }
        int dlls = byDll.size();
        directorySize = (dlls + 1) * 20;
        int thunkTableSize = 0;
        for (List<String> functions : byDll.values()) thunkTableSize += (functions.size() + 1) * 8;
        long iltRva = rva + directorySize;
        iatRva = iltRva + thunkTableSize;
        iatSize = thunkTableSize;
        long namesRva = iatRva + thunkTableSize;

        // Hint/name entries, then DLL names, laid out after the tables.
        ByteSink names = new ByteSink();
        Map<Import, Long> hintNameRva = new LinkedHashMap<>();
        Map<String, Long> dllNameRva = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> dll : byDll.entrySet()) {
            for (String f : dll.getValue()) {
                hintNameRva.put(new Import(dll.getKey(), f), namesRva + names.size());
                names.u16(0).bytes(f.getBytes(StandardCharsets.US_ASCII)).u8(0).alignTo(2);
            }
        }
        for (String dll : byDll.keySet()) {
            dllNameRva.put(dll, namesRva + names.size());
            names.bytes(dll.getBytes(StandardCharsets.US_ASCII)).u8(0).alignTo(2);
        }

        ByteSink directory = new ByteSink(), ilt = new ByteSink(), iat = new ByteSink();
        for (Map.Entry<String, List<String>> dll : byDll.entrySet()) {
            long dllIlt = iltRva + ilt.size(), dllIat = iatRva + iat.size();
            directory.u32(dllIlt).u32(0).u32(0).u32(dllNameRva.get(dll.getKey())).u32(dllIat);
            for (String f : dll.getValue()) {
                Import imp = new Import(dll.getKey(), f);
                slots.put(imp, iatRva + iat.size());
                long entry = hintNameRva.get(imp); // high bit clear: import by name
                ilt.u64(entry);
                iat.u64(entry);
            }
            ilt.u64(0);
            iat.u64(0);
        }
        directory.zeros(20);
        bytes = new ByteSink().bytes(directory.toByteArray()).bytes(ilt.toByteArray()).bytes(iat.toByteArray())
                .bytes(names.toByteArray()).toByteArray();
    }

    byte[] bytes() { return bytes; }

    /** The RVA of each function's import address table slot. */
    Map<Import, Long> slots() { return slots; }

    int directorySize() { return directorySize; }

    long iatRva() { return iatRva; }

    int iatSize() { return iatSize; }
}
