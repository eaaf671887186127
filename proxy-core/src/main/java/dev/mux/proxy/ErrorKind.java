package dev.mux.proxy;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Why the proxy answered a request itself. The name goes into the {@code X-Mux-Error} response
 * header and the audit record's error field; the hint tells the user what to do.
 */
enum ErrorKind {
    PROXY_AUTH_REQUIRED(HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED,
            "proxy credentials missing or wrong", "use the proxy URL with the session's user and password"),
    BAD_REQUEST(HttpResponseStatus.BAD_REQUEST, "malformed request", "fix the client request"),
    REQUEST_SMUGGLING(HttpResponseStatus.BAD_REQUEST, "ambiguous request framing refused",
            "send either Content-Length or Transfer-Encoding, once, without line folding"),
    HEADER_TOO_LARGE(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request header section too large",
            "send smaller headers or raise ProxyLimits.maxHeaderSize"),
    LINE_TOO_LONG(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long",
            "send a shorter URI or raise ProxyLimits.maxInitialLineLength"),
    REQUEST_TIMEOUT(HttpResponseStatus.REQUEST_TIMEOUT, "request headers not received in time",
            "send the complete request headers promptly"),
    HOST_MISMATCH(HttpResponseStatus.FORBIDDEN, "Host header or SNI does not match the CONNECT target",
            "send requests only for the host the tunnel was opened to"),
    NOT_A_PROXY_REQUEST(HttpResponseStatus.BAD_REQUEST, "direct request to the proxy port",
            "configure this address as an HTTP(S) proxy"),
    POLICY_REFUSED(HttpResponseStatus.FORBIDDEN, "refused by policy", "change the rules if this host is needed"),
    UPSTREAM_DNS_FAILURE(HttpResponseStatus.BAD_GATEWAY, "upstream host name could not be resolved",
            "check the host name and the DNS of the machine running mux"),
    UPSTREAM_CONNECT_REFUSED(HttpResponseStatus.BAD_GATEWAY, "upstream refused the connection",
            "check that the upstream service is running and the port is right"),
    UPSTREAM_CONNECT_FAILED(HttpResponseStatus.BAD_GATEWAY, "could not connect to the upstream",
            "check the network route from the machine running mux"),
    UPSTREAM_TLS_FAILURE(HttpResponseStatus.BAD_GATEWAY, "upstream TLS certificate or handshake failed verification",
            "check the upstream certificate, or add its CA with upstreamTrust"),
    UPSTREAM_TIMEOUT(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream did not answer in time",
            "retry later or raise ProxyLimits timeouts"),
    UPSTREAM_RESET(HttpResponseStatus.BAD_GATEWAY, "upstream closed the connection before answering",
            "retry; check the upstream service"),
    INTERNAL_ERROR(HttpResponseStatus.BAD_GATEWAY, "internal proxy error", "see the mux log");

    private final HttpResponseStatus status;
    private final String what;
    private final String hint;

    ErrorKind(HttpResponseStatus status, String what, String hint) {
        this.status = status;
        this.what = what;
        this.hint = hint;
    }

    HttpResponseStatus status() {
        return status;
    }

    /** One line: what failed, for which target, and what to do. */
    String describe(String target) {
        return "mux: " + what + " (" + target + "): " + hint;
    }

    /** The answer to a request the HTTP decoder could not parse. */
    static ErrorKind ofDecoderFailure(Throwable decoderFailure) {
        if (decoderFailure instanceof io.netty.handler.codec.http.TooLongHttpHeaderException) {
            return ErrorKind.HEADER_TOO_LARGE;
        }
        if (decoderFailure instanceof io.netty.handler.codec.http.TooLongHttpLineException) {
            return ErrorKind.LINE_TOO_LONG;
        }
        if (decoderFailure instanceof io.netty.handler.codec.TooLongFrameException) {
            return ErrorKind.HEADER_TOO_LARGE;
        }
        String message = String.valueOf(decoderFailure.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (message.contains("content-length") || message.contains("transfer-encoding")
                || message.contains("fold")) {
            return ErrorKind.REQUEST_SMUGGLING;
        }
        return ErrorKind.BAD_REQUEST;
    }

    /** The kind of a failure to connect to, or handshake with, an upstream. */
    static ErrorKind ofUpstreamFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException) {
                return ErrorKind.UPSTREAM_DNS_FAILURE;
            }
            if (t instanceof io.netty.channel.ConnectTimeoutException
                    || t instanceof io.netty.handler.ssl.SslHandshakeTimeoutException) {
                return ErrorKind.UPSTREAM_TIMEOUT;
            }
            if (t instanceof java.net.ConnectException) {
                return ErrorKind.UPSTREAM_CONNECT_REFUSED;
            }
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
                return ErrorKind.UPSTREAM_TLS_FAILURE;
            }
            if (t instanceof java.nio.channels.ClosedChannelException) {
                return ErrorKind.UPSTREAM_RESET;
            }
        }
        return ErrorKind.UPSTREAM_CONNECT_FAILED;
    }
}
