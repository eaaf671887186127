package dev.mux.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;

/**
 * Copies an attach or logs stream to the caller as each frame arrives (stdout frames and TTY
 * output to {@code stdout}, stderr frames to {@code stderr}), flushing every frame.
 */
final class FrameCopier implements ResultCallback<Frame> {
  private final OutputStream stdout;
  private final OutputStream stderr;
  private final CountDownLatch done = new CountDownLatch(1);
  private Closeable stream;
  private boolean closed;
  private volatile Throwable error;

  FrameCopier(OutputStream stdout, OutputStream stderr) {
    this.stdout = stdout;
    this.stderr = stderr;
  }

  @Override
  public void onStart(Closeable stream) {
    boolean closeNow;
    synchronized (this) {
      this.stream = stream;
      closeNow = closed;
    }
    if (closeNow) {
      closeQuietly(stream);
    }
  }

  @Override
  public void onNext(Frame frame) {
    OutputStream target = frame.getStreamType() == StreamType.STDERR ? stderr : stdout;
    try {
      target.write(frame.getPayload());
      target.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void onError(Throwable throwable) {
    synchronized (this) {
      if (!closed && error == null) {
        error = throwable;
      }
    }
    done.countDown();
  }

  @Override
  public void onComplete() {
    done.countDown();
  }

  /** Ends the stream from our side (detach); the error the transport then reports is expected. */
  @Override
  public void close() {
    Closeable toClose;
    synchronized (this) {
      closed = true;
      toClose = stream;
    }
    if (toClose != null) {
      closeQuietly(toClose);
    }
    done.countDown();
  }

  /** Blocks until the stream ends; rethrows a failure that was not caused by {@link #close()}. */
  void await() throws InterruptedException {
    done.await();
    Throwable failure = error;
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure != null) {
      throw new IllegalStateException(failure.getMessage(), failure);
    }
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException | RuntimeException ignored) {
      // already closing: nothing left to release
    }
  }
}
