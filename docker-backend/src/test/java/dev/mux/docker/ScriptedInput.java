package dev.mux.docker;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;

/** A stdin a test types into: {@link #send} queues bytes, reads block until some arrive. */
final class ScriptedInput extends InputStream {
  private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
  private byte[] current = new byte[0];
  private int position;

  void send(String text) {
    send(text.getBytes(StandardCharsets.UTF_8));
  }

  void send(byte... bytes) {
    chunks.add(bytes.clone());
  }

  /** Ends the input (a read then returns end of stream). */
  void end() {
    chunks.add(new byte[0]);
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) {
    if (position == current.length) {
      try {
        current = chunks.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
      position = 0;
      if (current.length == 0) {
        return -1;
      }
    }
    int n = Math.min(length, current.length - position);
    System.arraycopy(current, position, buffer, offset, n);
    position += n;
    return n;
  }
}
