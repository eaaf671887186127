package dev.mux.docker;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The caller's terminal ({@code /dev/tty}) in raw mode, through {@code stty}: no echo, no line
 * buffering, no signal keys, so every key reaches the agent. {@link #close()} restores the saved
 * settings. Reads time out every 100 ms ({@code min 0 time 1}) so the reader can stop when the
 * attachment ends instead of hanging on the next key press.
 */
final class RawTerminal implements AutoCloseable {
  static final Path TTY = Path.of("/dev/tty");

  private final String savedSettings;
  private final FileInputStream tty;
  private volatile boolean closed;

  private RawTerminal(String savedSettings, FileInputStream tty) {
    this.savedSettings = savedSettings;
    this.tty = tty;
  }

  static boolean available() {
    return System.console() != null && Files.isReadable(TTY);
  }

  static RawTerminal open() {
    if (!available()) {
      throw new IllegalStateException(
          "terminal: none (expected: stdin and stdout on a TTY; use attach(InputStream, OutputStream) otherwise)");
    }
    String saved = stty("-g").trim();
    stty("raw", "-echo", "min", "0", "time", "1");
    try {
      return new RawTerminal(saved, new FileInputStream(TTY.toFile()));
    } catch (IOException e) {
      stty(saved);
      throw new UncheckedIOException("terminal: " + TTY + " could not be opened", e);
    }
  }

  /** Rows and columns, e.g. {@code [40, 120]}; {@code [24, 80]} if {@code stty size} says nothing useful. */
  int[] size() {
    try {
      String[] parts = stty("size").trim().split("\\s+");
      int rows = Integer.parseInt(parts[0]);
      int columns = Integer.parseInt(parts[1]);
      if (rows > 0 && columns > 0) {
        return new int[] {rows, columns};
      }
    } catch (RuntimeException e) {
      // fall through to the classic size
    }
    return new int[] {24, 80};
  }

  /** Keys typed on the terminal; end of stream only once this terminal is closed. */
  InputStream input() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        while (!closed) {
          int n = tty.read(buffer, offset, length);
          if (n > 0) {
            return n;
          }
        }
        return -1;
      }
    };
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stty(savedSettings);
    } finally {
      try {
        tty.close();
      } catch (IOException ignored) {
        // the settings are restored; nothing else to release
      }
    }
  }

  private static String stty(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add("stty");
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command)
          .redirectInput(new File(TTY.toString()))
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(5, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException("terminal: `stty " + String.join(" ", arguments) + "` failed");
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("terminal: stty could not run", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("terminal: interrupted", e);
    }
  }
}
