package dev.berth.config;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One key of registry:2's configuration schema: its type, documented default, constraints and
 * whether Berth implements it. The schema drives the environment overlay, validation, the {@code
 * config check} output and the reference page, so the four never disagree.
 *
 * @param name the key as written in YAML (lower case, never containing {@code _})
 * @param kind what the key holds
 * @param defaultValue the documented default as text, or null when there is none
 * @param support whether Berth acts on the key
 * @param secret whether the value is redacted in output and messages
 * @param min the smallest allowed number, or null
 * @param max the largest allowed number, or null
 * @param allowed the allowed values of a string key (compared ignoring case), or empty for any
 * @param children the keys of a section or choice
 * @param element the schema of list elements and map values, or null
 * @param variant whether this key is one of the alternatives of a choice (a storage driver, an auth
 *     provider)
 * @param aliasOf the key this one is another spelling of (registry:2 2.x versus 3.x), or null
 * @param doc one sentence saying what the key means
 */
record SchemaKey(
    String name,
    Kind kind,
    @Nullable String defaultValue,
    Support support,
    boolean secret,
    @Nullable Long min,
    @Nullable Long max,
    List<String> allowed,
    List<SchemaKey> children,
    @Nullable SchemaKey element,
    boolean variant,
    @Nullable String aliasOf,
    String doc) {

  /** What a key holds. */
  enum Kind {
    /** A fixed set of keys. */
    SECTION,
    /** A section of which exactly one variant key may be present, next to ordinary keys. */
    CHOICE,
    STRING,
    BOOLEAN,
    INTEGER,
    /** An integer number of bytes. */
    BYTES,
    /** A Go-style duration such as {@code 30s}. */
    DURATION,
    /** A list of {@link #element}s. */
    LIST,
    /** A map from free-form keys to {@link #element}s. */
    MAP,
    /** Anything: passed on as it is. */
    ANY;

    boolean isScalar() {
      return this == STRING
          || this == BOOLEAN
          || this == INTEGER
          || this == BYTES
          || this == DURATION;
    }
  }

  /** Whether Berth implements a key. */
  enum Support {
    /** Berth acts on the key. */
    IMPLEMENTED,
    /** Parsed and validated, but this version of Berth does not act on it yet. */
    NOT_YET,
    /** A registry:2 2.x key that registry 3 removed; accepted and ignored. */
    OBSOLETE,
    /** A registry:2 feature Berth does not offer (a storage driver it has no implementation of). */
    UNSUPPORTED
  }

  /**
   * The child key whose name equals {@code name} ignoring case. A variant that is another name of a
   * sibling variant (registry:2's {@code s3aws} for {@code s3}) resolves to that sibling.
   */
  Optional<SchemaKey> child(String name) {
    return children.stream()
        .filter(c -> c.name.equalsIgnoreCase(name))
        .findFirst()
        .map(this::resolveVariantAlias);
  }

  private SchemaKey resolveVariantAlias(SchemaKey child) {
    String target = child.aliasOf;
    if (!child.variant || target == null) {
      return child;
    }
    String targetName = target.substring(target.lastIndexOf('.') + 1);
    return children.stream()
        .filter(c -> c.name.equals(targetName))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no key " + targetName + " in " + name));
  }

  /** Whether this is a variant that only names another variant of the same choice. */
  boolean isVariantAlias() {
    return variant && aliasOf != null;
  }

  /** A copy with a different support level. */
  SchemaKey support(Support newSupport) {
    return new SchemaKey(
        name,
        kind,
        defaultValue,
        newSupport,
        secret,
        min,
        max,
        allowed,
        children,
        element,
        variant,
        aliasOf,
        doc);
  }

  /** A copy that is redacted in output. */
  SchemaKey asSecret() {
    return new SchemaKey(
        name,
        kind,
        defaultValue,
        support,
        true,
        min,
        max,
        allowed,
        children,
        element,
        variant,
        aliasOf,
        doc);
  }

  /** A copy marked as one alternative of its parent choice. */
  SchemaKey asVariant() {
    return new SchemaKey(
        name,
        kind,
        defaultValue,
        support,
        secret,
        min,
        max,
        allowed,
        children,
        element,
        true,
        aliasOf,
        doc);
  }

  /** A copy marked as another spelling of {@code key}. */
  SchemaKey aliasOf(String key) {
    return new SchemaKey(
        name,
        kind,
        defaultValue,
        support,
        secret,
        min,
        max,
        allowed,
        children,
        element,
        variant,
        key,
        doc);
  }

  /** A copy with numeric bounds. */
  SchemaKey range(@Nullable Long newMin, @Nullable Long newMax) {
    return new SchemaKey(
        name,
        kind,
        defaultValue,
        support,
        secret,
        newMin,
        newMax,
        allowed,
        children,
        element,
        variant,
        aliasOf,
        doc);
  }

  /** A copy that accepts only the given values. */
  SchemaKey allowing(String... values) {
    return new SchemaKey(
        name,
        kind,
        defaultValue,
        support,
        secret,
        min,
        max,
        List.of(values),
        children,
        element,
        variant,
        aliasOf,
        doc);
  }
}
