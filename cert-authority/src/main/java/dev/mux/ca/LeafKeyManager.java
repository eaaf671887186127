package dev.mux.ca;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Function;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server-side key manager whose alias is the host the client asked for by SNI (or a fallback
 * host when it sent none), and whose certificate for that alias comes from a function of the host.
 */
final class LeafKeyManager extends X509ExtendedKeyManager {
  private static final Logger logger = LoggerFactory.getLogger(LeafKeyManager.class);

  private final Function<String, IssuedCertificate> certificates;
  private final String fallbackHost;

  LeafKeyManager(Function<String, IssuedCertificate> certificates, String fallbackHost) {
    this.certificates = certificates;
    this.fallbackHost = fallbackHost;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return choose(keyType, engine == null ? null : engine.getHandshakeSession());
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    SSLSession session =
        socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
    return choose(keyType, session);
  }

  private String choose(String keyType, SSLSession session) {
    // Leaves have EC keys: decline other key types so the JDK tries the next signature scheme.
    if (keyType == null || !keyType.startsWith("EC")) {
      return null;
    }
    String host = requestedHost(session);
    try {
      HostName.parse(host);
      return host;
    } catch (IllegalArgumentException e) {
      logger.warn("TLS client asked for an invalid server name: {}", e.getMessage());
      return null;
    }
  }

  private String requestedHost(SSLSession session) {
    if (session instanceof ExtendedSSLSession extended) {
      List<SNIServerName> names = extended.getRequestedServerNames();
      for (SNIServerName name : names) {
        if (name.getType() == StandardConstants.SNI_HOST_NAME) {
          return ((SNIHostName) name).getAsciiName();
        }
      }
    }
    return fallbackHost;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return certificates.apply(alias).chain().toArray(new X509Certificate[0]);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return certificates.apply(alias).privateKey();
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
