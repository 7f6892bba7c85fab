package strun;

import picocli.CommandLine.Command;
import st.cli.Tool;

import java.util.concurrent.Callable;

@Command(name = "strun", mixinStandardHelpOptions = true, versionProvider = Tool.Version.class,
         description = "TODO")
public final class Main implements Callable<Integer> {
    public static void main(String[] args) {
        System.exit(Tool.run("strun", new Main(), args));
    }

    @Override public Integer call() {
        throw new Tool.Failure("not implemented yet");
    }
}
