package dev.mux.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Guards the head (request line and headers) of every request on a client connection:
 * <ul>
 *   <li>the slowloris defence: once the first byte of a head arrives, the whole head must arrive
 *       within {@link ProxyLimits#requestHeaderTimeout()}, or the connection is closed;</li>
 *   <li>obsolete line folding (a header line starting with a space or tab) is refused: the HTTP
 *       codec would silently join the lines, so it is caught here on the raw bytes, and the
 *       request handler is told with {@link #FOLDING_REFUSED}.</li>
 * </ul>
 * Two handlers share the state: {@link #start()} goes before the HTTP codec (sees bytes),
 * {@link #stop()} right after it (sees decoded requests, before flow control can hold them back).
 */
final class RequestHeadGuard {
    /** User event fired (instead of the bytes) when a request head uses obsolete line folding. */
    static final Object FOLDING_REFUSED = new Object() {
        @Override
        public String toString() {
            return "FOLDING_REFUSED";
        }
    };

    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    private boolean inBody;
    private boolean firstLine = true;
    private int lineLength;
    private boolean poisoned;

    RequestHeadGuard(long timeoutNanos) {
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
                if (poisoned) {
                    ReferenceCountUtil.release(msg);
                    return;
                }
                if (!inBody && msg instanceof ByteBuf buf && buf.isReadable()) {
                    arm(ctx);
                    if (foldsALine(buf)) {
                        poisoned = true;
                        disarm();
                        buf.release();
                        ctx.fireUserEventTriggered(FOLDING_REFUSED);
                        return;
                    }
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
                    inBody = true;
                }
                if (msg instanceof LastHttpContent) {
                    inBody = false;
                    firstLine = true;
                    lineLength = 0;
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

    /** Scans head bytes up to the blank line ending the head; true on a folded header line. */
    private boolean foldsALine(ByteBuf buf) {
        for (int i = buf.readerIndex(); i < buf.writerIndex(); i++) {
            byte b = buf.getByte(i);
            if (b == '\n') {
                if (lineLength == 0 && !firstLine) {
                    inBody = true; // end of the head: what follows is body until the codec says so
                    return false;
                }
                if (lineLength > 0) {
                    firstLine = false;
                }
                lineLength = 0;
            } else if (b != '\r') {
                if (lineLength == 0 && !firstLine && (b == ' ' || b == '\t')) {
                    return true;
                }
                lineLength++;
            }
        }
        return false;
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
