package ai.sutazai.testsupport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;

/** The byte copying and cutting shared by the test proxies ({@link TcpProxy}, {@link UnixSocketProxy}). */
final class ChannelPump {
  private ChannelPump() {}

  /**
   * Copies {@code from} to {@code to} on a daemon thread until either side closes, then closes both and
   * forgets them in {@code open}.
   */
  static void start(SocketChannel from, SocketChannel to, List<SocketChannel> open, String threadName) {
    Thread t = new Thread(() -> {
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      try {
        while (from.read(buf) >= 0) {
          buf.flip();
          while (buf.hasRemaining()) {
            to.write(buf);
          }
          buf.clear();
        }
      } catch (IOException e) {
        // one side closed
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
      }
    }, threadName);
    t.setDaemon(true);
    t.start();
  }

  /** Closes every channel in {@code open} (both ends of every connection) and forgets them. */
  static void closeAll(List<SocketChannel> open) {
    for (SocketChannel c : open) {
      closeQuietly(c);
    }
    open.clear();
  }

  static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
