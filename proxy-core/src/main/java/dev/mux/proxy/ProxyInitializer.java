package dev.mux.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Assembles the pipeline of every client connection:
 * {@code idle → headerStart → codec → headerStop → flow → connect}. The connect handler later
 * inserts TLS ({@code tls}, an SNI handler that replaces itself) and replaces itself with the
 * handler for what the policy decided.
 */
final class ProxyInitializer extends ChannelInitializer<SocketChannel> {
    private final ProxyRuntime runtime;
    private final AtomicInteger connections = new AtomicInteger();

    ProxyInitializer(ProxyRuntime runtime) {
        this.runtime = runtime;
    }

    static HttpServerCodec serverCodec(ProxyLimits limits) {
        return new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxInitialLineLength())
                .setMaxHeaderSize(limits.maxHeaderSize())
                .setMaxChunkSize(65536)
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true)
                .setValidateHeaders(true));
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (connections.incrementAndGet() > runtime.limits.maxConnections()) {
            connections.decrementAndGet();
            ch.close();
            return;
        }
        runtime.metrics.connectionOpened();
        ch.closeFuture().addListener(f -> {
            connections.decrementAndGet();
            runtime.metrics.connectionClosed();
        });
        RequestHeadGuard deadline = new RequestHeadGuard(runtime.limits.requestHeaderTimeout().toNanos());
        ChannelPipeline p = ch.pipeline();
        p.addLast("idle", new IdleStateHandler(0, 0, runtime.limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast("idleClose", new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof IdleStateEvent) {
                    ctx.close();
                } else {
                    ctx.fireUserEventTriggered(evt);
                }
            }
        });
        p.addLast("headerStart", deadline.start());
        p.addLast("codec", serverCodec(runtime.limits));
        p.addLast("headerStop", deadline.stop());
        p.addLast("flow", new FlowControlHandler());
        p.addLast("connect", new ConnectHandler(runtime));
    }
}
