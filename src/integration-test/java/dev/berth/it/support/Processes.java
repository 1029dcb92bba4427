package dev.berth.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs short-lived external commands with a time limit and captures what they print. */
public final class Processes {
  private Processes() {}

  /**
   * What a finished command left behind.
   *
   * @param command the command line, for messages
   * @param exitCode the exit status
   * @param stdout everything printed on standard output
   * @param stderr everything printed on standard error
   */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    /** Returns this result when the command exited 0, else fails with its output. */
    public Result requireSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(describe());
      }
      return this;
    }

    /** The command, its exit status and its output, for failure messages. */
    public String describe() {
      return String.join(" ", command)
          + "\nexit "
          + exitCode
          + "\n--- stdout ---\n"
          + stdout
          + "\n--- stderr ---\n"
          + stderr;
    }
  }

  /**
   * Runs a command to completion. The command's output goes to files, so a chatty process never
   * blocks on a full pipe; a command that outlives the timeout is killed (with its children) and
   * reported as a failure.
   *
   * @param timeout the longest the command may run
   * @param environment extra variables; a null-free map whose empty values remove the variable
   * @param command the program and its arguments
   */
  public static Result run(Duration timeout, Map<String, String> environment, List<String> command)
      throws IOException, InterruptedException {
    Path stdout = Files.createTempFile("berth-it-", ".out");
    Path stderr = Files.createTempFile("berth-it-", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      applyEnvironment(builder, environment);
      builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      builder.redirectOutput(stdout.toFile());
      builder.redirectError(stderr.toFile());
      Process process = builder.start();
      boolean finished;
      try {
        finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } finally {
        if (process.isAlive()) {
          kill(process);
        }
      }
      Result result =
          new Result(
              command,
              finished ? process.exitValue() : -1,
              Files.readString(stdout, StandardCharsets.UTF_8),
              Files.readString(stderr, StandardCharsets.UTF_8));
      if (!finished) {
        throw new AssertionError("timed out after " + timeout + ": " + result.describe());
      }
      return result;
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }

  /** Sets and removes environment variables: an empty value removes the variable. */
  static void applyEnvironment(ProcessBuilder builder, Map<String, String> environment) {
    for (Map.Entry<String, String> entry : environment.entrySet()) {
      if (entry.getValue().isEmpty()) {
        builder.environment().remove(entry.getKey());
      } else {
        builder.environment().put(entry.getKey(), entry.getValue());
      }
    }
  }

  /** Stops a process and its descendants: politely first, then by force, each step bounded. */
  static void kill(Process process) throws InterruptedException {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }
}
