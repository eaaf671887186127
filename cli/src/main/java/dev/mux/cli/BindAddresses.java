package dev.mux.cli;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the daemon listens. Default: loopback, plus the Docker bridge gateway address when the
 * host has one, because containers reach the proxy as {@code host.docker.internal} (the gateway)
 * and cannot reach the host's loopback. Never all interfaces unless {@code --bind 0.0.0.0} says so.
 */
final class BindAddresses {
  static final String LOOPBACK = "127.0.0.1";
  static final String DOCKER_BRIDGE = "docker0";

  private BindAddresses() {}

  /** The socket addresses for {@code requested} hosts (or the defaults) on {@code port}. */
  static List<InetSocketAddress> resolve(List<String> requested, int port) {
    Set<String> hosts = new LinkedHashSet<>();
    if (requested == null || requested.isEmpty()) {
      hosts.add(LOOPBACK);
      dockerBridgeGateway().ifPresent(hosts::add);
    } else {
      hosts.addAll(requested);
    }
    List<InetAddress> addresses = new ArrayList<>();
    for (String host : hosts) {
      try {
        addresses.add(InetAddress.getByName(host));
      } catch (IOException e) {
        throw new ExitException(ExitCodes.USAGE, "bind: \"" + host + "\" (expected: an IP address of this host)");
      }
    }
    int chosenPort = port == 0 && addresses.size() > 1 ? freePort(addresses.get(0)) : port;
    List<InetSocketAddress> result = new ArrayList<>();
    for (InetAddress address : addresses) {
      result.add(new InetSocketAddress(address, chosenPort));
    }
    return result;
  }

  /** The IPv4 address of the {@code docker0} bridge, if this host has one. */
  static Optional<String> dockerBridgeGateway() {
    try {
      NetworkInterface bridge = NetworkInterface.getByName(DOCKER_BRIDGE);
      if (bridge == null) {
        return Optional.empty();
      }
      Enumeration<InetAddress> addresses = bridge.getInetAddresses();
      while (addresses.hasMoreElements()) {
        InetAddress address = addresses.nextElement();
        if (address instanceof Inet4Address) {
          return Optional.of(address.getHostAddress());
        }
      }
      return Optional.empty();
    } catch (SocketException e) {
      return Optional.empty();
    }
  }

  /** One port free on the first address, so that {@code --port 0} gives every address the same port. */
  private static int freePort(InetAddress address) {
    try (ServerSocket probe = new ServerSocket(0, 1, address)) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new ExitException("cannot find a free port on " + address.getHostAddress() + ": " + e.getMessage());
    }
  }
}
