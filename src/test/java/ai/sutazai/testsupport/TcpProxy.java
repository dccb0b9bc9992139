package ai.sutazai.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder on a loopback port in front of a server (PostgreSQL in the tests), which a test can cut
 * and restore. Cutting closes every forwarded connection and stops listening, so new connections are
 * refused: to its clients that is a server restart, while the real server, and other tests using it,
 * are not disturbed. Restoring listens again on the same port.
 */
public final class TcpProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final int port;
  private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile ServerSocketChannel server;

  /** A proxy on a free loopback port to {@code targetHost:targetPort}; call {@link #restore()} to start it. */
  public TcpProxy(String targetHost, int targetPort) {
    this.target = new InetSocketAddress(targetHost, targetPort);
    this.port = DockerTestSupport.freePort();
  }

  /** The loopback port clients connect to. */
  public int port() {
    return port;
  }

  /** Connections accepted so far (each one forwarded to the server). */
  public int accepted() {
    return accepted.get();
  }

  /** Starts (or restarts) listening and forwarding. */
  public synchronized void restore() throws IOException {
    if (server != null) {
      return;
    }
    ServerSocketChannel s = ServerSocketChannel.open();
    s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    s.bind(new InetSocketAddress("127.0.0.1", port));
    server = s;
    Thread accept = new Thread(() -> acceptLoop(s), "tcp-proxy-accept-" + port);
    accept.setDaemon(true);
    accept.start();
  }

  /** Closes every forwarded connection and stops listening: new connections are refused. */
  public synchronized void cut() throws IOException {
    ServerSocketChannel s = server;
    server = null;
    if (s != null) {
      s.close();
    }
    ChannelPump.closeAll(open);
  }

  private void acceptLoop(ServerSocketChannel s) {
    while (s.isOpen()) {
      SocketChannel client;
      try {
        client = s.accept();
      } catch (IOException e) {
        return; // closed by cut()
      }
      try {
        SocketChannel upstream = SocketChannel.open(target);
        open.add(client);
        open.add(upstream);
        accepted.incrementAndGet();
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        ChannelPump.closeQuietly(client); // the server itself refused
      }
    }
  }

  private void pump(SocketChannel from, SocketChannel to) {
    ChannelPump.start(from, to, open, "tcp-proxy-pump-" + port);
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
