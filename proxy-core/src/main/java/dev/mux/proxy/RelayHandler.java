package dev.mux.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Copies bytes from its channel to a peer: a blind tunnel, or both ends of an upgraded (WebSocket)
 * connection. AUTO_READ is off: the next read happens only while the peer is writable, so a slow
 * receiver throttles the sender instead of filling the heap. Closing one side closes the other.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
    /** Bytes moved each way, for the audit record. Only touched on the shared event loop. */
    static final class Counter {
        long fromClient;
        long fromUpstream;
    }

    private final Channel peer;
    private final Counter counter;
    private final boolean clientSide;

    RelayHandler(Channel peer, Counter counter, boolean clientSide) {
        this.peer = peer;
        this.counter = counter;
        this.clientSide = clientSide;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            if (clientSide) {
                counter.fromClient += buf.readableBytes();
            } else {
                counter.fromUpstream += buf.readableBytes();
            }
        }
        peer.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                f.channel().close();
                ctx.close();
            }
        });
        if (peer.isWritable()) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            peer.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
