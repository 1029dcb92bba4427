package dev.berth.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code berth} command: the registry server and its tools. */
@Command(
    name = "berth",
    mixinStandardHelpOptions = true,
    subcommands = {ServeCommand.class, ConfigCommand.class, GarbageCollectCommand.class},
    description = "A container image registry compatible with registry:2.")
public final class Main implements Runnable {
  /** The names of the subcommands, known without building picocli's model. */
  static final Set<String> SUBCOMMANDS = Set.of("serve", "config", "garbage-collect");

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) throws Exception {
    avoidPlatformMBeanServer();
    String[] arguments = withServeDefault(args, SUBCOMMANDS);
    Optional<ServeCommand> serve = plainServe(arguments);
    if (serve.isPresent()) {
      System.exit(serve.get().call());
    }
    System.exit(new CommandLine(new Main()).execute(arguments));
  }

  /**
   * {@code serve} or {@code serve CONFIG} and nothing else, the command line of every registry
   * process, runs without picocli: building picocli's model of the commands takes about 300 ms on a
   * cold JVM, a third of the time to the first answered request. Options, help and the other
   * commands go through picocli.
   */
  static Optional<ServeCommand> plainServe(String[] args) {
    if (args.length == 0
        || args.length > 2
        || !args[0].equals("serve")
        || (args.length == 2 && args[1].startsWith("-"))) {
      return Optional.empty();
    }
    return Optional.of(
        new ServeCommand().withConfigPath(args.length == 2 ? Path.of(args[1]) : null));
  }

  /**
   * Tells Jetty how many object references fit in a cache line, which it would otherwise learn by
   * creating the platform MBean server and asking it whether oops are compressed: a tenth of
   * Berth's start-up, for a padding hint. References are 4 bytes (compressed) below a 32 GiB heap.
   */
  private static void avoidPlatformMBeanServer() {
    String property = "org.eclipse.jetty.util.referencesPerCacheLine";
    if (System.getProperty(property) == null) {
      boolean compressedOops = Runtime.getRuntime().maxMemory() < (32L << 30);
      System.setProperty(property, compressedOops ? "16" : "8");
    }
  }

  /**
   * {@code berth config.yml} means {@code berth serve config.yml}, as the registry:2 image's
   * entrypoint does with arguments that are a file. A first argument ending in {@code .yml} or
   * {@code .yaml} counts even when the file is missing, so that serve reports it as missing.
   */
  static String[] withServeDefault(String[] args, Set<String> subcommands) {
    if (args.length > 0
        && !args[0].startsWith("-")
        && !subcommands.contains(args[0])
        && (Files.isRegularFile(Path.of(args[0]))
            || args[0].endsWith(".yml")
            || args[0].endsWith(".yaml"))) {
      String[] rewritten = new String[args.length + 1];
      rewritten[0] = "serve";
      System.arraycopy(args, 0, rewritten, 1, args.length);
      return rewritten;
    }
    return Arrays.copyOf(args, args.length);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
