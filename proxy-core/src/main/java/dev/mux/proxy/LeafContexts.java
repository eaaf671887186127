package dev.mux.proxy;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.mux.ca.IssuedCertificate;
import dev.mux.ca.LeafIssuer;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;

/**
 * Server-side TLS contexts presenting a leaf for one host, signed by the mux CA. Building an
 * SslContext costs far more than a handshake, so contexts are cached per host, in front of the
 * issuer's own certificate cache.
 */
final class LeafContexts {
    private static final ApplicationProtocolConfig HTTP_1_1_ONLY = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_1_1);

    /** One random ticket key per proxy instance, shared by every host's context; never stored. */
    private final io.netty.handler.ssl.OpenSslSessionTicketKey ticketKey = randomTicketKey();
    private final LeafIssuer issuer;
    private final Cache<String, SslContext> contexts;
    private final LongAdder hits = new LongAdder();

    LeafContexts(LeafIssuer issuer, int maximumSize) {
        this.issuer = issuer;
        this.contexts = CacheBuilder.newBuilder().maximumSize(maximumSize).build();
    }

    /** The context for {@code host}; signs a leaf on the first call for a host. */
    SslContext forHost(String host) {
        String key = host.toLowerCase(Locale.ROOT);
        SslContext cached = contexts.getIfPresent(key);
        if (cached != null) {
            hits.increment();
            return cached;
        }
        try {
            return contexts.get(key, () -> build(issuer.issue(key)));
        } catch (ExecutionException e) {
            throw new IllegalStateException("leaf for " + key + " could not be built", e.getCause());
        }
    }

    private SslContext build(IssuedCertificate leaf) throws SSLException {
        SslContext context = SslContextBuilder.forServer(leaf.privateKey(), leaf.chain())
                .applicationProtocolConfig(HTTP_1_1_ONLY)
                .build();
        // agents open a new tunnel per request: session tickets let them resume instead of
        // paying a full handshake each time (BoringSSL only; the JDK engine manages its own)
        if (context.sessionContext() instanceof io.netty.handler.ssl.OpenSslSessionContext openSsl) {
            openSsl.setTicketKeys(ticketKey);
        }
        return context;
    }

    private static io.netty.handler.ssl.OpenSslSessionTicketKey randomTicketKey() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        byte[] name = new byte[16];
        byte[] hmac = new byte[16];
        byte[] aes = new byte[16];
        random.nextBytes(name);
        random.nextBytes(hmac);
        random.nextBytes(aes);
        return new io.netty.handler.ssl.OpenSslSessionTicketKey(name, hmac, aes);
    }

    /** Hits of this cache plus hits of the issuer's certificate cache. */
    long cacheHits() {
        return hits.sum() + issuer.cacheHits();
    }
}
