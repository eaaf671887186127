package dev.mux.ca;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/** A loopback TLS server that answers each connection with "hello\n" and closes it. */
final class TlsServer implements AutoCloseable {
  private final SSLServerSocket serverSocket;
  private final Thread acceptor;

  TlsServer(SSLContext context) throws IOException {
    serverSocket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
    serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    acceptor = new Thread(this::acceptLoop, "tls-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      try (Socket socket = serverSocket.accept()) {
        ((SSLSocket) socket).startHandshake();
        OutputStream out = socket.getOutputStream();
        out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        // The client rejected our certificate, or the server is closing: next connection.
      }
    }
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
