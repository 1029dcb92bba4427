package dev.berth.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Reads YAML text into a {@link ConfigNode} tree. Jackson's streaming parser is used rather than
 * its data binding so that every scalar keeps its written text and its line number.
 */
final class YamlTrees {

  private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

  private YamlTrees() {}

  /** YAML that could not be parsed; the message is one line with the position. */
  static final class MalformedYamlException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedYamlException(String message) {
      super(message);
    }
  }

  /**
   * Parses one YAML document.
   *
   * @param text the YAML text
   * @param origins the origin of a node given its 1-based line
   * @return the root node; {@link ConfigNode.Null} for an empty document
   */
  static ConfigNode parse(String text, IntFunction<Origin> origins) throws MalformedYamlException {
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new ConfigNode.Null(origins.apply(1));
      }
      return read(parser, origins);
    } catch (JacksonException e) {
      throw new MalformedYamlException(describe(e));
    } catch (IOException e) {
      throw new MalformedYamlException("failed to read YAML: " + firstLine(e.getMessage()));
    }
  }

  private static ConfigNode read(JsonParser parser, IntFunction<Origin> origins)
      throws IOException {
    Origin origin = origins.apply(parser.currentTokenLocation().getLineNr());
    JsonToken token = parser.currentToken();
    if (token == JsonToken.START_OBJECT) {
      var mapping = new ConfigNode.Mapping(origin);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        parser.nextToken();
        mapping.put(key, read(parser, origins));
      }
      return mapping;
    }
    if (token == JsonToken.START_ARRAY) {
      var sequence = new ConfigNode.Sequence(origin);
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        sequence.items().add(read(parser, origins));
      }
      return sequence;
    }
    // An empty plain value (`inmemory:`) means "no value", as in registry:2.
    if (token == JsonToken.VALUE_NULL || parser.getText().isEmpty()) {
      return new ConfigNode.Null(origin);
    }
    return new ConfigNode.Scalar(parser.getText(), origin);
  }

  private static String describe(JacksonException e) {
    JsonLocation location = e.getLocation();
    String where =
        location == null
            ? ""
            : "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
    return where + firstLine(e.getOriginalMessage());
  }

  /** The parser's explanation without its source excerpt, on one line. */
  private static String firstLine(@Nullable String message) {
    if (message == null || message.isBlank()) {
      return "malformed YAML";
    }
    String joined =
        message
            .strip()
            .lines()
            .filter(line -> !line.isBlank() && !line.startsWith(" ") && !line.startsWith("\t"))
            .map(String::strip)
            .reduce((a, b) -> a + "; " + b)
            .orElse("malformed YAML");
    return joined.replaceAll("\\s*in 'reader', line \\d+, column \\d+:?", "");
  }
}
