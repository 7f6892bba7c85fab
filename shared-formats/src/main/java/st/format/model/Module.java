package st.format.model;

import java.util.List;

/**
 * The content of one file of the format: a module written by stc, a library (a module plus
 * native code) written by stjit, or an image.
 *
 * @param startup  methods run in order when the program starts: top-level statements of chunk and
 *                 GNU sources, compiled as methods
 * @param imports  names this module uses but does not define, resolved by name at link time
 * @param exports  names this module defines: its classes
 * @param nativeCode the native code of a library, null for a module
 */
public record Module(Kind kind, Target target, int flags, String name, List<String> sourceFiles,
                     List<ClassDef> classes, List<MethodDef> methods, List<MethodRef> startup,
                     List<String> imports, List<String> exports, NativeCode nativeCode) {

    /** {@link #flags()} bit 0: compiled from SOM sources; such a program runs with the SOM layer (kernel/SOM). */
    public static final int FLAG_SOM = 1;

    public enum Kind { MODULE, LIBRARY, IMAGE }

    public enum Target { ANY, LINUX_X64, WINDOWS_X64 }

    public record MethodRef(String className, boolean meta, String selector) {
        @Override public String toString() { return className + (meta ? " class" : "") + ">>" + selector; }
    }

    public Module withNativeCode(Kind kind, Target target, NativeCode code) {
        return new Module(kind, target, flags, name, sourceFiles, classes, methods, startup, imports, exports, code);
    }
}
