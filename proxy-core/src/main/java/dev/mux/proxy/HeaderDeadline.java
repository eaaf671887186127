package dev.mux.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The slowloris defence: once the first byte of a request arrives, its whole header section must
 * arrive within {@link ProxyLimits#requestHeaderTimeout()}, or the connection is closed. Two
 * handlers share one deadline: {@link #start()} goes before the HTTP codec (sees bytes),
 * {@link #stop()} right after it (sees decoded requests, before flow control can hold them back).
 */
final class HeaderDeadline {
    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    private boolean inRequest;

    HeaderDeadline(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    ChannelInboundHandlerAdapter start() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                arm(ctx); // the CONNECT itself must arrive promptly too
                ctx.fireChannelActive();
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (!inRequest && timer == null && msg instanceof ByteBuf buf && buf.isReadable()) {
                    arm(ctx);
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void handlerRemoved(ChannelHandlerContext ctx) {
                disarm();
            }
        };
    }

    ChannelInboundHandlerAdapter stop() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest) {
                    disarm();
                    inRequest = true;
                }
                if (msg instanceof LastHttpContent) {
                    inRequest = false;
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                disarm();
                ctx.fireChannelInactive();
            }
        };
    }

    private void arm(ChannelHandlerContext ctx) {
        if (timer == null) {
            timer = ctx.executor().schedule(() -> {
                timer = null;
                ctx.channel().close();
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
