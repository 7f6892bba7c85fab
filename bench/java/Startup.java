/**
 * The empty Java program: scripts/bench subtracts its CPU time (the JVM's start-up and exit) from
 * each Java benchmark's, so that Java is measured on its work, JIT compilation included.
 */
public class Startup {
  public static void main(String[] args) {
    System.out.println("startup " + Bench.arg(args, 0));
  }
}
