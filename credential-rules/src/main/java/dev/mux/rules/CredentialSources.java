package dev.mux.rules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds credentials, in order: host environment variable, file {@code <home>/secrets/<name>},
 * configured command. Called only while a rule set is loaded, never per request: decisions read
 * the values cached in the loaded set, and a reload re-reads them (rotation).
 */
final class CredentialSources {

  private static final Logger logger = LoggerFactory.getLogger(CredentialSources.class);
  private static final int MAX_SECRET_BYTES = 64 * 1024;
  private static final Set<PosixFilePermission> TOO_OPEN = Set.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

  private final Map<String, String> environment;
  private final Path secretsDir;
  private final Map<String, CommandSpec> commands;

  CredentialSources(Map<String, String> environment, Path secretsDir, Map<String, CommandSpec> commands) {
    this.environment = Map.copyOf(environment);
    this.secretsDir = secretsDir;
    this.commands = Map.copyOf(commands);
  }

  Path secretsDir() {
    return secretsDir;
  }

  /** The first of {@code names} found; when none is, the reason for the first name. */
  CredentialLookup lookup(List<String> names) {
    CredentialLookup first = null;
    for (String name : names) {
      CredentialLookup lookup = lookup(name);
      if (lookup instanceof CredentialLookup.Found) {
        return lookup;
      }
      if (first == null) {
        first = lookup;
      }
    }
    if (names.size() > 1 && first instanceof CredentialLookup.Missing m) {
      return new CredentialLookup.Missing(m.name(), m.reason() + " (alternatives tried: "
          + String.join(", ", names.subList(1, names.size())) + ")");
    }
    return first;
  }

  CredentialLookup lookup(String name) {
    String fromEnv = environment.get(name);
    String envProblem = null;
    if (fromEnv != null && Placeholders.isPlaceholder(fromEnv)) {
      // A shell that ran `eval "$(mux env)"` holds placeholders; injecting one would be useless.
      envProblem = "the environment variable " + name + " holds the mux placeholder, not the real credential"
          + " (was mux started from a shell that ran `eval \"$(mux env)\"`?)";
      logger.warn("credential {}: {}", name, envProblem);
    } else if (fromEnv != null && !fromEnv.isBlank()) {
      return new CredentialLookup.Found(name, Secret.of(fromEnv), SourceKind.ENV);
    }
    Path file = secretsDir.resolve(name);
    String fileProblem = null;
    try {
      Secret fromFile = readFile(file);
      if (fromFile != null) {
        return new CredentialLookup.Found(name, fromFile, SourceKind.FILE);
      }
    } catch (SecretFileException e) {
      fileProblem = e.getMessage();
      logger.warn("credential {}: {}", name, fileProblem);
    }
    CommandSpec command = commands.get(name);
    String commandProblem = null;
    if (command != null) {
      try {
        return new CredentialLookup.Found(name, run(name, command), SourceKind.COMMAND);
      } catch (SecretFileException e) {
        commandProblem = e.getMessage();
        logger.warn("credential {}: {}", name, commandProblem);
      }
    }
    StringBuilder reason = new StringBuilder()
        .append("credential ").append(name).append(" is not configured: set the environment variable ")
        .append(name).append(" for mux, or write it to ").append(file).append(" (mode 600)");
    if (envProblem != null) {
      reason.append("; ").append(envProblem);
    }
    if (fileProblem != null) {
      reason.append("; ").append(fileProblem);
    }
    if (commandProblem != null) {
      reason.append("; ").append(commandProblem);
    }
    return new CredentialLookup.Missing(name, reason.toString());
  }

  /** The trimmed content, null when the file does not exist. */
  private static Secret readFile(Path file) {
    try {
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.exists(file)) {
        return null;
      }
      if (!Files.isRegularFile(file)) {
        throw new SecretFileException("secret file " + file + " is not a regular file");
      }
      if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (permissions.stream().anyMatch(TOO_OPEN::contains)) {
          throw new SecretFileException("secret file " + file
              + " is readable by group or others and was refused: run chmod 600 " + file);
        }
      }
      if (Files.size(file) > MAX_SECRET_BYTES) {
        throw new SecretFileException("secret file " + file + " is larger than 64 KiB");
      }
      String content = Files.readString(file, StandardCharsets.UTF_8);
      if (content.isBlank()) {
        throw new SecretFileException("secret file " + file + " is empty");
      }
      return Secret.of(content);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      // The exception message holds only the path and the error kind, never the content.
      throw new SecretFileException("secret file " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static Secret run(String name, CommandSpec spec) {
    String program = spec.command().get(0);
    Process process;
    try {
      process = new ProcessBuilder(spec.command())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new SecretFileException("command " + program + " for " + name + " could not start ("
          + e.getClass().getSimpleName() + ")");
    }
    CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readLimited(process.getInputStream()));
    try {
      if (!process.waitFor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new SecretFileException("command " + program + " for " + name + " timed out after " + spec.timeout());
      }
      byte[] bytes = output.get(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (process.exitValue() != 0) {
        throw new SecretFileException("command " + program + " for " + name + " exited with " + process.exitValue());
      }
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (text.isBlank()) {
        throw new SecretFileException("command " + program + " for " + name + " printed nothing");
      }
      return Secret.of(text);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new SecretFileException("command " + program + " for " + name + " was interrupted");
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new SecretFileException("command " + program + " for " + name + " output could not be read");
    }
  }

  private static byte[] readLimited(InputStream in) {
    try (in) {
      return in.readNBytes(MAX_SECRET_BYTES);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("stream closed", e);
    }
  }

  /** A problem with a secret source; its message names the source, never the value. */
  private static final class SecretFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SecretFileException(String message) {
      super(message, null, false, false);
    }
  }
}
