package dev.mux.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Runs the built {@code mux-cli.jar} as a child process, as a user would. */
final class MuxJar {
  private MuxJar() {}

  static Path jar() {
    String jar = System.getProperty("mux.jar", "target/mux-cli.jar");
    Path path = Path.of(jar).toAbsolutePath();
    assertThat(path).as("mux-cli.jar (run `mvn verify` so the jar is built before the ITs)").exists();
    return path;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** A clean environment: PATH, plus {@code extra}; nothing else of the test runner's leaks in. */
  static Map<String, String> environment(Map<String, String> extra) {
    Map<String, String> environment = new HashMap<>();
    environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    if (System.getenv("DOCKER_HOST") != null) {
      environment.put("DOCKER_HOST", System.getenv("DOCKER_HOST"));
    }
    environment.putAll(extra);
    return environment;
  }

  static List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-jar", jar().toString()));
    command.addAll(List.of(args));
    return command;
  }

  /** Runs a short command to its end. */
  static Result run(Map<String, String> environment, String... args) {
    return exec(environment, command(args), Duration.ofSeconds(120));
  }

  static Result exec(Map<String, String> environment, List<String> command, Duration timeout) {
    try {
      Path dir = Files.createTempDirectory("mux-run");
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().clear();
      builder.environment().putAll(environment(environment));
      builder.redirectOutput(dir.resolve("out").toFile());
      builder.redirectError(dir.resolve("err").toFile());
      builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        fail("timed out after " + timeout + ": " + command + "\nstderr:\n" + read(dir.resolve("err")));
      }
      return new Result(process.exitValue(), read(dir.resolve("out")), read(dir.resolve("err")));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Polls {@code condition} every 50 ms until it holds or {@code timeout} passes. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  record Result(int status, String out, String err) {
    String all() {
      return out + err;
    }
  }

  /** A long-running {@code mux} process (the daemon), output captured to files. */
  static final class Background implements AutoCloseable {
    final Process process;
    final Path out;
    final Path err;

    private Background(Process process, Path out, Path err) {
      this.process = process;
      this.out = out;
      this.err = err;
    }

    static Background start(Map<String, String> environment, String... args) {
      return start(environment, false, args);
    }

    /** With {@code pipeInput}, {@link #input()} writes to the process's stdin (else stdin is empty). */
    static Background start(Map<String, String> environment, boolean pipeInput, String... args) {
      return startCommand(environment, pipeInput, command(args));
    }

    static Background startCommand(Map<String, String> environment, boolean pipeInput, List<String> command) {
      try {
        Path dir = Files.createTempDirectory("mux-daemon");
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment(environment));
        builder.redirectOutput(dir.resolve("out").toFile());
        builder.redirectError(dir.resolve("err").toFile());
        if (!pipeInput) {
          builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        return new Background(builder.start(), dir.resolve("out"), dir.resolve("err"));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    java.io.OutputStream input() {
      return process.getOutputStream();
    }

    String stderr() {
      return read(err);
    }

    String stdout() {
      return read(out);
    }

    /** Waits until the daemon announces itself in {@code home/daemon.json}; returns its port. */
    int awaitListening(Path home) {
      await(
          "daemon.json in " + home + " (daemon stderr so far:\n" + stderr() + ")",
          Duration.ofSeconds(60),
          () -> {
            if (!process.isAlive()) {
              fail("daemon exited with " + process.exitValue() + ":\n" + stderr());
            }
            return DaemonInfo.read(StateFolder.at(home)).isPresent();
          });
      return DaemonInfo.read(StateFolder.at(home)).orElseThrow().port();
    }

    void signal(String name) {
      try {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    int awaitExit(Duration timeout) {
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          fail("process still running after " + timeout + ":\n" + stderr());
        }
        return process.exitValue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroy();
        try {
          if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          process.destroyForcibly();
        }
      }
    }
  }
}
