package dev.mux.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Last handler of an upstream connection, right after {@code HttpClientCodec}: hands responses,
 * writability and failures to the tunnel that currently leases the connection. While pooled (no
 * owner) any input closes it.
 *
 * <p>There is no FlowControlHandler here on purpose: one {@code read()} delivers what one socket
 * read decoded (bounded by the receive buffer), and the tunnel flushes it to the client once, on
 * read-complete. A flush per message would cost a TLS record and a syscall per message.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private final Origin origin;
    private InterceptHandler owner;
    private boolean reused;

    UpstreamHandler(Origin origin) {
        this.origin = origin;
    }

    Origin origin() {
        return origin;
    }

    void lease(InterceptHandler owner) {
        this.owner = owner;
    }

    void markReused() {
        this.reused = true;
    }

    void release() {
        this.owner = null;
    }

    boolean reused() {
        return reused;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (owner != null) {
            owner.onUpstreamReadComplete(ctx.channel());
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (owner != null) {
            owner.onUpstreamMessage(ctx.channel(), msg);
        } else {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (owner != null && ctx.channel().isWritable()) {
            owner.onUpstreamWritable(ctx.channel());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        InterceptHandler current = owner;
        owner = null;
        if (current != null) {
            current.onUpstreamClosed(ctx.channel(), null);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            InterceptHandler current = owner;
            owner = null;
            if (current != null) {
                current.onUpstreamClosed(ctx.channel(), ErrorKind.UPSTREAM_TIMEOUT);
            }
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        InterceptHandler current = owner;
        owner = null;
        if (current != null) {
            current.onUpstreamClosed(ctx.channel(), ErrorKind.UPSTREAM_RESET);
        }
        ctx.close();
    }
}
