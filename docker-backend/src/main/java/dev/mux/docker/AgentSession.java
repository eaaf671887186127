package dev.mux.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent session: a handle on the container {@code mux-<name>}. The handle holds no state of
 * its own — every call asks Docker — so a handle from {@link DockerSessions#session(String)} in a
 * new process works exactly like the one {@link DockerSessions#create(SessionSpec)} returned.
 *
 * <pre>{@code
 * // print mode: stream the answer, get the exit code
 * AgentSession session = sessions.create(printSpec).start();
 * int exitCode = session.streamUntilExit(System.out, System.err);
 *
 * // interactive mode: attach this terminal; Ctrl-P Ctrl-Q detaches, attach again later
 * AttachResult result = sessions.session("fix-login").start().attachTerminal();
 * }</pre>
 *
 * <p>{@link #close()} deletes the session (like a Testcontainers container), so
 * try-with-resources suits throwaway sessions; do not close a session you mean to keep.
 */
public final class AgentSession implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentSession.class);

  private final String name;
  private final DockerEngine engine;
  private final Settings settings;

  AgentSession(String name, DockerEngine engine, Settings settings) {
    this.name = name;
    this.engine = engine;
    this.settings = settings;
  }

  /** The session name. */
  public String name() {
    return name;
  }

  /** The container's name, {@code mux-<name>}. */
  public String containerName() {
    return SessionLabels.containerName(name);
  }

  /**
   * Starts the container if it is not running; does nothing if it is (idempotent). An exited
   * session runs its agent command again.
   *
   * @throws DockerSessionException {@code SESSION_MISSING} if the container is gone
   */
  public AgentSession start() {
    call("start", client -> {
      InspectContainerResponse.ContainerState state = client.inspectContainerCmd(containerName()).exec().getState();
      if (!Boolean.TRUE.equals(state.getRunning())) {
        try {
          client.startContainerCmd(containerName()).exec();
        } catch (NotModifiedException alreadyRunning) {
          log.debug("session {} already running", name);
        }
      }
      return null;
    });
    return this;
  }

  /** What Docker says now; {@link SessionStatus.Missing} rather than an error when the container is gone. */
  public SessionStatus status() {
    try {
      return info().status();
    } catch (DockerSessionException e) {
      if (e.reason() == DockerSessionException.Reason.SESSION_MISSING) {
        return new SessionStatus.Missing();
      }
      throw e;
    }
  }

  /**
   * The session's metadata and status, from its container.
   *
   * @throws DockerSessionException {@code SESSION_MISSING} if the container is gone
   */
  public SessionInfo info() {
    return call("inspect", client -> {
      InspectContainerResponse container = client.inspectContainerCmd(containerName()).exec();
      Map<String, String> labels = container.getConfig().getLabels();
      InspectContainerResponse.ContainerState state = container.getState();
      Long exitCode = state.getExitCodeLong();
      return sessionInfo(name, container.getId(),
          SessionStatus.of(state.getStatus(), exitCode == null ? 0 : exitCode.intValue()),
          labels, container.getConfig().getImage(), container.getCreated());
    });
  }

  /**
   * The proxy credential this session was created with, read back from its container (so a
   * restarted proxy can recognise running sessions without another store). Empty if it has none.
   * Treat it as a secret: never log it.
   *
   * @throws DockerSessionException {@code SESSION_MISSING} if the container is gone
   */
  public Optional<String> proxyCredential() {
    String[] env = call("inspect", client -> client.inspectContainerCmd(containerName()).exec().getConfig().getEnv());
    String prefix = ContainerPlan.PROXY_VARIABLES.get(0) + "=";
    for (String entry : env == null ? new String[0] : env) {
      if (entry.startsWith(prefix)) {
        return ContainerPlan.credentialOf(entry.substring(prefix.length()));
      }
    }
    return Optional.empty();
  }

  /** Stops the agent: SIGTERM, then SIGKILL after the configured stop timeout (default 10 s). */
  public AgentSession stop() {
    return stop(settings.stopTimeout());
  }

  /** Stops the agent: SIGTERM, then SIGKILL after {@code timeout}. Stopping a stopped session is fine. */
  public AgentSession stop(Duration timeout) {
    int seconds = (int) Math.max(0, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
    call("stop", client -> {
      try {
        client.stopContainerCmd(containerName()).withTimeout(seconds).exec();
      } catch (NotModifiedException alreadyStopped) {
        log.debug("session {} already stopped", name);
      }
      return null;
    });
    return this;
  }

  /**
   * Blocks until the agent exits and returns its exit code (at once if it already has).
   *
   * @throws DockerSessionException {@code SESSION_MISSING} if the container is gone
   */
  public int waitForExit() {
    ExitCodeCallback exit = call("wait", client -> client.waitContainerCmd(containerName()).exec(new ExitCodeCallback()));
    try {
      return exit.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DockerSessionException(DockerSessionException.Reason.ENGINE_ERROR,
          "session \"" + name + "\": interrupted while waiting for the agent to exit", e);
    } catch (NotFoundException e) {
      throw Failures.sessionMissing(name, engine.host());
    } catch (RuntimeException e) {
      throw Failures.translate(e, name, "wait", engine.host());
    }
  }

  /** Writes the output so far (stdout and stderr apart; a TTY session has only stdout) and returns. */
  public void logs(OutputStream stdout, OutputStream stderr) {
    copyLogs(stdout, stderr, false);
  }

  /** Writes the output so far and then as it comes, until the agent stops or the thread is interrupted. */
  public void followLogs(OutputStream stdout, OutputStream stderr) {
    copyLogs(stdout, stderr, true);
  }

  /**
   * The print-mode loop: starts the session if it was never started, streams its output as it
   * comes, and returns the agent's exit code.
   */
  public int streamUntilExit(OutputStream stdout, OutputStream stderr) {
    if (status() instanceof SessionStatus.Created) {
      start();
    }
    followLogs(stdout, stderr);
    return waitForExit();
  }

  /**
   * Connects {@code stdin} and {@code stdout} to the running agent until it exits or the caller
   * detaches by sending Ctrl-P Ctrl-Q (those two bytes never reach the agent). End of
   * {@code stdin} does not end the attachment. Output before the attachment is not replayed; see
   * {@link #logs}.
   *
   * @return {@link AttachResult.Detached}, or {@link AttachResult.Exited} with the exit code (also
   *     at once if the agent had already exited)
   * @throws DockerSessionException {@code SESSION_MISSING} if the container is gone
   */
  public AttachResult attach(InputStream stdin, OutputStream stdout) {
    SessionStatus status = status();
    if (status instanceof SessionStatus.Missing) {
      throw Failures.sessionMissing(name, engine.host());
    }
    if (status instanceof SessionStatus.Exited exited) {
      return exited(exited.exitCode());
    }
    FrameCopier copier = new FrameCopier(stdout, stdout);
    DetachingInputStream input = new DetachingInputStream(stdin, copier::close);
    try {
      call("attach", client -> client.attachContainerCmd(containerName())
          .withStdIn(input)
          .withStdOut(true)
          .withStdErr(true)
          .withFollowStream(true)
          .withLogs(false)
          .exec(copier));
      copier.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      copier.close();
      return new AttachResult.Detached();
    } catch (RuntimeException e) {
      if (!input.detached()) {
        throw Failures.translate(e, name, "attach", engine.host());
      }
    } finally {
      input.close();
    }
    if (input.detached()) {
      return new AttachResult.Detached();
    }
    return exited(waitForExit());
  }

  /**
   * Attaches the caller's terminal, as {@code docker attach} does: raw mode (restored afterwards),
   * the terminal's size passed on at once and on every resize, Ctrl-P Ctrl-Q to detach.
   *
   * @throws IllegalStateException if this process has no terminal
   */
  public AttachResult attachTerminal() {
    return attachTerminal(System.out);
  }

  /** {@link #attachTerminal()} writing the agent's screen to {@code out} instead of {@code System.out}. */
  public AttachResult attachTerminal(PrintStream out) {
    try (RawTerminal terminal = RawTerminal.open()) {
      resize(terminal.size(), true);
      WindowChange.Registration resizing = WindowChange.onChange(() -> resize(terminal.size(), false));
      try {
        return attach(terminal.input(), out);
      } finally {
        resizing.close();
      }
    } finally {
      out.flush();
    }
  }

  /**
   * Sets the agent's terminal size. {@code forceRedraw} first sets a different size so the agent
   * receives a SIGWINCH and redraws its screen even if the size did not change (reattach).
   */
  void resize(int[] rowsColumns, boolean forceRedraw) {
    try {
      DockerClient client = engine.client();
      if (forceRedraw) {
        client.resizeContainerCmd(containerName()).withSize(rowsColumns[0] + 1, rowsColumns[1] + 1).exec();
      }
      client.resizeContainerCmd(containerName()).withSize(rowsColumns[0], rowsColumns[1]).exec();
    } catch (RuntimeException e) {
      log.debug("resizing session {} failed", name, e);
    }
  }

  /**
   * Removes the container (stopping it first) and the session's host files.
   *
   * @throws DockerSessionException {@code SESSION_MISSING} if there was no container (the host
   *     files are removed anyway)
   */
  public void delete() {
    try {
      call("delete", client -> {
        client.removeContainerCmd(containerName()).withForce(true).withRemoveVolumes(true).exec();
        return null;
      });
    } finally {
      SessionFiles.of(settings.sessionsDirectory(), name).delete();
    }
  }

  /** Deletes the session if it still exists; never fails because it is already gone. */
  @Override
  public void close() {
    try {
      delete();
    } catch (DockerSessionException e) {
      if (e.reason() != DockerSessionException.Reason.SESSION_MISSING) {
        throw e;
      }
    }
  }

  @Override
  public String toString() {
    return "AgentSession{" + name + "}";
  }

  private void copyLogs(OutputStream stdout, OutputStream stderr, boolean follow) {
    FrameCopier copier = new FrameCopier(stdout, stderr);
    call("logs", client -> client.logContainerCmd(containerName())
        .withStdOut(true)
        .withStdErr(true)
        .withFollowStream(follow)
        .exec(copier));
    try {
      copier.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      copier.close();
    } catch (RuntimeException e) {
      throw Failures.translate(e, name, "logs", engine.host());
    }
  }

  private static AttachResult exited(int exitCode) {
    return new AttachResult.Exited(exitCode);
  }

  private <T> T call(String action, Function<DockerClient, T> operation) {
    DockerClient client = engine.client();
    try {
      return operation.apply(client);
    } catch (NotFoundException e) {
      throw Failures.sessionMissing(name, engine.host());
    } catch (RuntimeException e) {
      throw Failures.translate(e, name, action, engine.host());
    }
  }

  static SessionInfo sessionInfo(String name, String id, SessionStatus status, Map<String, String> labels,
      String fallbackImage, String fallbackCreated) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    String workspace = l.get(SessionLabels.WORKSPACE);
    return new SessionInfo(
        name,
        id,
        status,
        SessionMode.fromLabel(l.get(SessionLabels.MODE)),
        l.getOrDefault(SessionLabels.IMAGE, fallbackImage),
        workspace == null ? null : Path.of(workspace),
        instant(l.getOrDefault(SessionLabels.CREATED, fallbackCreated)));
  }

  private static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
