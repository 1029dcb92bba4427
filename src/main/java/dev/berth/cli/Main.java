package dev.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code berth} command: the registry server and its tools. */
@Command(
    name = "berth",
    mixinStandardHelpOptions = true,
    description = "A container image registry compatible with registry:2.",
    subcommands = {ServeCommand.class})
public final class Main implements Runnable {

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
