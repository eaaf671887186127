package dev.mux.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Asks whatever listens on a loopback port whether it is a mux daemon: a mux daemon answers a
 * CONNECT without a proxy credential with 407. Used by {@code mux doctor} and before
 * {@code mux session create}, so both judge "the daemon is up" the same way.
 */
record DaemonProbe(int port, String answer) {
  private static final int CONNECT_TIMEOUT_MS = 3000;
  private static final int READ_TIMEOUT_MS = 5000;

  static DaemonProbe probe(int port) {
    return new DaemonProbe(port, statusLine(port));
  }

  /** A mux daemon answered (407 to a CONNECT without credentials). */
  boolean isMuxDaemon() {
    return answer.startsWith("HTTP/1.1 407") || answer.startsWith("HTTP/1.0 407");
  }

  /** One line saying what was found instead of a daemon; meaningful only when {@link #isMuxDaemon()} is false. */
  String problem() {
    String where = "127.0.0.1:" + port;
    if (answer.isEmpty()) {
      return "no mux daemon answers on " + where;
    }
    if (answer.startsWith("!")) {
      return "no mux daemon answers on " + where + " (" + answer.substring(1) + ")";
    }
    return "something other than a mux daemon answers on " + where + ": " + answer;
  }

  /** The status line a CONNECT without credentials gets, or "" / "!reason" when nothing answers. */
  private static String statusLine(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
      socket.setSoTimeout(READ_TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      out.write("CONNECT mux-probe.invalid:443 HTTP/1.1\r\nHost: mux-probe.invalid:443\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n' && line.length() < 200) {
        line.append((char) c);
      }
      return line.toString().trim();
    } catch (IOException e) {
      return "!" + e.getMessage();
    }
  }
}
