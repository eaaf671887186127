package dev.mux.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds the tests' agent image without any registry: a root file system made here from host
 * binaries (a static busybox if the host has one, else /bin/sh and a few tools with the shared
 * libraries {@code ldd} names), plus {@code /usr/local/bin/claude} = {@code fake-claude.sh}, handed
 * to the engine as {@code docker import}. Tagged by content hash and built once per engine.
 */
final class TestImage {
  static final String REPOSITORY = "mux-test-agent";
  private static final long FIXED_MTIME = 1_700_000_000_000L;
  private static final List<String> FALLBACK_TOOLS = List.of("cat", "id", "mkdir", "mv", "sleep", "env", "ls", "stty");

  private static String built;
  /** Paths already in the archive being written (per thread: one archive at a time). */
  private static final ThreadLocal<Set<String>> WRITTEN = ThreadLocal.withInitial(java.util.HashSet::new);

  private TestImage() {}

  /** The image name, building and importing it on first use. */
  static synchronized String ensureBuilt(DockerClient client, String dockerHost) {
    if (built == null) {
      built = ensureBuilt(client, dockerHost, true);
    }
    return built;
  }

  /** Builds (once per engine) the image from busybox if allowed and present, else from host tools. */
  static String ensureBuilt(DockerClient client, String dockerHost, boolean busyboxAllowed) {
    byte[] rootfs = rootfsTar(busyboxAllowed);
    String tag = sha256(rootfs).substring(0, 12);
    String image = REPOSITORY + ":" + tag;
    try {
      client.inspectImageCmd(image).exec();
    } catch (NotFoundException missing) {
      importImage(dockerHost, rootfs, tag);
    }
    return image;
  }

  /**
   * {@code docker import} through the raw HTTP client: docker-java 3.5.3's createImageCmd sends
   * its stream JSON-encoded instead of as the body, which the engine rejects ("unexpected EOF").
   */
  private static void importImage(String dockerHost, byte[] rootfs, String tag) {
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(URI.create(dockerHost)).build();
    DockerHttpClient.Request request = DockerHttpClient.Request.builder()
        .method(DockerHttpClient.Request.Method.POST)
        .path("/images/create?fromSrc=-&repo=" + REPOSITORY + "&tag=" + tag)
        .putHeader("Content-Type", "application/x-tar")
        .body(new ByteArrayInputStream(rootfs))
        .build();
    try (http; DockerHttpClient.Response response = http.execute(request)) {
      String body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
      if (response.getStatusCode() != 200 || body.contains("\"error\"")) {
        throw new IllegalStateException("test image import failed: " + response.getStatusCode() + " " + body);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("test image import failed", e);
    }
  }

  static byte[] rootfsTar(boolean busyboxAllowed) {
    WRITTEN.get().clear();
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (String dir : List.of("bin/", "usr/", "usr/local/", "usr/local/bin/", "etc/", "home/", "proc/",
            "sys/", "dev/", "workspace/", "lib/", "lib64/", "usr/lib/")) {
          directory(tar, dir, 0755);
        }
        directory(tar, "tmp/", 01777);
        file(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n".getBytes(StandardCharsets.US_ASCII), 0644);
        file(tar, "etc/group", "root:x:0:\n".getBytes(StandardCharsets.US_ASCII), 0644);
        file(tar, "usr/local/bin/claude", fakeClaude(), 0755);
        Path busybox = Path.of("/bin/busybox");
        if (busyboxAllowed && Files.isExecutable(busybox) && isStatic(busybox)) {
          file(tar, "bin/busybox", Files.readAllBytes(busybox), 0755);
          for (String applet : run("/bin/busybox", "--list").split("\n")) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
              symlink(tar, "bin/" + applet.trim(), "busybox");
            }
          }
        } else {
          hostTools(tar);
        }
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void hostTools(TarArchiveOutputStream tar) throws IOException {
    Set<Path> files = new LinkedHashSet<>();
    List<String> tools = new ArrayList<>(List.of("sh"));
    tools.addAll(FALLBACK_TOOLS);
    for (String tool : tools) {
      Path binary = onPath(tool);
      file(tar, "bin/" + tool, Files.readAllBytes(binary), 0755);
      for (String line : run("ldd", binary.toString()).split("\n")) {
        String text = line.trim();
        int arrow = text.indexOf("=> ");
        String path = arrow >= 0 ? text.substring(arrow + 3) : text;
        if (path.startsWith("/")) {
          files.add(Path.of(path.substring(0, path.indexOf(' ') < 0 ? path.length() : path.indexOf(' '))));
        }
      }
    }
    Set<String> dirs = new LinkedHashSet<>();
    for (Path library : files) {
      Path parent = library.getParent();
      StringBuilder sofar = new StringBuilder();
      for (Path part : parent) {
        sofar.append(part).append('/');
        if (dirs.add(sofar.toString())) {
          directory(tar, sofar.toString(), 0755);
        }
      }
      file(tar, library.toString().substring(1), Files.readAllBytes(library.toRealPath()), 0755);
    }
  }

  private static Path onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        try {
          return candidate.toRealPath();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new IllegalStateException("test image: host tool " + tool
        + " not found (install busybox-static, or run .ci/install-docker.sh)");
  }

  private static boolean isStatic(Path binary) {
    try {
      Process process = new ProcessBuilder("ldd", binary.toString()).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(10, TimeUnit.SECONDS);
      return out.contains("not a dynamic executable") || out.contains("statically linked");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static byte[] fakeClaude() throws IOException {
    try (InputStream in = TestImage.class.getResourceAsStream("/fake-claude.sh")) {
      return in.readAllBytes();
    }
  }

  private static void directory(TarArchiveOutputStream tar, String name, int mode) throws IOException {
    if (!WRITTEN.get().add(name)) {
      return; // the engine refuses duplicate paths
    }
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | mode);
    entry.setModTime(FIXED_MTIME);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
  }

  private static void file(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
    if (!WRITTEN.get().add(name)) {
      return;
    }
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
    entry.setSize(content.length);
    entry.setModTime(FIXED_MTIME);
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  private static void symlink(TarArchiveOutputStream tar, String name, String target) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
    entry.setLinkName(target);
    entry.setModTime(FIXED_MTIME);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
  }

  private static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
