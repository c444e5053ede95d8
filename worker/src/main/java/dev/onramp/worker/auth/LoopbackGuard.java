package dev.onramp.worker.auth;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Without any API token the worker's REST API and codec endpoint would be open to whoever reaches
 * the port; that is tolerable on loopback only. Every connector must bind a loopback address.
 */
public final class LoopbackGuard {
  private LoopbackGuard() {}

  /** Throws {@link IllegalStateException} saying why and what to set. */
  public static void requireLoopbackWithoutTokens(ServerFactory server, ApiTokens tokens) {
    if (!tokens.isEmpty()) {
      return;
    }
    List<String> open = new ArrayList<>();
    for (ConnectorFactory c : connectors(server)) {
      String host = c instanceof HttpConnectorFactory h ? h.getBindHost() : null;
      if (!isLoopback(host)) {
        open.add(host == null || host.isBlank() ? "every interface (0.0.0.0)" : host);
      }
    }
    if (!open.isEmpty()) {
      throw new IllegalStateException(
          "refusing to start: the worker would listen on "
              + String.join(", ", open)
              + " (ONRAMP_BIND) with no API token configured, so anyone who reaches the port"
              + " could start, approve and cancel onboardings. Set ONRAMP_API_TOKENS=name:token"
              + " (or ONRAMP_API_TOKENS_FILE), tokens of at least "
              + ApiTokens.MIN_TOKEN_BYTES
              + " bytes (openssl rand -base64 32), or bind 127.0.0.1");
    }
  }

  private static List<ConnectorFactory> connectors(ServerFactory server) {
    List<ConnectorFactory> all = new ArrayList<>();
    if (server instanceof DefaultServerFactory d) {
      all.addAll(d.getApplicationConnectors());
      all.addAll(d.getAdminConnectors());
    } else if (server instanceof SimpleServerFactory s) {
      all.add(s.getConnector());
    } else {
      all.add(null); // a server factory we cannot inspect: treat as not loopback
    }
    return all;
  }

  static boolean isLoopback(String host) {
    if (host == null || host.isBlank()) {
      return false; // Jetty binds every interface
    }
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
