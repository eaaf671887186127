package dev.mux.docker;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What one session should be: its name, the workspace folder, the mode and the prompt, and
 * anything particular to it (image, extra environment, the proxy credential that identifies it).
 * Immutable; {@code toString()} never shows the credential or environment values.
 *
 * <pre>{@code
 * SessionSpec spec = SessionSpec.builder("fix-login")
 *     .workspace(Path.of("/home/me/src/app"))
 *     .mode(SessionMode.PRINT)
 *     .prompt("Fix the failing login test")
 *     .proxyCredential(credential)
 *     .build();
 * }</pre>
 */
public final class SessionSpec {
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,63}");

  private final String name;
  private final Path workspace;
  private final SessionMode mode;
  private final String prompt;
  private final String image;
  private final Map<String, String> environment;
  private final String proxyCredential;

  private SessionSpec(Builder builder) {
    this.name = builder.name;
    this.workspace = builder.workspace;
    this.mode = builder.mode;
    this.prompt = builder.prompt;
    this.image = builder.image;
    this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(builder.environment));
    this.proxyCredential = builder.proxyCredential;
  }

  /** Starts a spec for the session {@code name}: lowercase letters, digits and {@code -}, 1–63 characters. */
  public static Builder builder(String name) {
    return new Builder(checkName(name));
  }

  /** Checks a session name; throws {@link IllegalArgumentException} naming the rule it breaks. */
  public static String checkName(String name) {
    requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name: \"" + printable(name) + "\" (expected: 1-63 of a-z, 0-9 and '-')");
    }
    return name;
  }

  public String name() {
    return name;
  }

  /** The host folder mounted read-write at {@code /workspace}. */
  public Path workspace() {
    return workspace;
  }

  public SessionMode mode() {
    return mode;
  }

  /** The prompt, passed to the agent as one argument; empty when none was given. */
  public Optional<String> prompt() {
    return Optional.ofNullable(prompt);
  }

  /** The image for this session; empty means the {@link DockerSessions} default. */
  public Optional<String> image() {
    return Optional.ofNullable(image);
  }

  /** Extra environment for this session (on top of what {@link DockerSessions} sets). */
  public Map<String, String> environment() {
    return environment;
  }

  /** The credential the session presents to the proxy (as the password of its proxy URL). */
  public Optional<String> proxyCredential() {
    return Optional.ofNullable(proxyCredential);
  }

  @Override
  public String toString() {
    return "SessionSpec{name=" + name + ", workspace=" + workspace + ", mode=" + mode
        + ", image=" + image + ", environment=" + environment.keySet()
        + ", proxyCredential=" + (proxyCredential == null ? "none" : "****") + "}";
  }

  private static String printable(String value) {
    StringBuilder out = new StringBuilder();
    value.codePoints().limit(80).forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }

  /** Builds a {@link SessionSpec}; {@link #workspace(Path)} is required. */
  public static final class Builder {
    private final String name;
    private Path workspace;
    private SessionMode mode = SessionMode.INTERACTIVE;
    private String prompt;
    private String image;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private String proxyCredential;

    private Builder(String name) {
      this.name = name;
    }

    /** The host folder to mount read-write at {@code /workspace}. It must exist. Required. */
    public Builder workspace(Path workspace) {
      this.workspace = requireNonNull(workspace, "workspace");
      return this;
    }

    /** {@link SessionMode#INTERACTIVE} (default) or {@link SessionMode#PRINT}. */
    public Builder mode(SessionMode mode) {
      this.mode = requireNonNull(mode, "mode");
      return this;
    }

    /** The prompt, passed as one argument. Default: none (interactive agents then just start). */
    public Builder prompt(String prompt) {
      requireNonNull(prompt, "prompt");
      if (prompt.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("prompt: contains a NUL character (expected: text without NUL)");
      }
      this.prompt = prompt;
      return this;
    }

    /** The image to run instead of the {@link DockerSessions} default. */
    public Builder image(String image) {
      this.image = requireNonNull(image, "image");
      return this;
    }

    /**
     * Adds an environment variable. It may not replace one that {@link DockerSessions} sets (proxy,
     * CA, placeholders, {@code HOME}, {@code IS_SANDBOX}): creating the session fails instead.
     */
    public Builder env(String key, String value) {
      checkEnvName(key);
      requireNonNull(value, "value");
      if (value.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("env: " + key + " contains a NUL character (expected: text without NUL)");
      }
      environment.put(key, value);
      return this;
    }

    /** Adds every entry of {@code environment} as by {@link #env(String, String)}. */
    public Builder env(Map<String, String> environment) {
      requireNonNull(environment, "environment").forEach(this::env);
      return this;
    }

    /** The per-session proxy credential. Default: none (the proxy URL then carries only the session name). */
    public Builder proxyCredential(String proxyCredential) {
      this.proxyCredential = requireNonNull(proxyCredential, "proxyCredential");
      return this;
    }

    public SessionSpec build() {
      if (workspace == null) {
        throw new IllegalStateException("workspace: not set (expected: the host folder to mount at /workspace)");
      }
      if (mode == SessionMode.PRINT && prompt == null) {
        throw new IllegalStateException("prompt: not set (expected: a prompt in print mode)");
      }
      return new SessionSpec(this);
    }
  }

  static String checkEnvName(String key) {
    requireNonNull(key, "key");
    if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("env: \"" + printable(key) + "\" (expected: a name without '=')");
    }
    return key;
  }
}
