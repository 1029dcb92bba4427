package dev.berth.config;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The {@code auth} section: at most one provider. Parsed and validated; not acted on yet. */
public sealed interface AuthSettings
    permits AuthSettings.None, AuthSettings.Silly, AuthSettings.Token, AuthSettings.Htpasswd {

  /** The provider's name as written in the configuration. */
  String name();

  /** No authentication: the default, and {@code auth: none}. */
  record None() implements AuthSettings {
    @Override
    public String name() {
      return "none";
    }
  }

  /**
   * {@code auth.silly}: any Authorization header is accepted. For development only.
   *
   * @param realm the realm of the challenge
   * @param service the service of the challenge
   */
  record Silly(String realm, String service) implements AuthSettings {
    @Override
    public String name() {
      return "silly";
    }
  }

  /**
   * {@code auth.token}: bearer tokens issued by an external token service.
   *
   * @param realm the token service URL
   * @param service the service name tokens are issued for
   * @param issuer the issuer tokens must name
   * @param rootCertBundle certificates that sign tokens, or null
   * @param jwks a JSON Web Key Set that signs tokens, or null
   * @param autoRedirect whether the realm is derived from the request's host
   * @param autoRedirectPath the path used with {@code autoRedirect} (default {@code /auth/token/})
   * @param signingAlgorithms accepted algorithms; empty for all
   */
  record Token(
      String realm,
      String service,
      String issuer,
      @Nullable String rootCertBundle,
      @Nullable String jwks,
      boolean autoRedirect,
      String autoRedirectPath,
      List<String> signingAlgorithms)
      implements AuthSettings {

    /** Copies the list. */
    public Token {
      signingAlgorithms = List.copyOf(signingAlgorithms);
    }

    @Override
    public String name() {
      return "token";
    }
  }

  /**
   * {@code auth.htpasswd}: basic authentication against an htpasswd file of bcrypt hashes.
   *
   * @param realm the realm of the challenge
   * @param path the htpasswd file
   */
  record Htpasswd(String realm, Path path) implements AuthSettings {
    @Override
    public String name() {
      return "htpasswd";
    }
  }
}
