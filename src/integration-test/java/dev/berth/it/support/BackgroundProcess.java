package dev.berth.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/** A long-running external process (a server) whose output goes to a log file. */
public final class BackgroundProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private BackgroundProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts a process in the background.
   *
   * @param log the file that receives standard output and standard error
   * @param environment extra variables; empty values remove the variable
   * @param command the program and its arguments
   */
  public static BackgroundProcess start(
      Path log, Map<String, String> environment, List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    Processes.applyEnvironment(builder, environment);
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    return new BackgroundProcess(builder.start(), log);
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The operating system's process id. */
  public long pid() {
    return process.pid();
  }

  /** Sends SIGTERM and returns at once, as Kubernetes does when it stops a pod. */
  public void terminate() {
    process.destroy();
  }

  /** Sends SIGKILL and waits (bounded) until the process is gone: a crash, nothing runs after. */
  public void killForcibly() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("process " + process.pid() + " survived SIGKILL for 10 s");
    }
  }

  /**
   * Waits (bounded) for the process to end.
   *
   * @return its exit status, or empty when it still runs after the timeout
   */
  public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? OptionalInt.of(process.exitValue())
        : OptionalInt.empty();
  }

  /** What the process printed so far. */
  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(failed to read " + log + ": " + e + ")";
    }
  }

  /** Stops the process and its children, each step bounded in time. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      Processes.kill(process);
    }
  }
}
