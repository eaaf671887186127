package dev.mux.proxy;

import dev.mux.audit.AuditDecision;
import dev.mux.audit.AuditRecord;
import dev.mux.rules.Decision;
import dev.mux.rules.HeaderValue;
import dev.mux.rules.RequestContext;
import dev.mux.rules.Upstream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles the HTTP/1.1 requests inside one intercepted tunnel (after TLS termination), or the
 * plain-HTTP requests of one proxy connection: checks the Host, asks the rules, injects, sends the
 * request to a pooled upstream connection and streams the response back, one exchange at a time.
 *
 * <p>Pipeline position: last, after {@code HttpServerCodec} and {@code FlowControlHandler}. Both
 * channels have AUTO_READ off and share one event loop: the client is read only while the upstream
 * is writable and vice versa, so bodies of any size stream with bounded memory.
 */
final class InterceptHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(InterceptHandler.class);
    // hop-by-hop headers of HTTP/1.0 heritage (Netty deprecated its constants, the headers live on)
    private static final String KEEP_ALIVE = "keep-alive";
    private static final String PROXY_CONNECTION = "proxy-connection";

    private final ProxyRuntime runtime;
    private final String sessionId;
    private final String client;
    private final Target target;
    private final boolean tls;
    private ChannelHandlerContext ctx;
    private boolean sniMismatch;
    private boolean tunnelCounted;
    private Exchange current;
    private HttpRequest pipelined;
    private boolean closing;
    private boolean wantRead;

    /** One request and its response. */
    private static final class Exchange {
        final Instant start = Instant.now();
        final long startNanos = System.nanoTime();
        final String correlationId;
        final HttpRequest request;
        final String method;
        final String path;
        String rule;
        boolean injected;
        AuditDecision decision = AuditDecision.PASS;
        Origin origin;
        Channel upstream;
        boolean clientKeepAlive;
        boolean requestComplete;
        boolean responseStarted;
        boolean informational;
        boolean upgrading;
        boolean upstreamKeepAlive;
        java.util.ArrayDeque<HttpContent> early; // request body parts read before the upstream was ready
        boolean bodyless;
        boolean reusedUpstream;
        boolean retried;
        int status;
        long bytesIn;
        long bytesOut;
        boolean audited;

        Exchange(String correlationId, HttpRequest request, String path) {
            this.correlationId = correlationId;
            this.request = request;
            this.method = request == null ? null : request.method().name();
            this.path = path;
        }
    }

    InterceptHandler(ProxyRuntime runtime, String sessionId, String client, Target target, boolean tls) {
        this.runtime = runtime;
        this.sessionId = sessionId;
        this.client = client;
        this.target = target;
        this.tls = tls;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (tls) {
            tunnelCounted = true;
            runtime.metrics.tunnelOpened();
        }
    }

    /**
     * Asks the client for one more message. FlowControlHandler counts a read-complete that brought
     * no message as satisfying the read, so the wish is renewed on every such read-complete.
     */
    private void requestRead() {
        wantRead = true;
        ctx.read();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Exchange ex = current;
        if (ex != null && ex.upstream != null && !ex.requestComplete) {
            ex.upstream.flush();
        }
        if (wantRead && !closing) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == RequestHeadGuard.FOLDING_REFUSED) {
            if (current == null && !closing) {
                Exchange ex = new Exchange(runtime.nextCorrelationId(), null, null);
                current = ex;
                refuse(ex, ErrorKind.REQUEST_SMUGGLING);
            } else {
                ctx.close();
            }
            return;
        }
        if (evt instanceof SniCompletionEvent sni && sni.isSuccess() && sni.hostname() != null) {
            sniMismatch = !sni.hostname().equalsIgnoreCase(target.host());
        } else if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                requestRead();
            } else {
                log.debug("client TLS handshake failed: session {}, target {}: {}", sessionId, target,
                        handshake.cause().toString());
                auditHandshakeFailure();
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void auditHandshakeFailure() {
        AuditRecord.Builder record = ProxyRuntime.record(Instant.now(), sessionId, client, target)
                .method("CONNECT").decision(AuditDecision.ERROR).error("CLIENT_TLS_FAILURE")
                .correlationId(runtime.nextCorrelationId());
        runtime.audit(record, target.host(), AuditDecision.ERROR, 0);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        wantRead = false;
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            if (current != null) {
                if (pipelined != null) {
                    ReferenceCountUtil.release(msg);
                    ctx.close();
                    return;
                }
                pipelined = request;
                return;
            }
            startExchange(request);
            if (msg instanceof HttpContent content) {
                requestContent(content);
            }
        } else if (msg instanceof HttpContent content) {
            requestContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void startExchange(HttpRequest request) {
        Exchange ex = new Exchange(runtime.nextCorrelationId(), request, originForm(request.uri()));
        current = ex;
        if (request.decoderResult().isFailure()) {
            refuse(ex, ErrorKind.ofDecoderFailure(request.decoderResult().cause()));
            return;
        }
        HttpHeaders headers = request.headers();
        if (headers.contains(HttpHeaderNames.CONTENT_LENGTH) && headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            refuse(ex, ErrorKind.REQUEST_SMUGGLING);
            return;
        }
        if (!tls && !absoluteUriMatchesTarget(request.uri())) {
            refuse(ex, ErrorKind.BAD_REQUEST);
            return;
        }
        if (tls && (sniMismatch || !hostMatches(request))) {
            refuse(ex, ErrorKind.HOST_MISMATCH);
            return;
        }
        ex.clientKeepAlive = HttpUtil.isKeepAlive(request);
        request.setUri(ex.path);
        Decision decision;
        if (tls) {
            try {
                decision = runtime.rules.get().decide(new RequestContext(sessionId, target.host(), target.port(),
                        ex.method, ex.path, headers::getAll));
            } catch (RuntimeException e) {
                log.warn("rules failed: session {}, target {}: {}", sessionId, target, e.getClass().getName());
                refuse(ex, ErrorKind.INTERNAL_ERROR);
                return;
            }
        } else {
            decision = new Decision.Pass(Optional.empty()); // plain HTTP never carries a credential
        }
        Optional<Upstream> override;
        if (decision instanceof Decision.Refuse refusal) {
            ex.rule = refusal.ruleName();
            ex.decision = AuditDecision.REFUSE;
            int status = refusal.status() > 0 ? refusal.status() : 403;
            answer(ex, HttpResponseStatus.valueOf(status), refusal.errorCode(),
                    "mux: " + refusal.reason() + " (" + target + "): change the rules if this is needed");
            return;
        } else if (decision instanceof Decision.Inject inject) {
            ex.rule = inject.ruleName();
            ex.decision = AuditDecision.INJECT;
            for (String name : inject.removeHeaders()) {
                headers.remove(name);
            }
            for (HeaderValue header : inject.setHeaders()) {
                headers.set(header.name(), header.value());
            }
            ex.injected = !inject.setHeaders().isEmpty();
            override = inject.upstream();
        } else {
            override = ((Decision.Pass) decision).upstream();
        }
        stripHopByHop(headers);
        if (override.isPresent()) {
            Upstream upstream = override.get();
            ex.origin = new Origin(upstream.host(), upstream.port(), true);
            headers.set(HttpHeaderNames.HOST, upstream.port() == 443 ? upstream.host() : ex.origin.authority());
        } else {
            ex.origin = new Origin(target.host(), target.port(), tls);
        }
        Future<Channel> upstream = runtime.pool.acquire(ctx.channel().eventLoop(), ex.origin);
        if (upstream.isDone()) {
            onUpstreamReady(ex, upstream);
        } else {
            upstream.addListener(f -> onUpstreamReady(ex, upstream));
        }
    }

    private void onUpstreamReady(Exchange ex, Future<Channel> future) {
        if (!future.isSuccess()) {
            if (ex == current) {
                failUpstream(ex, ErrorKind.ofUpstreamFailure(future.cause()), future.cause());
            }
            return;
        }
        Channel upstream = future.getNow();
        if (ex != current || !ctx.channel().isActive()) {
            upstream.close();
            return;
        }
        ex.upstream = upstream;
        UpstreamHandler handler = upstream.pipeline().get(UpstreamHandler.class);
        handler.lease(this);
        ex.reusedUpstream = handler.reused();
        // a body-less request is flushed with its (immediately following) end; one with a body at
        // once, so that a client waiting for "100 Continue" is not stuck
        boolean hasBody = HttpUtil.getContentLength(ex.request, 0L) > 0 || HttpUtil.isTransferEncodingChunked(ex.request);
        ex.bodyless = !hasBody;
        if (hasBody) {
            upstream.writeAndFlush(ex.request).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        } else {
            upstream.write(ex.request).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
            if (ex.requestComplete) { // a retry: the client's end of request was consumed by the first attempt
                upstream.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                        .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
            }
        }
        upstream.read();
        if (ex.early != null) {
            HttpContent early;
            while ((early = ex.early.poll()) != null) {
                requestContent(early);
            }
            ex.early = null;
        } else if (!ex.requestComplete && upstream.isWritable()) {
            requestRead();
        }
    }

    private void requestContent(HttpContent content) {
        Exchange ex = current;
        if (ex == null || ex.requestComplete) {
            content.release();
            return;
        }
        if (ex.upstream == null) {
            // an outstanding read delivered it while the upstream connection is still being set up
            if (ex.early == null) {
                ex.early = new java.util.ArrayDeque<>(2);
            }
            ex.early.add(content);
            return;
        }
        ex.bytesIn += content.content().readableBytes();
        boolean last = content instanceof LastHttpContent;
        if (last) {
            ex.upstream.writeAndFlush(content).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        } else {
            // flushed on read-complete: one TLS record and syscall per batch, not per body part
            ex.upstream.write(content).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }
        if (last) {
            ex.requestComplete = true;
            requestRead(); // notice a disconnect (or the next pipelined request) while the response streams
        } else if (ex.upstream.isWritable()) {
            requestRead();
        }
    }

    /** A response part from the leased upstream connection. */
    void onUpstreamMessage(Channel upstream, Object msg) {
        Exchange ex = current;
        if (ex == null || ex.upstream != upstream) {
            ReferenceCountUtil.release(msg);
            upstream.close();
            return;
        }
        if (msg instanceof HttpResponse response) {
            int code = response.status().code();
            if (code >= 100 && code < 200 && code != 101) {
                ex.informational = true;
                ctx.write(response);
                return;
            }
            ex.responseStarted = true;
            ex.status = code;
            ex.upstreamKeepAlive = HttpUtil.isKeepAlive(response);
            if (code == 101) {
                ex.upgrading = true;
            } else {
                boolean framed = HttpUtil.isContentLengthSet(response) || HttpUtil.isTransferEncodingChunked(response)
                        || code == 204 || code == 304 || HttpMethod.HEAD.name().equals(ex.method);
                ex.clientKeepAlive &= framed;
                response.headers().remove(KEEP_ALIVE);
                if (ex.clientKeepAlive) {
                    response.headers().remove(HttpHeaderNames.CONNECTION);
                } else {
                    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
            }
            ctx.write(response);
        }
        if (msg instanceof HttpContent content) {
            if (ex.informational) {
                ex.informational = !(content instanceof LastHttpContent);
                content.release();
                return;
            }
            ex.bytesOut += content.content().readableBytes();
            if (content instanceof LastHttpContent) {
                ctx.writeAndFlush(content);
                if (ex.upgrading) {
                    upgrade(ex);
                } else {
                    finish(ex);
                }
                return;
            }
            ctx.write(content);
        }
    }

    /**
     * The upstream delivered everything one socket read decoded: flush it to the client in one go
     * (each server-sent event leaves as soon as it arrived) and read on while the client keeps up.
     */
    void onUpstreamReadComplete(Channel upstream) {
        Exchange ex = current;
        if (ex == null || ex.upstream != upstream) {
            return;
        }
        ctx.flush();
        if (ctx.channel().isWritable()) {
            upstream.read();
        }
    }

    /** The leased upstream became writable again: resume reading the request body. */
    void onUpstreamWritable(Channel upstream) {
        Exchange ex = current;
        if (ex != null && ex.upstream == upstream && !ex.requestComplete) {
            requestRead();
        }
    }

    /** The leased upstream closed, timed out or failed ({@code kind} null: closed). */
    void onUpstreamClosed(Channel upstream, ErrorKind kind) {
        Exchange ex = current;
        if (ex == null || ex.upstream != upstream) {
            return;
        }
        ErrorKind error = kind == null ? ErrorKind.UPSTREAM_RESET : kind;
        if (error == ErrorKind.UPSTREAM_RESET && retriable(ex)) {
            // a pooled connection the upstream closed just as it was reused: once more on a new one
            ex.retried = true;
            ex.upstream = null;
            upstream.close();
            Future<Channel> fresh = runtime.pool.connect(ctx.channel().eventLoop(), ex.origin);
            fresh.addListener(f -> onUpstreamReady(ex, fresh));
            return;
        }
        failUpstream(ex, error, null);
    }

    /** Safe to send again: nothing came back, nothing but the head was sent, and the method is safe. */
    private static boolean retriable(Exchange ex) {
        return ex.reusedUpstream && !ex.retried && !ex.responseStarted && ex.bodyless && ex.bytesIn == 0
                && ("GET".equals(ex.method) || "HEAD".equals(ex.method) || "OPTIONS".equals(ex.method));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange ex = current;
        if (ctx.channel().isWritable() && ex != null && ex.upstream != null && ex.responseStarted) {
            ex.upstream.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange ex = current;
        current = null;
        if (ex != null) {
            if (ex.upstream != null) {
                ex.upstream.close(); // the client is gone: cancel its upstream request
            }
            audit(ex, ex.status, "CLIENT_CLOSED");
        }
        if (pipelined != null) {
            ReferenceCountUtil.release(pipelined);
            pipelined = null;
        }
        if (tunnelCounted) {
            tunnelCounted = false;
            runtime.metrics.tunnelClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("client connection failed: session {}, target {}: {}", sessionId, target, cause.toString());
        ctx.close();
    }

    private void finish(Exchange ex) {
        audit(ex, ex.status, null);
        current = null;
        Channel upstream = ex.upstream;
        upstream.pipeline().get(UpstreamHandler.class).release();
        if (ex.requestComplete && ex.upstreamKeepAlive) {
            runtime.pool.release(upstream);
        } else {
            upstream.close();
        }
        if (!ex.clientKeepAlive || !ex.requestComplete) {
            log.debug("closing client connection after the response (keep-alive: {}, request complete: {}): "
                    + "session {}, target {}", ex.clientKeepAlive, ex.requestComplete, sessionId, target);
            closeAfterFlush();
            return;
        }
        if (pipelined != null) {
            HttpRequest next = pipelined;
            pipelined = null;
            startExchange(next);
        } else {
            requestRead();
        }
    }

    /** After a 101 answer, both connections become a raw byte relay (e.g. a WebSocket). */
    private void upgrade(Exchange ex) {
        audit(ex, 101, null);
        current = null;
        Channel upstream = ex.upstream;
        Channel clientChannel = ctx.channel();
        ChannelPipeline clientPipeline = clientChannel.pipeline();
        RelayHandler.Counter counter = new RelayHandler.Counter();
        clientPipeline.replace(this, "relay", new RelayHandler(upstream, counter, true));
        for (String name : new String[] {"flow", "headerStop", "codec", "headerStart"}) {
            if (clientPipeline.get(name) != null) {
                clientPipeline.remove(name);
            }
        }
        ChannelPipeline upstreamPipeline = upstream.pipeline();
        upstreamPipeline.replace("upstream", "relay", new RelayHandler(clientChannel, counter, false));
        upstreamPipeline.remove("idle");
        upstreamPipeline.remove("codec");
        if (tunnelCounted) {
            tunnelCounted = false;
            clientChannel.closeFuture().addListener(f -> runtime.metrics.tunnelClosed());
        }
        clientChannel.read();
        upstream.read();
    }

    private void refuse(Exchange ex, ErrorKind kind) {
        ex.decision = kind == ErrorKind.HOST_MISMATCH ? AuditDecision.REFUSE : AuditDecision.ERROR;
        answer(ex, kind.status(), kind.name(), kind.describe(target.toString()));
    }

    /** Answers the current request ourselves (nothing was sent upstream) and closes. */
    private void answer(Exchange ex, HttpResponseStatus status, String code, String line) {
        ex.status = status.code();
        audit(ex, status.code(), code);
        current = null;
        closing = true;
        ctx.writeAndFlush(Responses.error(ctx.alloc(), status, code, line, true))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void failUpstream(Exchange ex, ErrorKind kind, Throwable cause) {
        log.debug("upstream failed ({}, response started: {}): session {}, target {}", kind, ex.responseStarted,
                sessionId, target);
        if (cause != null) {
            log.debug("{}", new MuxProxyException(sessionId, ex.origin.authority(), kind.name(), cause).getMessage());
        }
        ex.decision = AuditDecision.ERROR;
        if (ex.upstream != null) {
            ex.upstream.pipeline().get(UpstreamHandler.class);
            ex.upstream.close();
        }
        if (!ex.responseStarted) {
            answer(ex, kind.status(), kind.name(), kind.describe(describeOrigin(ex)));
        } else {
            audit(ex, ex.status, kind.name());
            current = null;
            closing = true;
            ctx.close();
        }
    }

    private String describeOrigin(Exchange ex) {
        String origin = ex.origin.authority();
        return origin.equals(target.authority()) ? origin : target + " via " + origin;
    }

    private void closeAfterFlush() {
        closing = true;
        ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void audit(Exchange ex, int status, String error) {
        if (ex.audited) {
            return;
        }
        ex.audited = true;
        if (ex.early != null) {
            ex.early.forEach(HttpContent::release);
            ex.early = null;
        }
        AuditDecision decision = error != null && ex.decision != AuditDecision.REFUSE ? AuditDecision.ERROR : ex.decision;
        if (decision == AuditDecision.INJECT && ex.injected && error == null) {
            runtime.metrics.injected();
        }
        AuditRecord.Builder record = ProxyRuntime.record(ex.start, sessionId, client, target)
                .method(ex.method)
                .path(ex.path)
                .rule(ex.rule)
                .authInjected(ex.injected && ex.upstream != null)
                .decision(decision)
                .responseCode(status)
                .durationMs((System.nanoTime() - ex.startNanos) / 1_000_000)
                .bytesIn(ex.bytesIn)
                .bytesOut(ex.bytesOut)
                .error(error)
                .correlationId(ex.correlationId);
        runtime.audit(record, target.host(), decision, status);
    }

    private boolean hostMatches(HttpRequest request) {
        String uri = request.uri();
        if (!uri.startsWith("/") && !uri.equals("*")) {
            try {
                URI absolute = new URI(uri);
                if (absolute.getRawAuthority() == null
                        || !target.matchesHostHeader(absolute.getRawAuthority(), 443)) {
                    return false;
                }
            } catch (java.net.URISyntaxException e) {
                return false;
            }
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        return host != null && target.matchesHostHeader(host, 443);
    }

    private boolean absoluteUriMatchesTarget(String uri) {
        try {
            URI absolute = new URI(uri);
            return "http".equalsIgnoreCase(absolute.getScheme()) && absolute.getRawAuthority() != null
                    && target.matchesHostHeader(absolute.getRawAuthority(), 80);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** The path and query of a request URI in origin or absolute form. */
    static String originForm(String uri) {
        if (uri.startsWith("/") || uri.equals("*")) {
            return uri;
        }
        int scheme = uri.indexOf("://");
        if (scheme < 0) {
            return uri;
        }
        int slash = uri.indexOf('/', scheme + 3);
        int query = uri.indexOf('?', scheme + 3);
        if (slash < 0 && query < 0) {
            return "/";
        }
        if (slash < 0 || (query >= 0 && query < slash)) {
            return "/" + uri.substring(query);
        }
        return uri.substring(slash);
    }

    private static void stripHopByHop(HttpHeaders headers) {
        headers.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
        headers.remove(PROXY_CONNECTION);
        headers.remove(KEEP_ALIVE);
        String connection = headers.get(HttpHeaderNames.CONNECTION);
        if (connection != null && !connection.toLowerCase(java.util.Locale.ROOT).contains("upgrade")) {
            headers.remove(HttpHeaderNames.CONNECTION);
        }
    }
}
