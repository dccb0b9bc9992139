package ai.sutazai.testsupport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Unix-socket forwarder in front of the Docker engine's socket, which a test can cut and restore to
 * make the engine "go away" for the code under test while it really keeps running.
 */
public final class UnixSocketProxy implements AutoCloseable {
  private final Path listen;
  private final Path target;
  private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocketChannel server;

  public UnixSocketProxy(Path listen, Path target) {
    this.listen = listen;
    this.target = target;
  }

  /** The DOCKER_HOST value that goes through this proxy. */
  public String dockerHost() {
    return "unix://" + listen;
  }

  /** Starts (or restarts) accepting connections. */
  public synchronized void restore() throws IOException {
    Files.deleteIfExists(listen);
    ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    s.bind(UnixDomainSocketAddress.of(listen));
    server = s;
    Thread accept = new Thread(() -> acceptLoop(s), "proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /** Drops every connection and stops accepting: to its clients the engine is gone. */
  public synchronized void cut() throws IOException {
    ServerSocketChannel s = server;
    server = null;
    if (s != null) {
      s.close();
    }
    ChannelPump.closeAll(open);
    Files.deleteIfExists(listen);
  }

  private void acceptLoop(ServerSocketChannel s) {
    while (s.isOpen()) {
      try {
        SocketChannel client = s.accept();
        SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(target));
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        return; // closed by cut()
      }
    }
  }

  private void pump(SocketChannel from, SocketChannel to) {
    ChannelPump.start(from, to, open, "proxy-pump");
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
