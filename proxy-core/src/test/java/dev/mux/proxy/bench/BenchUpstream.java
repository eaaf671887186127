package dev.mux.proxy.bench;

import dev.mux.ca.IssuedCertificate;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's origin server (Netty, TLS): {@code /1k} answers 1 KiB, {@code /sse?n=N} sends N
 * events 5 ms apart each carrying its send time ({@code System.nanoTime}, comparable because the
 * load program runs in the same JVM), {@code /bulk?bytes=N} sends N bytes, {@code POST /sink}
 * discards the body and answers its length.
 */
final class BenchUpstream implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel server;
    private static final ByteBuf ONE_KIB = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(1024).writeBytes(new byte[1024]).asReadOnly());

    BenchUpstream(IssuedCertificate certificate, int threads) throws Exception {
        SslContext tls = SslContextBuilder.forServer(certificate.privateKey(), certificate.chain()).build();
        if (Boolean.getBoolean("bench.originTickets")
                && tls.sessionContext() instanceof io.netty.handler.ssl.OpenSslSessionContext openSsl) {
            java.security.SecureRandom random = new java.security.SecureRandom();
            byte[][] parts = new byte[3][16];
            for (byte[] part : parts) {
                random.nextBytes(part);
            }
            // real origins resume sessions too
            openSsl.setTicketKeys(new io.netty.handler.ssl.OpenSslSessionTicketKey(parts[0], parts[1], parts[2]));
        }
        group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new HttpServerCodec(), new Handler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static final class Handler extends SimpleChannelInboundHandler<HttpObject> {
        private String uri;
        private long sunk;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest request) {
                uri = request.uri();
                sunk = 0;
            }
            if (msg instanceof HttpContent content) {
                sunk += content.content().readableBytes();
                if (content instanceof LastHttpContent) {
                    respond(ctx);
                }
            }
        }

        private void respond(ChannelHandlerContext ctx) {
            if (uri.startsWith("/1k")) {
                DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.OK, ONE_KIB.duplicate());
                response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 1024);
                ctx.writeAndFlush(response);
            } else if (uri.startsWith("/sink")) {
                byte[] body = Long.toString(sunk).getBytes(StandardCharsets.US_ASCII);
                DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
                response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                ctx.writeAndFlush(response);
            } else if (uri.startsWith("/sse")) {
                int events = Integer.parseInt(uri.substring(uri.indexOf("n=") + 2));
                HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
                HttpUtil.setTransferEncodingChunked(response, true);
                ctx.writeAndFlush(response);
                sendEvents(ctx, events);
            } else if (uri.startsWith("/bulk")) {
                long bytes = Long.parseLong(uri.substring(uri.indexOf("bytes=") + 6));
                HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                HttpUtil.setContentLength(response, bytes);
                ctx.write(response);
                sendBulk(ctx, bytes);
            }
        }

        private static void sendEvents(ChannelHandlerContext ctx, int remaining) {
            if (remaining == 0) {
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                return;
            }
            ctx.executor().schedule(() -> {
                String event = "data: " + System.nanoTime() + "\n\n";
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(event, StandardCharsets.US_ASCII)));
                sendEvents(ctx, remaining - 1);
            }, 5, TimeUnit.MILLISECONDS);
        }

        private static final ByteBuf BLOCK = Unpooled.unreleasableBuffer(
                Unpooled.directBuffer(65536).writeBytes(new byte[65536]).asReadOnly());

        /** Writes while the channel is writable, then resumes on the write listener (bounded memory). */
        private static void sendBulk(ChannelHandlerContext ctx, long remaining) {
            while (remaining > 0 && ctx.channel().isWritable()) {
                int n = (int) Math.min(remaining, BLOCK.capacity());
                remaining -= n;
                ctx.write(new DefaultHttpContent(BLOCK.duplicate().slice(0, n)));
            }
            if (remaining == 0) {
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                return;
            }
            long left = remaining;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    sendBulk(ctx, left);
                }
            });
        }
    }
}
