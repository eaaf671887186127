package dev.mux.docker.testing;

import static java.util.Objects.requireNonNull;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds a small agent image for tests on the local Docker engine without any registry: a root
 * file system assembled here from host files and handed to the engine as {@code docker import}.
 * The mux modules' Docker tests (docker-backend, examples, cli) all build their images with it.
 *
 * <p>The tools come from a static {@code /bin/busybox} if the host has one (every applet linked
 * in {@code /bin}); otherwise from the host itself: {@code /bin/sh}, {@link #BASE_TOOLS} and the
 * {@link Builder#hostTools extra tools} a test needs, each with the shared libraries {@code ldd}
 * names. Setting the system property {@value #NO_BUSYBOX_PROPERTY} to {@code true} forces the
 * second way, to check the tests also pass on a host without busybox.
 *
 * <p>Every image also has {@code /etc/passwd} and {@code /etc/group} (root, and {@code mux} with
 * uid 1000 and home {@code /home/mux}), {@code /tmp}, {@code /workspace}, the host's CA bundle
 * ({@code /etc/ssl/certs/ca-certificates.crt}) when it has one, {@code PATH=/usr/local/bin:/usr/bin:/bin},
 * working directory {@code /workspace} and command {@code sh}.
 *
 * <pre>{@code
 * String image = TestImage.builder("mux-e2e-claude")
 *     .hostBinary("usr/local/bin/claude", claudeExecutable)   // plus its ldd libraries
 *     .hostTools("ps", "tr")                                  // needed only without busybox
 *     .build();                                               // "mux-e2e-claude:<12 hex digits>"
 * }</pre>
 *
 * <p>The tag is a hash of what goes in (file names, modes, contents given here, and the path,
 * size and modification time of host files), so a changed input makes a new image and an
 * unchanged one is imported only once per engine.
 */
public final class TestImage {

  /** The system property that, set to {@code true}, builds from host tools even where busybox exists. */
  public static final String NO_BUSYBOX_PROPERTY = "mux.test.noBusybox";

  /** The tools every image built without busybox has in {@code /bin}, besides {@code sh}. */
  public static final List<String> BASE_TOOLS = List.of("cat", "id", "mkdir", "mv", "sleep", "env", "ls", "stty");

  private static final Path BUSYBOX = Path.of("/bin/busybox");
  private static final Path CA_BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");
  private static final long FIXED_MTIME = 1_700_000_000_000L;
  private static final List<String> CHANGES =
      List.of("ENV PATH=/usr/local/bin:/usr/bin:/bin", "WORKDIR /workspace", "CMD [\"sh\"]");

  private TestImage() {}

  /** A builder for an image named {@code repository:<content hash>}. */
  public static Builder builder(String repository) {
    return new Builder(repository);
  }

  /** Collects what goes into the image; {@link #build()} imports it if the engine lacks it. */
  public static final class Builder {
    private final String repository;
    private final List<Entry> extras = new ArrayList<>();
    private final List<String> hostTools = new ArrayList<>();
    private boolean busybox = !Boolean.getBoolean(NO_BUSYBOX_PROPERTY);
    private String dockerHost;

    private Builder(String repository) {
      this.repository = requireNonNull(repository, "repository");
    }

    /** A file with this content at {@code path} (relative, e.g. {@code usr/local/bin/claude}). */
    public Builder file(String path, byte[] content, int mode) {
      extras.add(Entry.content(relative(path), content.clone(), mode));
      return this;
    }

    /** The host executable {@code binary} at {@code path}, with the shared libraries {@code ldd} names for it. */
    public Builder hostBinary(String path, Path binary) {
      extras.add(Entry.hostFile(relative(path), requireNonNull(binary, "binary"), 0755));
      return this;
    }

    /**
     * Tools copied from the host's {@code PATH} into {@code /bin} when the image is not made from
     * busybox, besides {@code sh} and {@link #BASE_TOOLS}; each must exist on the host.
     */
    public Builder hostTools(String... tools) {
      hostTools.addAll(List.of(tools));
      return this;
    }

    /**
     * Whether a static {@code /bin/busybox} of the host may provide the tools (default: yes,
     * unless the system property {@value #NO_BUSYBOX_PROPERTY} is {@code true}).
     */
    public Builder busybox(boolean allowed) {
      this.busybox = allowed;
      return this;
    }

    /** The engine, e.g. {@code unix:///var/run/docker.sock} (default: docker-java's, from {@code DOCKER_HOST}). */
    public Builder dockerHost(String dockerHost) {
      this.dockerHost = requireNonNull(dockerHost, "dockerHost");
      return this;
    }

    /**
     * Imports the image unless the engine already has it.
     *
     * @return the image name, {@code repository:tag}
     * @throws IllegalStateException if no engine answers or the import fails (saying what to do)
     */
    public String build() {
      String host = dockerHost != null ? dockerHost
          : DefaultDockerClientConfig.createDefaultConfigBuilder().build().getDockerHost().toString();
      List<Entry> plan = plan();
      String tag = hash(plan);
      String image = repository + ":" + tag;
      try (ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(URI.create(host)).build()) {
        if (!exists(http, host, image)) {
          importImage(http, plan, tag);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("test image " + image + ": " + e.getMessage(), e);
      }
      return image;
    }

    private List<Entry> plan() {
      List<Entry> plan = new ArrayList<>();
      for (String dir : List.of("bin", "usr/local/bin", "usr/bin", "usr/lib", "lib", "lib64", "etc/ssl/certs",
          "proc", "sys", "dev", "workspace")) {
        plan.add(Entry.directory(dir, 0755));
      }
      plan.add(Entry.directory("tmp", 01777));
      plan.add(Entry.directory("root", 0700));
      plan.add(Entry.directory("home/mux", 0777));
      plan.add(Entry.content("etc/passwd",
          "root:x:0:0:root:/root:/bin/sh\nmux:x:1000:1000:mux:/home/mux:/bin/sh\n", 0644));
      plan.add(Entry.content("etc/group", "root:x:0:\nmux:x:1000:\n", 0644));
      if (Files.isReadable(CA_BUNDLE)) {
        plan.add(Entry.hostFile(CA_BUNDLE.toString().substring(1), CA_BUNDLE, 0644));
      }
      if (busybox && Files.isExecutable(BUSYBOX) && isStatic(BUSYBOX)) {
        plan.add(Entry.hostFile("bin/busybox", BUSYBOX, 0755));
        for (String applet : run("/bin/busybox", "--list").split("\n")) {
          if (!applet.isBlank() && !applet.strip().equals("busybox")) {
            plan.add(Entry.symlink("bin/" + applet.strip(), "busybox"));
          }
        }
      } else {
        List<String> tools = new ArrayList<>(List.of("sh"));
        tools.addAll(BASE_TOOLS);
        tools.addAll(hostTools);
        for (String tool : tools) {
          withLibraries(plan, "bin/" + tool, onPath(tool));
        }
      }
      for (Entry extra : extras) {
        if (extra.hostFile() != null) {
          withLibraries(plan, extra.name(), extra.hostFile());
        } else {
          plan.add(extra);
        }
      }
      return plan;
    }

    private void importImage(ApacheDockerHttpClient http, List<Entry> plan, String tag) throws IOException {
      Path tar = Files.createTempFile("mux-test-image", ".tar");
      try {
        try (OutputStream out = Files.newOutputStream(tar)) {
          writeTar(plan, out);
        }
        // Raw HTTP: docker-java 3.5.3's createImageCmd sends its stream JSON-encoded instead of as
        // the body, which the engine rejects ("unexpected EOF").
        StringBuilder path = new StringBuilder("/images/create?fromSrc=-&repo=")
            .append(URLEncoder.encode(repository, StandardCharsets.UTF_8)).append("&tag=").append(tag);
        for (String change : CHANGES) {
          path.append("&changes=").append(URLEncoder.encode(change, StandardCharsets.UTF_8));
        }
        try (InputStream body = Files.newInputStream(tar);
            DockerHttpClient.Response response = http.execute(DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path(path.toString())
                .putHeader("Content-Type", "application/x-tar")
                .body(body)
                .build())) {
          String answer = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
          if (response.getStatusCode() != 200 || answer.contains("\"error\"")) {
            throw new IllegalStateException("test image import failed: " + response.getStatusCode() + " " + answer);
          }
        }
      } finally {
        Files.deleteIfExists(tar);
      }
    }
  }

  private static boolean exists(ApacheDockerHttpClient http, String host, String image) {
    DockerHttpClient.Request request = DockerHttpClient.Request.builder()
        .method(DockerHttpClient.Request.Method.GET)
        .path("/images/" + image + "/json")
        .build();
    try (DockerHttpClient.Response response = http.execute(request)) {
      return response.getStatusCode() == 200;
    } catch (RuntimeException e) {
      throw new IllegalStateException("test image: no Docker engine answers at " + host + " (" + e
          + "). Start one with `.ci/install-docker.sh` (or `sudo dockerd &`), or set DOCKER_HOST.", e);
    }
  }

  /** {@code binary} at {@code path}, and each library {@code ldd} names at its own path. */
  private static void withLibraries(List<Entry> plan, String path, Path binary) {
    plan.add(Entry.hostFile(path, binary, 0755));
    for (String line : ldd(binary).split("\n")) {
      String text = line.strip();
      int arrow = text.indexOf("=> ");
      String library = arrow >= 0 ? text.substring(arrow + 3) : text;
      if (library.startsWith("/")) {
        int space = library.indexOf(' ');
        library = space < 0 ? library : library.substring(0, space);
        plan.add(Entry.hostFile(library.substring(1), Path.of(library), 0755));
      }
    }
  }

  /** What {@code ldd} says about {@code binary}; for a static binary or a script that names no library. */
  private static String ldd(Path binary) {
    try {
      Process process = new ProcessBuilder("ldd", binary.toString()).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("ldd " + binary + " did not finish within 10 s");
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("test image: cannot run ldd (needed to copy host binaries)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("test image: host tool " + tool
        + " not found (install busybox-static, or run .ci/install-docker.sh)");
  }

  private static boolean isStatic(Path binary) {
    String out = ldd(binary);
    return out.contains("not a dynamic executable") || out.contains("statically linked");
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

  private static String relative(String path) {
    requireNonNull(path, "path");
    String relative = path.startsWith("/") ? path.substring(1) : path;
    if (relative.isEmpty() || relative.endsWith("/")) {
      throw new IllegalArgumentException("path: \"" + path + "\" (expected: a file path such as usr/local/bin/claude)");
    }
    return relative;
  }

  /** The first 12 hex digits of a SHA-256 over the plan and the image's configuration. */
  private static String hash(List<Entry> plan) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Entry entry : plan) {
        entry.digest(digest);
      }
      CHANGES.forEach(change -> digest.update((change + "\n").getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void writeTar(List<Entry> plan, OutputStream out) throws IOException {
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      Set<String> written = new HashSet<>();
      for (Entry entry : plan) {
        entry.write(tar, written);
      }
    }
  }

  /** One path of the root file system. Host files are read only when the tar is written. */
  private record Entry(String name, char type, int mode, byte[] content, Path hostFile, String linkTarget) {

    static Entry directory(String name, int mode) {
      return new Entry(name, 'd', mode, null, null, null);
    }

    static Entry content(String name, String text, int mode) {
      return content(name, text.getBytes(StandardCharsets.UTF_8), mode);
    }

    static Entry content(String name, byte[] content, int mode) {
      return new Entry(name, 'f', mode, content, null, null);
    }

    static Entry hostFile(String name, Path file, int mode) {
      return new Entry(name, 'h', mode, null, file, null);
    }

    static Entry symlink(String name, String target) {
      return new Entry(name, 'l', 0777, null, null, target);
    }

    void digest(MessageDigest digest) {
      digest.update((type + " " + name + " " + Integer.toOctalString(mode) + "\n").getBytes(StandardCharsets.UTF_8));
      if (content != null) {
        digest.update(content);
      }
      if (hostFile != null) {
        try {
          digest.update((hostFile + " " + Files.size(hostFile) + " " + Files.getLastModifiedTime(hostFile))
              .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      if (linkTarget != null) {
        digest.update(linkTarget.getBytes(StandardCharsets.UTF_8));
      }
    }

    /** Writes this entry and, first, any parent directory not yet written; a path already written is skipped. */
    void write(TarArchiveOutputStream tar, Set<String> written) throws IOException {
      int slash = name.indexOf('/');
      while (slash >= 0) {
        String parent = name.substring(0, slash + 1);
        if (written.add(parent)) {
          header(tar, new TarArchiveEntry(parent), TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | 0755);
          tar.closeArchiveEntry();
        }
        slash = name.indexOf('/', slash + 1);
      }
      String key = type == 'd' ? name + "/" : name;
      if (!written.add(key)) {
        return; // the engine refuses duplicate paths
      }
      switch (type) {
        case 'd' -> header(tar, new TarArchiveEntry(name + "/"), TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | mode);
        case 'l' -> {
          TarArchiveEntry link = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
          link.setLinkName(linkTarget);
          header(tar, link, link.getMode());
        }
        case 'f' -> {
          TarArchiveEntry file = new TarArchiveEntry(name);
          file.setSize(content.length);
          header(tar, file, TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
          tar.write(content);
        }
        default -> {
          TarArchiveEntry file = new TarArchiveEntry(name);
          file.setSize(Files.size(hostFile));
          header(tar, file, TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
          Files.copy(hostFile, tar); // follows symbolic links: the image gets the file itself
        }
      }
      tar.closeArchiveEntry();
    }

    private static void header(TarArchiveOutputStream tar, TarArchiveEntry entry, int mode) throws IOException {
      entry.setMode(mode);
      entry.setModTime(FIXED_MTIME);
      tar.putArchiveEntry(entry);
    }
  }
}
