package dev.mux.proxy;

import dev.mux.audit.AuditDecision;
import dev.mux.audit.AuditRecord;
import dev.mux.audit.AuditWriter;
import dev.mux.rules.CredentialRules;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every handler of one proxy shares: policy, TLS material, pool, metrics and audit. */
final class ProxyRuntime {
    private static final Logger log = LoggerFactory.getLogger(ProxyRuntime.class);

    final AtomicReference<CredentialRules> rules;
    final AtomicReference<ProxyAuthenticator> authenticator;
    final ProxyLimits limits;
    final LeafContexts leafContexts;
    final SslContext upstreamTls;
    final UpstreamPool pool;
    final ProxyMetrics metrics;
    final OffLoopResolver resolver = new OffLoopResolver();
    final Class<? extends io.netty.channel.socket.SocketChannel> socketChannelClass;
    private final AuditWriter audit;
    private final String correlationPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    private final AtomicLong correlationCounter = new AtomicLong();

    ProxyRuntime(CredentialRules rules, ProxyAuthenticator authenticator, ProxyLimits limits,
            LeafContexts leafContexts, SslContext upstreamTls, AuditWriter audit,
            Class<? extends io.netty.channel.socket.SocketChannel> socketChannelClass) {
        this.socketChannelClass = socketChannelClass;
        this.rules = new AtomicReference<>(rules);
        this.authenticator = new AtomicReference<>(authenticator);
        this.limits = limits;
        this.leafContexts = leafContexts;
        this.upstreamTls = upstreamTls;
        this.audit = audit;
        this.metrics = new ProxyMetrics(leafContexts::cacheHits, audit == null ? () -> 0 : audit::droppedRecords);
        this.pool = new UpstreamPool(this);
    }

    /**
     * A bootstrap for a connection from the proxy to an upstream, on the client's {@code loop}:
     * read only on demand, no Nagle delay, large reads ({@link SocketReads}), the connect timeout.
     * Pooled upstreams and blind tunnels both start here.
     */
    Bootstrap outgoing(EventLoop loop) {
        return new Bootstrap()
                .group(loop)
                .channel(socketChannelClass)
                .resolver(resolver)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, SocketReads.allocator())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) limits.connectTimeout().toMillis());
    }

    String nextCorrelationId() {
        return correlationPrefix + "-" + Long.toHexString(correlationCounter.incrementAndGet());
    }

    /** Writes one audit record (never blocks) and counts the request in the metrics. */
    void audit(AuditRecord.Builder record, String host, AuditDecision decision, int status) {
        metrics.request(host, decision.json(), status);
        if (audit == null) {
            return;
        }
        try {
            audit.write(record.build());
        } catch (RuntimeException e) {
            log.warn("audit record could not be written: {}", e.toString());
        }
    }

    static AuditRecord.Builder record(Instant start, String sessionId, String client, Target target) {
        return AuditRecord.builder()
                .timestamp(start)
                .sessionId(sessionId)
                .client(client)
                .host(target == null ? null : target.host())
                .port(target == null ? 0 : target.port());
    }

    void flushAudit() {
        if (audit != null) {
            audit.flush();
        }
    }
}
