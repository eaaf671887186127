package dev.mux.proxy;

import dev.mux.audit.AuditDecision;
import dev.mux.audit.AuditRecord;
import dev.mux.rules.ConnectDecision;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SniHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of a client connection: reads the proxy request, authenticates it and then
 * turns the connection into what the policy decided — an intercepted TLS tunnel, a blind TCP
 * tunnel, a plain-HTTP forward, a refusal, or (loopback only) the health and metrics pages.
 *
 * <p>Pipeline position: last, after {@code HttpServerCodec} and {@code FlowControlHandler}; it
 * replaces itself once the tunnel is decided.
 */
final class ConnectHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectHandler.class);
    private static final String REALM = "Basic realm=\"mux\"";

    private final ProxyRuntime runtime;
    private HttpRequest pending;
    private Instant pendingStart;
    private boolean done;
    private boolean wantRead;

    ConnectHandler(ProxyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        requestRead(ctx);
        ctx.fireChannelActive();
    }

    /** Asks for one more message; re-asked on each read-complete that brought none (flow control). */
    private void requestRead(ChannelHandlerContext ctx) {
        wantRead = true;
        ctx.read();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (wantRead && !done) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        wantRead = false;
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            pending = request;
            pendingStart = Instant.now();
            if (request.decoderResult().isFailure()) {
                ErrorKind kind = ErrorKind.ofDecoderFailure(request.decoderResult().cause());
                fail(ctx, request, null, null, kind, "(proxy request)");
                ReferenceCountUtil.release(msg);
                return;
            }
            if (!HttpMethod.CONNECT.equals(request.method()) && !request.uri().startsWith("/")) {
                plainHttp(ctx, request);
                return;
            }
        }
        boolean last = msg instanceof LastHttpContent;
        if (msg instanceof HttpContent) {
            ReferenceCountUtil.release(msg);
        }
        if (!last) {
            requestRead(ctx);
            return;
        }
        HttpRequest request = pending;
        pending = null;
        if (request == null) {
            requestRead(ctx);
        } else if (HttpMethod.CONNECT.equals(request.method())) {
            connect(ctx, request);
        } else {
            direct(ctx, request);
        }
    }

    private void connect(ChannelHandlerContext ctx, HttpRequest request) {
        Target target = Target.parseAuthority(request.uri(), 443);
        if (target == null) {
            fail(ctx, request, null, null, ErrorKind.BAD_REQUEST, "CONNECT " + printable(request.uri()));
            return;
        }
        String sessionId = authenticate(ctx, request, target);
        if (sessionId == null) {
            return;
        }
        ConnectDecision decision;
        try {
            decision = runtime.rules.get().onConnect(sessionId, target.host(), target.port());
        } catch (RuntimeException e) {
            log.warn("rules failed on CONNECT: session {}, target {}: {}", sessionId, target, e.getClass().getName());
            fail(ctx, request, sessionId, target, ErrorKind.INTERNAL_ERROR, target.toString());
            return;
        }
        if (decision instanceof ConnectDecision.Refuse refusal) {
            refuse(ctx, request, sessionId, target, refusal);
        } else if (decision instanceof ConnectDecision.Tunnel) {
            blindTunnel(ctx, sessionId, target);
        } else {
            intercept(ctx, sessionId, target);
        }
    }

    /** Returns the session id, or answers 407 and returns null. */
    private String authenticate(ChannelHandlerContext ctx, HttpRequest request, Target target) {
        String header = request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION);
        Optional<String> session = Optional.empty();
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon >= 0) {
                    session = runtime.authenticator.get()
                            .authenticate(decoded.substring(0, colon), decoded.substring(colon + 1));
                }
            } catch (IllegalArgumentException e) {
                session = Optional.empty();
            }
        }
        if (session.isPresent()) {
            return session.get();
        }
        boolean keepOpen = HttpMethod.CONNECT.equals(request.method());
        FullHttpResponse response = Responses.error(ctx.alloc(), ErrorKind.PROXY_AUTH_REQUIRED,
                target.toString(), !keepOpen);
        response.headers().set(HttpHeaderNames.PROXY_AUTHENTICATE, REALM);
        audit(request, null, ctx, target, AuditDecision.REFUSE, 407, ErrorKind.PROXY_AUTH_REQUIRED.name());
        if (keepOpen) {
            // git sends its credentials on the same connection after the 407
            ctx.writeAndFlush(response);
            requestRead(ctx);
        } else {
            done = true;
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
        return null;
    }

    private void refuse(ChannelHandlerContext ctx, HttpRequest request, String sessionId, Target target,
            ConnectDecision.Refuse refusal) {
        audit(request, sessionId, ctx, target, AuditDecision.REFUSE, 403, refusal.errorCode());
        done = true;
        ctx.writeAndFlush(Responses.error(ctx.alloc(), HttpResponseStatus.FORBIDDEN, refusal.errorCode(),
                "mux: " + refusal.reason() + " (" + target + "): change the rules if this host is needed", true))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void intercept(ChannelHandlerContext ctx, String sessionId, Target target) {
        done = true;
        ctx.writeAndFlush(Responses.connectionEstablished());
        ChannelPipeline p = ctx.pipeline();
        p.addBefore("headerStart", "tls", new SniHandler(
                host -> runtime.leafContexts.forHost(host == null ? target.host() : host),
                runtime.limits.connectTimeout().toMillis()));
        p.replace("codec", "codec", ProxyInitializer.serverCodec(runtime.limits));
        p.replace(this, "intercept", new InterceptHandler(runtime, sessionId, clientOf(ctx), target, true));
        p.channel().read();
    }

    private void blindTunnel(ChannelHandlerContext ctx, String sessionId, Target target) {
        done = true;
        Instant start = Instant.now();
        long startNanos = System.nanoTime();
        Channel client = ctx.channel();
        Bootstrap bootstrap = runtime.outgoing(client.eventLoop()).handler(new ChannelInboundHandlerAdapter());
        ChannelFuture connecting = bootstrap.connect(target.host(), target.port());
        String correlationId = runtime.nextCorrelationId();
        connecting.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                ErrorKind kind = ErrorKind.ofUpstreamFailure(f.cause());
                AuditRecord.Builder record = ProxyRuntime.record(start, sessionId, clientOf(ctx), target)
                        .method("CONNECT").decision(AuditDecision.ERROR).responseCode(kind.status().code())
                        .error(kind.name()).correlationId(correlationId)
                        .durationMs((System.nanoTime() - startNanos) / 1_000_000);
                runtime.audit(record, target.host(), AuditDecision.ERROR, kind.status().code());
                ctx.writeAndFlush(Responses.error(ctx.alloc(), kind, target.toString(), true))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            Channel upstream = f.channel();
            if (!client.isActive()) {
                upstream.close();
                return;
            }
            ctx.writeAndFlush(Responses.connectionEstablished());
            RelayHandler.Counter counter = new RelayHandler.Counter();
            ChannelPipeline p = ctx.pipeline();
            p.replace(this, "relay", new RelayHandler(upstream, counter, true));
            for (String name : new String[] {"flow", "headerStop", "codec", "headerStart"}) {
                p.remove(name);
            }
            upstream.pipeline().addLast("relay", new RelayHandler(client, counter, false));
            runtime.metrics.tunnelOpened();
            client.closeFuture().addListener(closed -> upstream.closeFuture().addListener(both -> {
                runtime.metrics.tunnelClosed();
                AuditRecord.Builder record = ProxyRuntime.record(start, sessionId, clientOf(ctx), target)
                        .method("CONNECT").decision(AuditDecision.PASS).responseCode(200)
                        .bytesIn(counter.fromClient).bytesOut(counter.fromUpstream).correlationId(correlationId)
                        .durationMs((System.nanoTime() - startNanos) / 1_000_000);
                runtime.audit(record, target.host(), AuditDecision.PASS, 200);
            }));
            client.read();
            upstream.read();
        });
    }

    private void plainHttp(ChannelHandlerContext ctx, HttpRequest request) {
        Target target;
        try {
            URI uri = new URI(request.uri());
            target = "http".equalsIgnoreCase(uri.getScheme())
                    ? Target.parseAuthority(uri.getRawAuthority(), 80) : null;
        } catch (java.net.URISyntaxException e) {
            target = null;
        }
        if (target == null) {
            ReferenceCountUtil.release(request);
            fail(ctx, request, null, null, ErrorKind.BAD_REQUEST, printable(request.uri()));
            return;
        }
        String sessionId = authenticate(ctx, request, target);
        if (sessionId == null) {
            done = true;
            return;
        }
        ConnectDecision decision;
        try {
            decision = runtime.rules.get().onConnect(sessionId, target.host(), target.port());
        } catch (RuntimeException e) {
            fail(ctx, request, sessionId, target, ErrorKind.INTERNAL_ERROR, target.toString());
            return;
        }
        if (decision instanceof ConnectDecision.Refuse refusal) {
            refuse(ctx, request, sessionId, target, refusal);
            return;
        }
        done = true;
        pending = null;
        InterceptHandler handler = new InterceptHandler(runtime, sessionId, clientOf(ctx), target, false);
        ctx.pipeline().addAfter(ctx.name(), "intercept", handler);
        ctx.fireChannelRead(request);
        ctx.pipeline().remove(this);
    }

    /** A request addressed to the proxy itself: health and metrics for loopback clients. */
    private void direct(ChannelHandlerContext ctx, HttpRequest request) {
        boolean loopback = ctx.channel().remoteAddress() instanceof InetSocketAddress remote
                && remote.getAddress().isLoopbackAddress();
        boolean get = HttpMethod.GET.equals(request.method());
        FullHttpResponse response;
        if (loopback && get && request.uri().equals("/_mux/health")) {
            response = Responses.text(ctx.alloc(), HttpResponseStatus.OK, "ok\n", "text/plain; charset=utf-8");
        } else if (loopback && get && request.uri().equals("/_mux/metrics")) {
            response = Responses.text(ctx.alloc(), HttpResponseStatus.OK, runtime.metrics.render(),
                    "text/plain; version=0.0.4; charset=utf-8");
        } else {
            response = Responses.error(ctx.alloc(), ErrorKind.NOT_A_PROXY_REQUEST,
                    printable(request.uri()), false);
        }
        ctx.writeAndFlush(response);
        requestRead(ctx);
    }

    private void fail(ChannelHandlerContext ctx, HttpRequest request, String sessionId, Target target,
            ErrorKind kind, String what) {
        done = true;
        audit(request, sessionId, ctx, target, AuditDecision.ERROR, kind.status().code(), kind.name());
        ctx.writeAndFlush(Responses.error(ctx.alloc(), kind, what, true)).addListener(ChannelFutureListener.CLOSE);
    }

    private void audit(HttpRequest request, String sessionId, ChannelHandlerContext ctx, Target target,
            AuditDecision decision, int status, String error) {
        Instant start = pendingStart == null ? Instant.now() : pendingStart;
        AuditRecord.Builder record = ProxyRuntime.record(start, sessionId, clientOf(ctx), target)
                .method(request == null ? null : request.method().name())
                .decision(decision)
                .responseCode(status)
                .error(error)
                .correlationId(runtime.nextCorrelationId());
        if (request != null && !HttpMethod.CONNECT.equals(request.method())) {
            record.path(InterceptHandler.originForm(request.uri()));
        }
        runtime.audit(record, target == null ? "" : target.host(), decision, status);
    }

    static String clientOf(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress remote
                ? remote.getAddress().getHostAddress() + ":" + remote.getPort() : String.valueOf(
                        ctx.channel().remoteAddress());
    }

    private static String printable(String text) {
        String cut = text.length() > 100 ? text.substring(0, 100) + "…" : text;
        return cut.replaceAll("[^\\x20-\\x7e…]", "?");
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == RequestHeadGuard.FOLDING_REFUSED && !done) {
            fail(ctx, null, null, null, ErrorKind.REQUEST_SMUGGLING, "(proxy request)");
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("client connection failed before a tunnel was set up: {}", cause.toString());
        ctx.close();
    }
}
