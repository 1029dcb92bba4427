package dev.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code berth config}: configuration tools. */
@Command(
    name = "config",
    description = "Configuration tools.",
    mixinStandardHelpOptions = true,
    subcommands = {ConfigCheckCommand.class})
public final class ConfigCommand implements Runnable {

  @Spec CommandSpec spec;

  /** Creates the command; picocli fills in the spec. */
  public ConfigCommand() {
    this.spec = CommandSpec.create();
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: check");
  }
}
