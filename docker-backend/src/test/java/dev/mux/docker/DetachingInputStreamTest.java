package dev.mux.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DetachingInputStreamTest {
  final AtomicInteger detaches = new AtomicInteger();

  @Test
  void plainBytesPassThrough() throws IOException {
    DetachingInputStream in = stream(new byte[] {'a', 'b', 'c'});
    assertThat(readAvailable(in, 3)).containsExactly('a', 'b', 'c');
    assertThat(in.detached()).isFalse();
  }

  @Test
  void ctrlPCtrlQDetachesAndIsNotPassedOn() throws IOException {
    DetachingInputStream in = stream(new byte[] {'a', 0x10, 0x11, 'z'});
    assertThat(readAvailable(in, 1)).containsExactly('a');
    assertThat(in.read(new byte[8], 0, 8)).isEqualTo(-1);
    assertThat(in.detached()).isTrue();
    assertThat(detaches).hasValue(1);
  }

  @Test
  void ctrlPCtrlQSplitAcrossReadsStillDetaches() throws IOException {
    InputStream source = new SequenceInputStream(
        new ByteArrayInputStream(new byte[] {'x', 0x10}), new ByteArrayInputStream(new byte[] {0x11}));
    DetachingInputStream in = new DetachingInputStream(source, detaches::incrementAndGet);
    assertThat(readAvailable(in, 1)).containsExactly('x');
    assertThat(in.read(new byte[8], 0, 8)).isEqualTo(-1);
    assertThat(in.detached()).isTrue();
  }

  @Test
  void aLoneCtrlPIsKept() throws IOException {
    DetachingInputStream in = stream(new byte[] {0x10, 'q', 0x10, 0x10, 0x11});
    assertThat(readAvailable(in, 3)).containsExactly(0x10, 'q', 0x10);
    assertThat(in.read(new byte[8], 0, 8)).isEqualTo(-1);
    assertThat(in.detached()).isTrue();
  }

  @Test
  void endOfInputWaitsForCloseInsteadOfEndingTheAttachment() throws Exception {
    DetachingInputStream in = stream(new byte[0]);
    CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
      try {
        return in.read(new byte[4], 0, 4);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    assertThat(read).isNotDone();
    in.close();
    assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
    assertThat(in.detached()).isFalse();
  }

  private DetachingInputStream stream(byte[] bytes) {
    return new DetachingInputStream(new ByteArrayInputStream(bytes), detaches::incrementAndGet);
  }

  private static int[] readAvailable(InputStream in, int count) throws IOException {
    int[] out = new int[count];
    byte[] buffer = new byte[count];
    int filled = 0;
    while (filled < count) {
      int n = in.read(buffer, 0, count - filled);
      assertThat(n).isPositive();
      for (int i = 0; i < n; i++) {
        out[filled++] = buffer[i] & 0xff;
      }
    }
    return out;
  }
}
