package dev.mux.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.WaitResponse;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * Receives the exit code of {@code docker wait}. Unlike docker-java's own callback it does not
 * log failures (a missing container is an answer here, not an error to print).
 */
final class ExitCodeCallback implements ResultCallback<WaitResponse> {
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile Integer exitCode;
  private volatile Throwable error;
  private volatile Closeable stream;

  @Override
  public void onStart(Closeable stream) {
    this.stream = stream;
  }

  @Override
  public void onNext(WaitResponse response) {
    exitCode = response.getStatusCode();
  }

  @Override
  public void onError(Throwable throwable) {
    error = throwable;
    done.countDown();
  }

  @Override
  public void onComplete() {
    done.countDown();
  }

  @Override
  public void close() throws IOException {
    Closeable s = stream;
    if (s != null) {
      s.close();
    }
    done.countDown();
  }

  int await() throws InterruptedException {
    done.await();
    if (error instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (error != null || exitCode == null) {
      throw new IllegalStateException("docker wait ended without an exit code", error);
    }
    return exitCode;
  }
}
