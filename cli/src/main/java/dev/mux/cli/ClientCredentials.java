package dev.mux.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proxy credentials for clients (one per session, one per {@code mux env} name).
 *
 * <p>A credential is the client's name as the proxy user and, as the password,
 * {@code mux1.<issued-millis>.<nonce>.<HMAC-SHA256(key, name, issued, nonce)>}. The 256-bit key
 * lives in {@code client-credentials.key} (0600) in the state folder, so credentials survive a
 * daemon restart and nobody without the key can make one. Revoking a name appends
 * {@code <name> <millis>} to {@code revoked-clients}: every credential for that name issued at or
 * before that moment is refused from then on, while a credential issued later (a new session of the
 * same name) works. The daemon re-reads the revocation file whenever it changes.
 */
final class ClientCredentials {
  private static final String VERSION = "mux1";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

  private final Path revocationFile;
  private final byte[] key;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private Map<String, Long> revokedUntil = Map.of();
  private FileTime revocationsReadAt;
  private long revocationsSize = -1;

  private ClientCredentials(Path revocationFile, byte[] key, Clock clock) {
    this.revocationFile = revocationFile;
    this.key = key;
    this.clock = clock;
  }

  /** Loads the key from the state folder, creating it (0600) the first time. */
  static ClientCredentials open(StateFolder state) {
    return open(state, Clock.systemUTC());
  }

  static ClientCredentials open(StateFolder state, Clock clock) {
    state.ensureExists();
    return new ClientCredentials(state.revokedClients(), loadOrCreateKey(state.clientKey()), clock);
  }

  /** Checks a client name: letters, digits, '.', '_', '-', at most 63, starting with a letter or digit. */
  static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name: \"" + name + "\" (expected: 1-63 of A-Z a-z 0-9 . _ -, starting with a letter or digit)");
    }
    return name;
  }

  /** A fresh credential for {@code name}. */
  synchronized ProxyCredential issue(String name) {
    checkName(name);
    refreshRevocations();
    long issued = Math.max(clock.millis(), revokedUntil.getOrDefault(name, -1L) + 1);
    byte[] nonceBytes = new byte[12];
    random.nextBytes(nonceBytes);
    String nonce = BASE64.encodeToString(nonceBytes);
    String password = String.join(".", VERSION, Long.toString(issued), nonce, mac(name, issued, nonce));
    return new ProxyCredential(name, password);
  }

  /** The client name if {@code password} is a valid, unrevoked credential for {@code user}. */
  synchronized Optional<String> verify(String user, String password) {
    if (user == null || password == null || !NAME.matcher(user).matches()) {
      return Optional.empty();
    }
    String[] parts = password.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals(VERSION)) {
      return Optional.empty();
    }
    long issued;
    try {
      issued = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    byte[] expected = mac(user, issued, parts[2]).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, parts[3].getBytes(StandardCharsets.US_ASCII))) {
      return Optional.empty();
    }
    refreshRevocations();
    if (issued <= revokedUntil.getOrDefault(user, Long.MIN_VALUE)) {
      return Optional.empty();
    }
    return Optional.of(user);
  }

  /** Refuses, from now on, every credential issued so far for {@code name}. */
  synchronized void revoke(String name) {
    checkName(name);
    String line = name + " " + clock.millis() + "\n";
    try {
      Files.writeString(
          revocationFile,
          line,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new UncheckedIOException("revoked clients: cannot write " + revocationFile, e);
    }
    revocationsReadAt = null;
  }

  private void refreshRevocations() {
    try {
      FileTime modified = Files.getLastModifiedTime(revocationFile);
      long size = Files.size(revocationFile);
      if (modified.equals(revocationsReadAt) && size == revocationsSize) {
        return;
      }
      Map<String, Long> latest = new HashMap<>();
      List<String> lines = Files.readAllLines(revocationFile, StandardCharsets.UTF_8);
      for (String line : lines) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length == 2) {
          try {
            latest.merge(fields[0], Long.parseLong(fields[1]), Math::max);
          } catch (NumberFormatException ignored) {
            // a torn last line from a concurrent append: the next read sees it whole
          }
        }
      }
      revokedUntil = Map.copyOf(latest);
      revocationsReadAt = modified;
      revocationsSize = size;
    } catch (NoSuchFileException e) {
      revokedUntil = Map.of();
      revocationsReadAt = null;
      revocationsSize = -1;
    } catch (IOException e) {
      // fail closed: a revocation list we cannot read revokes everything
      throw new UncheckedIOException("revoked clients: cannot read " + revocationFile, e);
    }
  }

  private String mac(String name, long issued, String nonce) {
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(key, "HmacSHA256"));
      String message = VERSION + "\n" + name + "\n" + issued + "\n" + nonce;
      return BASE64.encodeToString(hmac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static byte[] loadOrCreateKey(Path file) {
    try {
      if (!Files.exists(file)) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        Path temp =
            Files.createTempFile(
                file.getParent(),
                ".client-key",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
          Files.write(temp, BASE64.encode(fresh), StandardOpenOption.SYNC);
          Files.createLink(file, temp); // fails if another process created it first: then use theirs
        } catch (FileAlreadyExistsException raced) {
          // fall through and read the winner's key
        } finally {
          Files.deleteIfExists(temp);
        }
      }
      byte[] decoded = Base64.getUrlDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
      if (decoded.length < 32) {
        throw new ExitException(
            "client key: " + file + " holds " + decoded.length + " bytes (expected: 32); delete it to make a new one"
                + " (every issued proxy credential stops working)");
      }
      return decoded;
    } catch (IOException e) {
      throw new UncheckedIOException("client key: cannot read or create " + file, e);
    } catch (IllegalArgumentException e) {
      throw new ExitException(
          "client key: " + file + " is not base64 (expected: 32 random bytes); delete it to make a new one");
    }
  }

  /** A proxy user and password; {@link #toString()} hides the password. */
  record ProxyCredential(String name, String password) {
    /** {@code http://name:password@host:port}. */
    String proxyUrl(String host, int port) {
      String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
      return "http://" + name + ":" + password + "@" + hostPart + ":" + port;
    }

    @Override
    public String toString() {
      return "ProxyCredential[name=" + name + ", password=****]";
    }
  }
}
