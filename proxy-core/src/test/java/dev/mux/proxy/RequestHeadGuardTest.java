package dev.mux.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestHeadGuardTest {
    private final List<Object> events = new ArrayList<>();
    private final List<String> requests = new ArrayList<>();

    private EmbeddedChannel channel(long timeoutNanos) {
        RequestHeadGuard guard = new RequestHeadGuard(timeoutNanos);
        return new EmbeddedChannel(guard.start(), ProxyInitializer.serverCodec(ProxyLimits.defaults()), guard.stop(),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof HttpRequest request) {
                            requests.add(request.uri());
                        }
                        ReferenceCountUtil.release(msg);
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        events.add(evt);
                    }
                });
    }

    private static void write(EmbeddedChannel channel, String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    @Test
    void passesOrdinaryRequestsAndBodiesThatContainSpacesAfterNewlines() {
        EmbeddedChannel channel = channel(TimeUnit.SECONDS.toNanos(10));
        write(channel, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nab\n cd");
        write(channel, "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(requests).containsExactly("/a", "/b");
        assertThat(events).isEmpty();
    }

    @Test
    void refusesAFoldedHeaderLineEvenAcrossReads() {
        EmbeddedChannel channel = channel(TimeUnit.SECONDS.toNanos(10));
        write(channel, "GET /a HTTP/1.1\r\nX-A: 1\r\n");
        write(channel, "\tcontinued\r\n\r\n");
        assertThat(events).containsExactly(RequestHeadGuard.FOLDING_REFUSED);
        assertThat(requests).isEmpty();
    }

    @Test
    void closesAConnectionWhoseHeadDoesNotFinishInTime() {
        EmbeddedChannel channel = channel(TimeUnit.MILLISECONDS.toNanos(50));
        write(channel, "GET /a HTTP/1.1\r\nX-Slow: ");
        channel.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aCompleteHeadCancelsTheDeadline() {
        EmbeddedChannel channel = channel(TimeUnit.MILLISECONDS.toNanos(50));
        write(channel, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        channel.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        assertThat(requests).containsExactly("/a");
    }
}
