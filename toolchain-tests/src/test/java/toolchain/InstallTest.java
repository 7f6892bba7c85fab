package toolchain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scripts/install --prefix into a temp dir, then the make-project example, copied from the
 * installation, built and checked from outside the checkout with only the installation on PATH
 * and no ST_HOME: the installed tools must find their own kernel, and nothing of the checkout.
 */
class InstallTest {
    @TempDir Path temp;

    @Test void installedToolchainBuildsTheExampleFromAnywhere() throws IOException {
        Path checkout = Toolchain.root();
        Path prefix = temp.resolve("prefix");
        Toolchain.Result install = Toolchain.run(checkout, Map.of(), checkout.resolve("scripts/install").toString(), "--prefix", prefix.toString());
        assertTrue(install.ok(), install.all());

        for (String tool : Toolchain.TOOLS) {
            assertTrue(Files.isExecutable(prefix.resolve("bin/" + tool)), "bin/" + tool);
            assertTrue(Toolchain.read(prefix.resolve("share/man/man1/" + tool + ".1")).startsWith(".TH " + tool.toUpperCase()), tool + ".1");
            assertTrue(Files.isRegularFile(prefix.resolve("share/bash-completion/completions/" + tool)), "completion for " + tool);
        }
        assertTrue(Files.isRegularFile(prefix.resolve("lib/smalltalk/build/kernel/kernel.stl")));

        // A user's shell: the installation's bin and the system's, nothing of the checkout.
        Map<String, String> env = Map.of("PATH", prefix.resolve("bin") + ":/usr/local/bin:/usr/bin:/bin", "HOME", temp.toString());
        List<String> unset = List.of("ST_HOME", "ST_NO_BUILD", "ST_JAVA", "CLASSPATH");
        Path project = temp.resolve("work/make-project");
        Toolchain.copyTree(prefix.resolve("share/smalltalk/examples/make-project"), project);

        Toolchain.Result which = Toolchain.run(project, env, unset, "bash", "-c", "command -v stc");
        assertEquals(prefix.resolve("bin/stc").toString(), which.out().trim(), which.all());
        Toolchain.Result build = Toolchain.run(project, env, unset, "make", "NATIVE=1", "check");
        assertTrue(build.ok(), build.all());
        assertTrue(build.out().contains("check: 2 programs passed"), build.all());
        assertFalse((build.out() + build.err()).contains(checkout.toString()), "the build used the checkout:\n" + build.all());
        assertTrue(Toolchain.read(project.resolve("build/Shape.d")).contains(prefix.resolve("lib/smalltalk/build/kernel/kernel.stm").toString()),
                "compiled against the installed kernel");
        Toolchain.Result strun = Toolchain.run(project, env, unset, "make", "check");
        assertTrue(strun.ok(), strun.all());

        // make install, then the installed programs run from elsewhere.
        Path apps = temp.resolve("apps");
        Toolchain.Result inst = Toolchain.run(project, env, unset, "make", "NATIVE=1", "install", "PREFIX=" + apps);
        assertTrue(inst.ok(), inst.all());
        Toolchain.Result areas = Toolchain.run(temp, env, unset, apps.resolve("bin/areas").toString());
        assertEquals(Toolchain.read(project.resolve("expected/areas.txt")), areas.out(), areas.all());

        // The completions load into bash and complete the tools' options.
        Toolchain.Result completion = Toolchain.run(temp, env, unset, "bash", "-c",
                ". " + prefix.resolve("share/bash-completion/completions/stlink") + " && complete -p stlink");
        assertTrue(completion.ok() && completion.out().contains("stlink"), completion.all());
        Toolchain.Result man = Toolchain.run(temp, env, unset, "bash", "-c",
                "command -v man >/dev/null || exit 0; MANPATH=" + prefix.resolve("share/man") + " man -P cat stc | head -3");
        assertTrue(man.ok(), man.all());
    }
}
