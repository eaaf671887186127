package dev.mux.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Upstream connections per origin, reused across client tunnels. There is one pool per event
 * loop, touched only from that loop, so a leased connection always runs on the same thread as the
 * client channel using it and nothing needs a lock.
 */
final class UpstreamPool {
    private final ProxyRuntime runtime;
    private final Map<EventLoop, Map<Origin, ArrayDeque<Channel>>> idle = new ConcurrentHashMap<>();

    UpstreamPool(ProxyRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * An idle connection for {@code origin}, or a new one (TLS handshake done and verified). The
     * caller leases it through its {@link UpstreamHandler}.
     */
    Future<Channel> acquire(EventLoop loop, Origin origin) {
        ArrayDeque<Channel> queue = queue(loop, origin);
        Channel pooled;
        while ((pooled = queue.pollLast()) != null) {
            if (pooled.isActive()) {
                pooled.pipeline().get(UpstreamHandler.class).markReused();
                runtime.metrics.upstreamReused();
                return loop.newSucceededFuture(pooled);
            }
        }
        return connect(loop, origin);
    }

    /** Returns a connection whose last exchange completed cleanly, or closes it. */
    void release(Channel channel) {
        UpstreamHandler handler = channel.pipeline().get(UpstreamHandler.class);
        if (handler == null || !channel.isActive()) {
            channel.close();
            return;
        }
        handler.release();
        ArrayDeque<Channel> queue = queue(channel.eventLoop(), handler.origin());
        if (queue.size() >= runtime.limits.maxIdleUpstreamConnectionsPerOrigin()) {
            channel.close();
            return;
        }
        queue.addLast(channel);
        channel.read(); // notice a close by the upstream while idle
    }

    private ArrayDeque<Channel> queue(EventLoop loop, Origin origin) {
        return idle.computeIfAbsent(loop, l -> new HashMap<>()).computeIfAbsent(origin, o -> new ArrayDeque<>());
    }

    /** A new connection for {@code origin}, bypassing the idle ones. */
    Future<Channel> connect(EventLoop loop, Origin origin) {
        Promise<Channel> promise = loop.newPromise();
        UpstreamHandler handler = new UpstreamHandler(origin);
        Bootstrap bootstrap = runtime.outgoing(loop)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (origin.tls()) {
                            SslHandler ssl = runtime.upstreamTls.newHandler(ch.alloc(), origin.host(), origin.port());
                            ssl.setHandshakeTimeout(runtime.limits.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
                            p.addLast("tls", ssl);
                        }
                        p.addLast("idle", new IdleStateHandler(0, 0,
                                runtime.limits.responseTimeout().toMillis(), TimeUnit.MILLISECONDS));
                        p.addLast("codec", new HttpClientCodec(new HttpDecoderConfig()
                                .setMaxChunkSize(65536)
                                .setMaxHeaderSize(65536), false, true));
                        p.addLast("upstream", handler);
                    }
                });
        bootstrap.connect(origin.host(), origin.port()).addListener(connected -> {
            if (!connected.isSuccess()) {
                promise.tryFailure(connected.cause());
                return;
            }
            Channel channel = ((io.netty.channel.ChannelFuture) connected).channel();
            runtime.metrics.upstreamOpened();
            SslHandler ssl = channel.pipeline().get(SslHandler.class);
            if (ssl == null) {
                promise.trySuccess(channel);
                return;
            }
            channel.read();
            ssl.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    promise.trySuccess(channel);
                } else {
                    promise.tryFailure(handshake.cause());
                    channel.close();
                }
            });
        });
        return promise;
    }

    /** Closes every idle connection (on shutdown). */
    void closeAll() {
        for (Map.Entry<EventLoop, Map<Origin, ArrayDeque<Channel>>> loop : idle.entrySet()) {
            loop.getKey().execute(() -> {
                List<Channel> all = new ArrayList<>();
                loop.getValue().values().forEach(all::addAll);
                loop.getValue().clear();
                all.forEach(Channel::close);
            });
        }
    }
}
