package dev.farmapi.server.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;

/**
 * At most {@code max} open connections from one client address: one more is closed as soon as it
 * opens, before it is read. For a server that sees its clients' own addresses; behind a load
 * balancer or a NAT, every client shares a few addresses and this would refuse them all, so it
 * is off unless asked for ({@code farm serve --max-connections-per-address}).
 */
public final class AddressLimit implements Connection.Listener {
  private final int max;
  private final ServerMetrics metrics;
  private final OverloadLog overload;
  private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
  /** Each counted connection's address: once closed, its socket no longer tells it. */
  private final ConcurrentHashMap<Connection, InetAddress> counted = new ConcurrentHashMap<>();

  public AddressLimit(int max, ServerMetrics metrics, OverloadLog overload) {
    this.max = max;
    this.metrics = metrics;
    this.overload = overload;
  }

  @Override
  public void onOpened(Connection connection) {
    InetAddress address = address(connection.getEndPoint());
    if (address == null) {
      return;
    }
    counted.put(connection, address);
    int n = open.merge(address, 1, Integer::sum);
    if (n > max) {
      metrics.cut("perAddressLimit");
      overload.record(OverloadLog.Event.ADDRESS_LIMIT);
      connection.getEndPoint().close(); // onClosed follows and counts it out
    }
  }

  @Override
  public void onClosed(Connection connection) {
    InetAddress address = counted.remove(connection);
    if (address != null) {
      open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }
  }

  /**
   * The client's address, for a connection on the socket itself; null for the HTTP connection
   * inside a TLS one (which is counted once, by its TLS connection).
   */
  private static InetAddress address(EndPoint endPoint) {
    if (endPoint instanceof SslConnection.SslEndPoint) {
      return null;
    }
    SocketAddress remote = endPoint.getRemoteSocketAddress();
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }
}
