package dev.mux.proxy;

import static java.util.Objects.requireNonNull;

import dev.mux.audit.AuditWriter;
import dev.mux.ca.CertificateAuthority;
import dev.mux.ca.LeafIssuer;
import dev.mux.rules.CredentialRules;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mux proxy: an HTTP/1.1 forward proxy that clients (agent containers) reach with
 * {@code HTTPS_PROXY=http://user:password@host:18080}. For each {@code CONNECT host:port} it
 * authenticates the client, asks the {@link CredentialRules} whether to intercept, tunnel blindly
 * or refuse; intercepted tunnels are terminated with a leaf certificate from the mux
 * {@link CertificateAuthority}, each request gets the credential its rule names (placeholders
 * stripped), goes to the verified upstream over a pooled TLS connection, streams back, and is
 * written to the {@link AuditWriter}.
 *
 * <pre>{@code
 * try (MuxProxy proxy = MuxProxy.builder()
 *         .certificateAuthority(CertificateAuthority.loadOrCreate(home))
 *         .rules(CredentialRules.builder().home(home).build())
 *         .authenticator(ProxyAuthenticator.single("session-1", password, "session-1"))
 *         .auditWriter(AuditWriter.builder(home.resolve("audit.jsonl")).build())
 *         .build()) {
 *     List<InetSocketAddress> bound = proxy.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Health and metrics: {@code GET /_mux/health} and {@code GET /_mux/metrics} (Prometheus text)
 * sent directly (not as a proxy request) to the proxy port from loopback.
 */
public final class MuxProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MuxProxy.class);

    /** The port mux listens on unless told otherwise. */
    public static final int DEFAULT_PORT = 18080;

    private final List<InetSocketAddress> bindAddresses;
    private final ProxyRuntime runtime;
    private final int eventLoopThreads;
    private final Transport transport = Transport.best();
    private EventLoopGroup group;
    private final List<Channel> servers = new ArrayList<>();
    private boolean closed;

    private MuxProxy(Builder b) {
        this.bindAddresses = List.copyOf(b.bind);
        this.eventLoopThreads = b.eventLoopThreads;
        LeafIssuer issuer = b.leafIssuer != null ? b.leafIssuer : b.certificateAuthority.leafIssuer().build();
        this.runtime = new ProxyRuntime(b.rules, b.authenticator, b.limits, new LeafContexts(issuer, 1000),
                UpstreamTls.clientContext(b.upstreamTrust), b.auditWriter, transport.socketChannel());
    }

    /** A builder; certificate authority (or leaf issuer), rules and authenticator are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds every configured address and starts serving.
     *
     * @return the bound addresses (with the real port when port 0 was asked for)
     * @throws MuxProxyException when an address cannot be bound (nothing stays bound)
     * @throws IllegalStateException when already started or closed
     */
    public synchronized List<InetSocketAddress> start() {
        if (group != null || closed) {
            throw new IllegalStateException("state: " + (closed ? "closed" : "started") + " (expected: new)");
        }
        group = new MultiThreadIoEventLoopGroup(eventLoopThreads, new DefaultThreadFactory("mux-proxy"),
                transport.ioHandlerFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, SocketReads.allocator())
                .childHandler(new ProxyInitializer(runtime));
        List<InetSocketAddress> bound = new ArrayList<>();
        for (InetSocketAddress address : bindAddresses) {
            try {
                Channel server = bootstrap.bind(address).sync().channel();
                servers.add(server);
                bound.add((InetSocketAddress) server.localAddress());
            } catch (Exception e) {
                close();
                throw new MuxProxyException(null, address.toString(),
                        "could not listen (" + e.getMessage() + "): is another proxy running on this port?", e);
            }
        }
        log.info("mux proxy listening on {} ({}, TLS {})", bound, transport.name(),
                io.netty.handler.ssl.SslContext.defaultServerProvider());
        return List.copyOf(bound);
    }

    /**
     * Replaces the rules used for new tunnels and requests; open connections keep working. (A
     * {@link CredentialRules#reload()} also takes effect at once, without this call.)
     */
    public void rules(CredentialRules rules) {
        runtime.rules.set(requireNonNull(rules, "rules"));
    }

    /** Replaces the authenticator used for new CONNECT requests; open tunnels keep working. */
    public void authenticator(ProxyAuthenticator authenticator) {
        runtime.authenticator.set(requireNonNull(authenticator, "authenticator"));
    }

    /** The metrics page, as served on {@code /_mux/metrics}. */
    public String metrics() {
        return runtime.metrics.render();
    }

    /**
     * Stops accepting, closes connections (waiting up to 5 seconds for in-flight work), and flushes
     * the audit writer (which the caller still owns and closes). Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Channel server : servers) {
            server.close().awaitUninterruptibly();
        }
        runtime.pool.closeAll();
        if (group != null) {
            group.shutdownGracefully(100, 5000, TimeUnit.MILLISECONDS).awaitUninterruptibly();
        }
        runtime.resolver.close();
        runtime.flushAudit();
    }

    /** Builds a {@link MuxProxy}. */
    public static final class Builder {
        private final List<InetSocketAddress> bind = new ArrayList<>();
        private CertificateAuthority certificateAuthority;
        private LeafIssuer leafIssuer;
        private CredentialRules rules;
        private ProxyAuthenticator authenticator;
        private AuditWriter auditWriter;
        private final List<X509Certificate> upstreamTrust = new ArrayList<>();
        private ProxyLimits limits = ProxyLimits.defaults();
        private int eventLoopThreads = Runtime.getRuntime().availableProcessors();

        private Builder() {}

        /** Addresses to listen on; default {@code 127.0.0.1:18080}. Each call adds. */
        public Builder bind(InetSocketAddress... addresses) {
            for (InetSocketAddress address : addresses) {
                bind.add(requireNonNull(address, "address"));
            }
            return this;
        }

        /** The CA that signs the leaf certificates presented to clients. */
        public Builder certificateAuthority(CertificateAuthority certificateAuthority) {
            this.certificateAuthority = requireNonNull(certificateAuthority, "certificateAuthority");
            return this;
        }

        /** A configured leaf issuer, instead of the CA's default one. */
        public Builder leafIssuer(LeafIssuer leafIssuer) {
            this.leafIssuer = requireNonNull(leafIssuer, "leafIssuer");
            return this;
        }

        /** Which hosts are intercepted, tunnelled or refused, and what is injected. Required. */
        public Builder rules(CredentialRules rules) {
            this.rules = requireNonNull(rules, "rules");
            return this;
        }

        /** Maps proxy credentials to a session id. Required: clients without a session get 407. */
        public Builder authenticator(ProxyAuthenticator authenticator) {
            this.authenticator = requireNonNull(authenticator, "authenticator");
            return this;
        }

        /** Where one record per request goes; default none. {@link MuxProxy#close()} flushes it. */
        public Builder auditWriter(AuditWriter auditWriter) {
            this.auditWriter = requireNonNull(auditWriter, "auditWriter");
            return this;
        }

        /** Extra CAs trusted for upstream servers, besides the JVM trust store. Each call adds. */
        public Builder upstreamTrust(X509Certificate... certificates) {
            for (X509Certificate certificate : certificates) {
                upstreamTrust.add(requireNonNull(certificate, "certificate"));
            }
            return this;
        }

        /** Extra CAs for upstreams read from a PEM file (one or more certificates). */
        public Builder upstreamTrust(Path pemFile) {
            requireNonNull(pemFile, "pemFile");
            try (InputStream in = Files.newInputStream(pemFile)) {
                for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    upstreamTrust.add((X509Certificate) certificate);
                }
            } catch (IOException | CertificateException e) {
                throw new IllegalArgumentException("pemFile: " + pemFile + " (expected: readable PEM certificates)", e);
            }
            return this;
        }

        /** Size, time and connection limits; default {@link ProxyLimits#defaults()}. */
        public Builder limits(ProxyLimits limits) {
            this.limits = requireNonNull(limits, "limits");
            return this;
        }

        /** Event loop threads; default the number of processors. */
        public Builder eventLoopThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("eventLoopThreads: " + threads + " (expected: >= 1)");
            }
            this.eventLoopThreads = threads;
            return this;
        }

        /** Builds the proxy (not started). */
        public MuxProxy build() {
            if (certificateAuthority == null && leafIssuer == null) {
                throw new IllegalStateException("certificateAuthority: null (expected: a CA or a leafIssuer)");
            }
            if (rules == null) {
                throw new IllegalStateException("rules: null (expected: CredentialRules)");
            }
            if (authenticator == null) {
                throw new IllegalStateException("authenticator: null (expected: a ProxyAuthenticator)");
            }
            if (bind.isEmpty()) {
                bind.add(new InetSocketAddress("127.0.0.1", DEFAULT_PORT));
            }
            return new MuxProxy(this);
        }
    }
}
