package dev.mux.docker;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import dev.mux.docker.DockerSessionException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Agent sessions as Docker containers that hold no real credential: the entry point of the
 * module.
 *
 * <p>Each session is one container, {@code mux-<name>}, that reaches the mux proxy at
 * {@code host.docker.internal:<port>} with its own proxy credential, trusts the proxy's CA, and
 * carries only placeholder credentials. Labels on the container hold the session's metadata, so
 * Docker is the only store: {@link #list()} works the same after a restart.
 *
 * <pre>{@code
 * try (DockerSessions sessions = DockerSessions.builder()
 *     .proxyPort(18080)
 *     .caCertificate(home.resolve("proxy-ca.pem"))
 *     .placeholderEnvironment(rules.placeholderEnvironment())   // credential-rules' placeholders
 *     .sessionsDirectory(home.resolve("sessions"))
 *     .neverExpose(home.resolve("proxy-ca-key.pem"), home.resolve("secrets"))
 *     .build()) {
 *   AgentSession session = sessions.create(SessionSpec.builder("fix-login")
 *       .workspace(Path.of("."))
 *       .mode(SessionMode.PRINT)
 *       .prompt("Fix the failing login test")
 *       .proxyCredential(credential)
 *       .build());
 *   int exitCode = session.start().streamUntilExit(System.out, System.err);
 * }
 * }</pre>
 *
 * <p>The engine connection is lazy: nothing talks to Docker before the first operation. It comes
 * from {@link Builder#dockerHost(String)}, else {@code DOCKER_HOST} (with {@code DOCKER_TLS_VERIFY}
 * and {@code DOCKER_CERT_PATH} for TLS), else the current docker context and the usual local
 * sockets. If none answers, every operation throws a {@link DockerSessionException} with reason
 * {@code ENGINE_UNREACHABLE} listing what was tried and what to do; that answer is cached.
 * Thread-safe.
 */
public final class DockerSessions implements AutoCloseable {
  /** The image sessions run unless told otherwise; build it from {@code docker/Dockerfile}. */
  public static final String DEFAULT_IMAGE = "mux-agent:latest";
  /** The proxy port containers use unless told otherwise. */
  public static final int DEFAULT_PROXY_PORT = 18080;
  /** How containers reach the host (mapped to the host gateway with {@code --add-host}). */
  public static final String HOST_GATEWAY_NAME = "host.docker.internal";

  private static final Pattern EXIT_CODE = Pattern.compile("Exited \\((-?\\d+)\\)");
  /** Top-level claude.json fields that may hold a credential (e.g. primaryApiKey, oauthAccount). */
  private static final Pattern CREDENTIAL_FIELD =
      Pattern.compile("(?i)(api.?key|token|secret|password|oauth|credential)");

  private final DockerEngine engine;
  private final Settings settings;
  private final Clock clock;

  private DockerSessions(DockerEngine engine, Settings settings, Clock clock) {
    this.engine = engine;
    this.settings = settings;
    this.clock = clock;
  }

  /** Starts a builder with the defaults described on each method. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the session's container (not yet started: call {@link AgentSession#start()}).
   * Everything is checked before anything is created: the workspace exists, no mount exposes a
   * {@link Builder#neverExpose protected path}, the CA file holds no key, the image is on the
   * engine and the name is free.
   *
   * @throws IllegalArgumentException if the spec or the CA file is unusable
   * @throws DockerSessionException {@code IMAGE_MISSING}, {@code NAME_TAKEN}, {@code ENGINE_UNREACHABLE}
   */
  public AgentSession create(SessionSpec spec) {
    requireNonNull(spec, "spec");
    SessionFiles files = SessionFiles.of(settings.sessionsDirectory(), spec.name());
    ContainerPlan plan = ContainerPlan.of(settings, spec, files, clock.instant());
    String caPem = settings.caCertificate() == null ? null : TrustMaterial.caCertificatePem(settings.caCertificate());
    String systemPem = caPem == null ? "" : TrustMaterial.systemCertificatesPem(settings.systemCertificates());
    byte[] claudeJson = claudeJson(settings.claudeJsonTemplate());

    DockerClient client = engine.client();
    checkImagePresent(client, plan.image());
    checkNameFree(client, spec.name());
    files.write(caPem, systemPem, claudeJson);
    try {
      var create = client.createContainerCmd(plan.image())
          .withName(plan.containerName())
          .withCmd(plan.command())
          .withEnv(plan.environmentList())
          .withLabels(plan.labels())
          .withWorkingDir(ContainerPlan.WORKSPACE_TARGET)
          .withTty(plan.tty())
          .withStdinOpen(plan.tty())
          .withStdInOnce(false)
          .withAttachStdin(plan.tty())
          .withAttachStdout(true)
          .withAttachStderr(true)
          .withHostConfig(HostConfig.newHostConfig()
              .withInit(true)
              .withExtraHosts(ContainerPlan.HOST_GATEWAY)
              .withMounts(plan.mounts().stream().map(Mount::toDocker).toList()));
      if (plan.user() != null) {
        create.withUser(plan.user());
      }
      create.exec();
    } catch (ConflictException e) {
      throw nameTaken(spec.name());
    } catch (RuntimeException e) {
      files.delete();
      List<String> sensitive = new ArrayList<>(spec.environment().values());
      spec.proxyCredential().ifPresent(credential -> {
        sensitive.add(credential);
        sensitive.add(ContainerPlan.percentEncode(credential));
      });
      throw Failures.scrub(Failures.translate(e, spec.name(), "create", engine.host()), sensitive);
    }
    return new AgentSession(spec.name(), engine, settings);
  }

  /**
   * A handle on the session {@code name}; nothing is checked until it is used (then a missing
   * container is {@code SESSION_MISSING}, or {@link SessionStatus.Missing} from {@code status()}).
   */
  public AgentSession session(String name) {
    return new AgentSession(SessionSpec.checkName(name), engine, settings);
  }

  /** Every session on the engine (carrying this instance's {@link Builder#label labels}), oldest first. */
  public List<SessionInfo> list() {
    DockerClient client = engine.client();
    Map<String, String> filter = new HashMap<>(settings.labels());
    filter.put(SessionLabels.SESSION, ""); // "" = the label is present, any value
    List<Container> containers;
    try {
      containers = client.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec();
    } catch (RuntimeException e) {
      throw Failures.translate(e, "*", "list", engine.host());
    }
    List<SessionInfo> sessions = new ArrayList<>();
    for (Container container : containers) {
      Map<String, String> labels = container.getLabels();
      String name = labels.get(SessionLabels.SESSION);
      String fallbackCreated = container.getCreated() == null ? null
          : Instant.ofEpochSecond(container.getCreated()).toString();
      sessions.add(AgentSession.sessionInfo(name, container.getId(),
          SessionStatus.of(container.getState(), exitCode(container.getStatus())),
          labels, container.getImage(), fallbackCreated));
    }
    sessions.sort(Comparator.comparing(SessionInfo::created, Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(SessionInfo::name));
    return List.copyOf(sessions);
  }

  /** Whether an engine answers (connecting if needed); never throws. */
  public boolean isDockerAvailable() {
    return engine.isAvailable();
  }

  /** The engine address in use (or about to be tried first). */
  public String dockerHost() {
    return engine.host();
  }

  /** Closes the engine connection. Sessions keep running; this does not delete them. */
  @Override
  public void close() {
    engine.close();
  }

  private void checkImagePresent(DockerClient client, String image) {
    try {
      client.inspectImageCmd(image).exec();
    } catch (NotFoundException e) {
      throw new DockerSessionException(Reason.IMAGE_MISSING, imageMissingMessage(image, engine.host()));
    } catch (RuntimeException e) {
      throw Failures.translate(e, "*", "image check", engine.host());
    }
  }

  static String imageMissingMessage(String image, String host) {
    String howTo = image.equals(DEFAULT_IMAGE)
        ? "Build it with: docker build -t " + DEFAULT_IMAGE + " docker/   (from the mux source tree; see docker/README.md)"
        : "Pull it with: docker pull " + image + "   (or build it and tag it " + image + ")";
    return "image \"" + image + "\" is not on the Docker engine at " + host + ". " + howTo;
  }

  private void checkNameFree(DockerClient client, String name) {
    try {
      client.inspectContainerCmd(SessionLabels.containerName(name)).exec();
    } catch (NotFoundException free) {
      return;
    } catch (RuntimeException e) {
      throw Failures.translate(e, name, "name check", engine.host());
    }
    throw nameTaken(name);
  }

  private DockerSessionException nameTaken(String name) {
    return new DockerSessionException(Reason.NAME_TAKEN, "session \"" + name + "\": the name is taken (container "
        + SessionLabels.containerName(name) + " exists on " + engine.host()
        + "); choose another name or delete that session first");
  }

  private static int exitCode(String dockerStatus) {
    Matcher m = dockerStatus == null ? null : EXIT_CODE.matcher(dockerStatus);
    return m != null && m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  /**
   * The template (if any) with {@code hasCompletedOnboarding: true}, so the agent skips
   * onboarding, and without top-level fields that may hold a credential. Unless the template says
   * otherwise it also answers the two questions Claude Code would otherwise ask on first attach,
   * before the session's prompt runs: the workspace is trusted (the user chose to mount it) and
   * the bypass-permissions warning is accepted (the agent runs with
   * {@code --dangerously-skip-permissions} in a container that is the sandbox).
   */
  static byte[] claudeJson(Path template) {
    ObjectMapper mapper = new ObjectMapper();
    try {
      ObjectNode json = mapper.createObjectNode();
      if (template != null && Files.isRegularFile(template)) {
        JsonNode read = mapper.readTree(template.toFile());
        if (read instanceof ObjectNode object) {
          json = object;
        }
      }
      json.properties().removeIf(field -> CREDENTIAL_FIELD.matcher(field.getKey()).find());
      json.put("hasCompletedOnboarding", true);
      if (!json.has("bypassPermissionsModeAccepted")) {
        json.put("bypassPermissionsModeAccepted", true);
      }
      if (json.path("projects").isObject() || !json.has("projects")) {
        ObjectNode workspace = json.withObjectProperty("projects").withObjectProperty(ContainerPlan.WORKSPACE_TARGET);
        if (!workspace.has("hasTrustDialogAccepted")) {
          workspace.put("hasTrustDialogAccepted", true);
        }
      }
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
    } catch (IOException e) {
      throw new UncheckedIOException("claudeJsonTemplate: " + template + " could not be read as JSON", e);
    }
  }

  /** Builds {@link DockerSessions}; every setting has a default. */
  public static final class Builder {
    private String dockerHost;
    private Map<String, String> environment = System.getenv();
    private String image = DEFAULT_IMAGE;
    private AgentCommand agent = AgentCommand.claude();
    private String proxyHost = HOST_GATEWAY_NAME;
    private int proxyPort = DEFAULT_PROXY_PORT;
    private Path caCertificate;
    private Map<String, String> placeholderEnvironment = Map.of();
    private Path sessionsDirectory =
        Path.of(System.getProperty("user.home"), ".clauderon", "sessions");
    private Path claudeJsonTemplate;
    private Path systemCertificates;
    private String user = HostUser.uidGid();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<Path> neverExpose = new ArrayList<>();
    private Duration stopTimeout = Duration.ofSeconds(10);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The engine to use, e.g. {@code unix:///var/run/docker.sock} or {@code tcp://host:2376}.
     * Default: {@code DOCKER_HOST}, else the current docker context, else the local sockets.
     */
    public Builder dockerHost(String dockerHost) {
      this.dockerHost = requireNonNull(dockerHost, "dockerHost");
      return this;
    }

    /**
     * Where {@code DOCKER_HOST}, {@code DOCKER_TLS_VERIFY}, {@code DOCKER_CERT_PATH},
     * {@code DOCKER_CONTEXT} and {@code DOCKER_CONFIG} are read. Default: {@code System.getenv()}.
     * Nothing else from it ever reaches a container.
     */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(requireNonNull(environment, "environment"));
      return this;
    }

    /** The image sessions run. Default: {@value DockerSessions#DEFAULT_IMAGE}. */
    public Builder image(String image) {
      this.image = requireNonNull(image, "image");
      return this;
    }

    /** The agent's command line. Default: {@link AgentCommand#claude()}. */
    public Builder agentCommand(AgentCommand agent) {
      this.agent = requireNonNull(agent, "agent");
      return this;
    }

    /** The host name containers use for the proxy. Default: {@value DockerSessions#HOST_GATEWAY_NAME}. */
    public Builder proxyHost(String proxyHost) {
      this.proxyHost = requireNonNull(proxyHost, "proxyHost");
      return this;
    }

    /** The proxy port. Default: {@value DockerSessions#DEFAULT_PROXY_PORT}. */
    public Builder proxyPort(int proxyPort) {
      if (proxyPort < 1 || proxyPort > 65535) {
        throw new IllegalArgumentException("proxyPort: " + proxyPort + " (expected: 1-65535)");
      }
      this.proxyPort = proxyPort;
      return this;
    }

    /**
     * The proxy's CA certificate (PEM, no key). Each session gets a copy mounted read-only at
     * {@code /etc/ssl/certs/mux-proxy-ca.pem} ({@code NODE_EXTRA_CA_CERTS}) and a bundle of the
     * system CAs plus this one ({@code SSL_CERT_FILE}, {@code REQUESTS_CA_BUNDLE},
     * {@code CURL_CA_BUNDLE}, {@code GIT_SSL_CAINFO}). Default: none (no CA is set up).
     */
    public Builder caCertificate(Path caCertificate) {
      this.caCertificate = requireNonNull(caCertificate, "caCertificate");
      return this;
    }

    /**
     * Placeholder credentials the containers carry for the proxy to replace, e.g. what
     * credential-rules' {@code CredentialRules.placeholderEnvironment()} gives. Default: none.
     */
    public Builder placeholderEnvironment(Map<String, String> placeholderEnvironment) {
      requireNonNull(placeholderEnvironment, "placeholderEnvironment").keySet().forEach(SessionSpec::checkEnvName);
      this.placeholderEnvironment = Map.copyOf(placeholderEnvironment);
      return this;
    }

    /**
     * Where each session's host files live ({@code <dir>/<name>/}: its home with
     * {@code .claude.json}, CA copy and bundle). Default: {@code ~/.clauderon/sessions}.
     */
    public Builder sessionsDirectory(Path sessionsDirectory) {
      this.sessionsDirectory = requireNonNull(sessionsDirectory, "sessionsDirectory");
      return this;
    }

    /**
     * A {@code claude.json} to copy into each session, with {@code hasCompletedOnboarding} set to
     * true and any top-level field whose name suggests a credential ({@code primaryApiKey},
     * {@code oauthAccount}, …) removed. Default: none; the copy then holds only
     * {@code {"hasCompletedOnboarding": true}}.
     */
    public Builder claudeJsonTemplate(Path claudeJsonTemplate) {
      this.claudeJsonTemplate = requireNonNull(claudeJsonTemplate, "claudeJsonTemplate");
      return this;
    }

    /**
     * The CA bundle the proxy CA is added to. Default: the host's bundle
     * ({@code /etc/ssl/certs/ca-certificates.crt} and the like), else the JVM's trusted CAs.
     */
    public Builder systemCertificates(Path systemCertificates) {
      this.systemCertificates = requireNonNull(systemCertificates, "systemCertificates");
      return this;
    }

    /** The container user, {@code uid:gid}. Default: this process's user and group ids. */
    public Builder user(String user) {
      this.user = requireNonNull(user, "user");
      return this;
    }

    /**
     * Adds a label to every container created, and limits {@link #list()} to containers that
     * carry it (e.g. to keep tests apart from real sessions).
     */
    public Builder label(String key, String value) {
      requireNonNull(key, "key");
      requireNonNull(value, "value");
      if (key.startsWith("mux.")) {
        throw new IllegalArgumentException("label: " + key + " (expected: a key outside mux.*, which mux sets)");
      }
      labels.put(key, value);
      return this;
    }

    /**
     * Paths that must never reach a container, such as the CA key and the secrets folder: a
     * session whose mounts would contain one of them (or lie inside one) is refused. Always
     * included: {@code proxy-ca-key.pem} next to the {@link #caCertificate CA certificate}.
     */
    public Builder neverExpose(Path... paths) {
      for (Path path : requireNonNull(paths, "paths")) {
        neverExpose.add(requireNonNull(path, "path"));
      }
      return this;
    }

    /** How long {@link AgentSession#stop()} waits before killing. Default: 10 s. */
    public Builder stopTimeout(Duration stopTimeout) {
      requireNonNull(stopTimeout, "stopTimeout");
      if (stopTimeout.isNegative()) {
        throw new IllegalArgumentException("stopTimeout: " + stopTimeout + " (expected: >= 0)");
      }
      this.stopTimeout = stopTimeout;
      return this;
    }

    /** The clock for the {@code mux.created} label. Default: the system clock. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    public DockerSessions build() {
      List<Path> guarded = new ArrayList<>(neverExpose);
      if (caCertificate != null) {
        // the CA key usually sits next to the certificate: never mount it, even if nobody said so
        guarded.add(caCertificate.toAbsolutePath().resolveSibling("proxy-ca-key.pem"));
      }
      Settings settings = new Settings(image, agent, proxyHost, proxyPort,
          caCertificate == null ? null : caCertificate.toAbsolutePath(), placeholderEnvironment,
          sessionsDirectory.toAbsolutePath().normalize(), claudeJsonTemplate, systemCertificates, user,
          Map.copyOf(labels), List.copyOf(guarded), stopTimeout);
      Path home = Path.of(System.getProperty("user.home"));
      return new DockerSessions(
          new DockerEngine(EngineCandidate.discover(dockerHost, environment, home)), settings, clock);
    }
  }
}
