package dev.berth.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    CommandLine commandLine = new CommandLine(new Main());
    System.exit(commandLine.execute(withServeDefault(args, commandLine.getSubcommands().keySet())));
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
