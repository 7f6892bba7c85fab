package toolchain;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * examples/make-project driven by real make, the way a C programmer builds: a full build and
 * make check; make -q after it; what a change rebuilds (by timestamps: the tree is aged an hour
 * after each build, so whatever make remakes is newer than that); make -j2 from clean.
 *
 * "Depends" is what stc -MD writes into build/NAME.d: a module depends on its sources, the kernel
 * module and each package module whose classes (exports) it names; a library on its module; an
 * executable on the package libraries and its own (docs/GUIDE.md, "Separate compilation").
 */
class MakeProjectTest {
    private static final List<String> EVERYTHING = List.of(
            "build/Circle.d", "build/Circle.stl", "build/Circle.stm", "build/Polygons.d", "build/Polygons.stl",
            "build/Polygons.stm", "build/Shape.d", "build/Shape.stl", "build/Shape.stm", "build/areas", "build/areas.d",
            "build/areas.out", "build/areas.stl", "build/areas.stm", "build/largest", "build/largest.d",
            "build/largest.out", "build/largest.stl", "build/largest.stm");

    @TempDir static Path temp;
    static Path project;

    @BeforeAll static void fullBuild() throws IOException {
        project = temp.resolve("serial");
        Toolchain.copyTree(Toolchain.root().resolve("examples/make-project"), project);
        Toolchain.Result r = make(project, "NATIVE=1", "check");
        assertTrue(r.ok(), r.all());
        assertTrue(r.out().contains("check: 2 programs passed"), r.all());
        assertEquals(EVERYTHING, built(project));
    }

    @Test void nothingChangedMeansNothingToDo() {
        Toolchain.Result q = make(project, "-q", "NATIVE=1", "all", "build/areas.out", "build/largest.out");
        assertEquals(0, q.exit(), "make -q says something is out of date:\n" + q.all());
        assertTrue(make(project, "-q", "all").ok(), "the strun build (NATIVE=0) is up to date too");
    }

    @Test void touchingOneUnitRebuildsOnlyWhatUsesIt() throws IOException {
        Path dir = copyOfBuiltProject("touch");
        // Circle.st: Circle, the one program naming Circle, and both executables (they link Circle.stl).
        assertEquals(List.of("build/Circle.d", "build/Circle.stl", "build/Circle.stm", "build/areas", "build/areas.d",
                        "build/areas.out", "build/areas.stl", "build/areas.stm", "build/largest", "build/largest.out"),
                remade(dir, "shapes/Circle.st"));
        // A program's source: that program alone.
        assertEquals(List.of("build/largest", "build/largest.d", "build/largest.out", "build/largest.stl", "build/largest.stm"),
                remade(dir, "programs/largest.st"));
        // A class file of the Tonel package: the package module and everything that uses it.
        assertEquals(List.of("build/Polygons.d", "build/Polygons.stl", "build/Polygons.stm", "build/areas", "build/areas.d",
                        "build/areas.out", "build/areas.stl", "build/areas.stm", "build/largest", "build/largest.d",
                        "build/largest.out", "build/largest.stl", "build/largest.stm"),
                remade(dir, "shapes/Polygons/Square.class.st"));
    }

    @Test void changingAClassShapeRebuildsItsDependants() throws IOException {
        Path dir = copyOfBuiltProject("shape");
        // Circle gains an instance variable: its layout changes, and so must everything compiled
        // against it; largest does not name Circle, so only its executable is relinked.
        List<String> circleChanged = remade(dir, () -> edit(dir.resolve("shapes/Circle.st"),
                "instanceVariableNames: 'radius'", "instanceVariableNames: 'radius diameterCache'"));
        assertEquals(List.of("build/Circle.d", "build/Circle.stl", "build/Circle.stm", "build/areas", "build/areas.d",
                "build/areas.out", "build/areas.stl", "build/areas.stm", "build/largest", "build/largest.out"), circleChanged);
        // Shape, the root of the package, gains one: every module below it is recompiled.
        assertEquals(EVERYTHING, remade(dir, () -> edit(dir.resolve("shapes/Shape.st"),
                "instanceVariableNames: 'name'", "instanceVariableNames: 'name serial'")));
        Toolchain.Result d = Toolchain.run(dir, Toolchain.env(), Toolchain.scripts().resolve("stdump") + "", "--classes", "build/Circle.stm");
        assertTrue(d.out().contains("radius diameterCache"), d.all());
    }

    @Test void parallelBuildFromCleanIsCorrectAndIdentical() throws IOException {
        Path dir = temp.resolve("parallel");
        Toolchain.copyTree(Toolchain.root().resolve("examples/make-project"), dir);
        Toolchain.Result r = make(dir, "-j2", "NATIVE=1", "check");
        assertTrue(r.ok(), r.all());
        assertTrue(r.out().contains("check: 2 programs passed"), r.all());
        assertEquals(EVERYTHING, built(dir));
        for (String f : EVERYTHING)
            assertArrayEquals(Files.readAllBytes(project.resolve(f)), Files.readAllBytes(dir.resolve(f)), f + " differs from the serial build's");
        Toolchain.Result clean = make(dir, "clean");
        assertTrue(clean.ok() && !Files.exists(dir.resolve("build")), clean.all());
    }

    @Test void theStrunWayChecksToo() throws IOException {
        Path dir = copyOfBuiltProject("strun");
        Toolchain.Result r = make(dir, "check");
        assertTrue(r.ok() && r.out().contains("check: 2 programs passed"), r.all());
    }

    /** An edit to a source file: its text, with {@code from} replaced by {@code to}. */
    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), file + " lacks " + from);
        Files.writeString(file, text.replace(from, to));
    }

    /** Ages the tree, applies {@code change} (a touch or an edit), runs make check, answers what it remade. */
    private static List<String> remade(Path dir, IoAction change) throws IOException {
        Toolchain.age(dir);
        FileTime since = FileTime.fromMillis(System.currentTimeMillis() - 1000);
        change.run();
        Toolchain.Result r = make(dir, "NATIVE=1", "check");
        assertTrue(r.ok() && r.out().contains("check: 2 programs passed"), r.all());
        List<String> out = new ArrayList<>();
        for (String f : Toolchain.modifiedSince(dir, since)) if (f.startsWith("build/")) out.add(f);
        Toolchain.Result q = make(dir, "-q", "NATIVE=1", "all", "build/areas.out", "build/largest.out");
        assertEquals(0, q.exit(), "not up to date after the rebuild:\n" + q.all());
        return out;
    }

    private static List<String> remade(Path dir, String touched) throws IOException {
        return remade(dir, () -> Toolchain.touch(dir.resolve(touched)));
    }

    interface IoAction { void run() throws IOException; }

    private static Path copyOfBuiltProject(String name) throws IOException {
        Path dir = temp.resolve(name);
        Toolchain.copyTree(project, dir);
        Path build = dir.resolve("build");
        Files.createDirectories(build);
        try (Stream<Path> s = Files.list(project.resolve("build"))) {
            for (Path f : s.toList())
                Files.copy(f, build.resolve(f.getFileName().toString()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        return dir;
    }

    private static List<String> built(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir.resolve("build"))) {
            for (Path f : s.sorted().toList()) out.add("build/" + f.getFileName());
        }
        return out;
    }

    static Toolchain.Result make(Path dir, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "make";
        System.arraycopy(args, 0, command, 1, args.length);
        return Toolchain.run(dir, Toolchain.env(), command);
    }
}
