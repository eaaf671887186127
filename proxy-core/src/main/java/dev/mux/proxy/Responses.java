package dev.mux.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Responses the proxy writes itself: errors with {@code X-Mux-Error}, CONNECT success, status pages. */
final class Responses {
    static final String ERROR_HEADER = "X-Mux-Error";

    private Responses() {}

    /** An error answer; {@code code} is the {@link ErrorKind} name or a rules error code. */
    static FullHttpResponse error(ByteBufAllocator alloc, HttpResponseStatus status, String code, String line,
            boolean close) {
        FullHttpResponse response = text(alloc, status, line + "\n", "text/plain; charset=utf-8");
        response.headers().set(ERROR_HEADER, code);
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    static FullHttpResponse error(ByteBufAllocator alloc, ErrorKind kind, String target, boolean close) {
        return error(alloc, kind.status(), kind.name(), kind.describe(target), close);
    }

    static FullHttpResponse text(ByteBufAllocator alloc, HttpResponseStatus status, String body, String type) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ByteBuf content = alloc.buffer(bytes.length).writeBytes(bytes);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return response;
    }

    static FullHttpResponse connectionEstablished() {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, new HttpResponseStatus(200, "Connection Established"));
    }
}
