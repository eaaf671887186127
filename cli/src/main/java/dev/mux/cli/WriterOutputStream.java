package dev.mux.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bytes (UTF-8) into a command's writer, so container output goes where the command's output
 * goes (stdout of the process, or a test's StringWriter). Keeps a split multi-byte character
 * until its last byte arrives.
 */
final class WriterOutputStream extends OutputStream {
  private final PrintWriter writer;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private final ByteBuffer pending = ByteBuffer.allocate(8192);
  private final CharBuffer chars = CharBuffer.allocate(8192);

  WriterOutputStream(PrintWriter writer) {
    this.writer = writer;
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    int position = offset;
    int end = offset + length;
    while (position < end) {
      int chunk = Math.min(pending.remaining(), end - position);
      pending.put(bytes, position, chunk);
      position += chunk;
      pending.flip();
      CoderResult result;
      do {
        result = decoder.decode(pending, chars, false);
        chars.flip();
        writer.append(chars);
        chars.clear();
      } while (result.isOverflow());
      pending.compact();
    }
    writer.flush();
  }

  @Override
  public synchronized void flush() {
    writer.flush();
  }
}
