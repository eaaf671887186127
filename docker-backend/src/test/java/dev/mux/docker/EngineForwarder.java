package dev.mux.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ServerSocketFactory;

/**
 * Makes the local engine's unix socket look like a remote engine: a loopback TCP (or TLS) port
 * whose connections are relayed byte for byte to {@code /var/run/docker.sock}.
 */
final class EngineForwarder implements AutoCloseable {
  private final ServerSocket server;
  private final SocketAddress engineAddress;
  private final List<java.io.Closeable> open = new CopyOnWriteArrayList<>();

  /** Relays to the engine at {@code dockerHost} ({@code unix://…} or {@code tcp://host:port}). */
  EngineForwarder(ServerSocketFactory factory, String dockerHost) throws IOException {
    URI uri = URI.create(dockerHost);
    this.engineAddress = uri.getScheme().equals("unix")
        ? UnixDomainSocketAddress.of(Path.of(uri.getPath()))
        : new InetSocketAddress(uri.getHost(), uri.getPort());
    this.server = factory.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "engine-forwarder");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        SocketChannel engine = SocketChannel.open(engineAddress);
        open.add(client);
        open.add(engine);
        // read()/write() on the channel itself: Channels.newInputStream/newOutputStream share one
        // lock, so a blocked read would stall every write
        relay(client.getInputStream(), new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            while (buffer.hasRemaining()) {
              engine.write(buffer);
            }
          }
        }, () -> engine.shutdownOutput());
        relay(new InputStream() {
          @Override
          public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            return engine.read(ByteBuffer.wrap(b, off, len));
          }
        }, client.getOutputStream(), client::close);
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void relay(InputStream from, OutputStream to, AutoCloseable onEnd) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16384];
      try {
        int n;
        while ((n = from.read(buffer)) >= 0) {
          to.write(buffer, 0, n);
          to.flush();
        }
      } catch (IOException e) {
        // one side went away; end the other below
      } finally {
        try {
          onEnd.close();
        } catch (Exception ignored) {
          // already closed
        }
      }
    }, "engine-forwarder-relay");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (java.io.Closeable closeable : open) {
      try {
        closeable.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }
}
