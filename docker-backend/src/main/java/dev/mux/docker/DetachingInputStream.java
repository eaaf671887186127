package dev.mux.docker;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;

/**
 * The caller's stdin on its way to the container. It removes the detach sequence Ctrl-P Ctrl-Q
 * and reports it; a lone Ctrl-P followed by anything else passes through. End of input does not
 * end the attachment (the engine would close the output too): reads then wait until
 * {@link #close()}, and only then return end of stream.
 */
final class DetachingInputStream extends InputStream {
  static final int CTRL_P = 0x10;
  static final int CTRL_Q = 0x11;

  private final InputStream source;
  private final Runnable onDetach;
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile boolean detached;
  private boolean pendingCtrlP;

  DetachingInputStream(InputStream source, Runnable onDetach) {
    this.source = source;
    this.onDetach = onDetach;
  }

  boolean detached() {
    return detached;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    byte[] chunk = new byte[Math.max(1, length - 1)];
    while (true) {
      if (closed.getCount() == 0 || detached) {
        return -1;
      }
      int n = source.read(chunk, 0, chunk.length);
      if (n < 0) {
        awaitClose();
        return -1;
      }
      int written = 0;
      for (int i = 0; i < n; i++) {
        int b = chunk[i] & 0xff;
        if (pendingCtrlP) {
          pendingCtrlP = false;
          if (b == CTRL_Q) {
            detached = true;
            onDetach.run();
            return written > 0 ? written : -1;
          }
          buffer[offset + written++] = (byte) CTRL_P;
        }
        if (b == CTRL_P) {
          pendingCtrlP = true;
        } else {
          buffer[offset + written++] = (byte) b;
        }
      }
      if (written > 0) {
        return written;
      }
    }
  }

  private void awaitClose() throws IOException {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("attach: interrupted");
    }
  }

  @Override
  public void close() {
    closed.countDown();
  }
}
