package dev.berth.config;

import java.nio.file.Path;

/** Where a configuration value came from: the file, a {@code REGISTRY_*} variable or a default. */
public sealed interface Origin {

  /**
   * A short human-readable description, e.g. {@code config.yml:12} or {@code REGISTRY_HTTP_ADDR}.
   */
  String describe();

  /**
   * A value written in the configuration file.
   *
   * @param file the file
   * @param line the 1-based line of the value
   */
  record File(Path file, int line) implements Origin {
    @Override
    public String describe() {
      return file + ":" + line;
    }
  }

  /**
   * A value set by an environment variable.
   *
   * @param name the variable's name
   * @param path the dotted configuration key the variable names, e.g. {@code http.addr}
   */
  record Variable(String name, String path) implements Origin {
    @Override
    public String describe() {
      return name;
    }
  }

  /** Berth's built-in configuration, used when no configuration file exists. */
  record Builtin() implements Origin {
    @Override
    public String describe() {
      return "built-in (no configuration file)";
    }
  }

  /** The documented default of a key that nobody set. */
  record Default() implements Origin {
    @Override
    public String describe() {
      return "default";
    }
  }
}
