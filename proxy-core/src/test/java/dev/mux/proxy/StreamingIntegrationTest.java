package dev.mux.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mux.audit.AuditRecord;
import dev.mux.rules.Rule;
import dev.mux.rules.Upstream;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.BufferedSink;
import okio.BufferedSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server-sent events, bodies larger than the heap, WebSocket and many concurrent tunnels. */
class StreamingIntegrationTest {
    static final int EVENTS = 5;
    static final long HUNDRED_MB = 100L * 1024 * 1024;

    @TempDir
    Path dir;

    ProxyTestKit kit;
    RawTlsUpstream sse;
    RawTlsUpstream bulk;
    final List<CountDownLatch> received = new ArrayList<>();
    final AtomicBoolean eventSentTooEarly = new AtomicBoolean();
    final AtomicLong uploaded = new AtomicLong();

    @BeforeEach
    void start() throws Exception {
        for (int i = 0; i < EVENTS; i++) {
            received.add(new CountDownLatch(1));
        }
        sse = new RawTlsUpstream(ProxyTestKit.UPSTREAM_CA, (socket, head, in) -> {
            OutputStream out = socket.getOutputStream();
            out.write(RawTlsUpstream.ascii("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n"));
            for (int i = 0; i < EVENTS; i++) {
                String event = "data: event " + i + "\n\n";
                out.write(RawTlsUpstream.ascii(Integer.toHexString(event.length()) + "\r\n" + event + "\r\n"));
                out.flush();
                // the next event is sent only once the client has this one
                if (!received.get(i).await(10, TimeUnit.SECONDS)) {
                    eventSentTooEarly.set(true);
                }
            }
            out.write(RawTlsUpstream.ascii("0\r\n\r\n"));
            out.flush();
        });
        bulk = new RawTlsUpstream(ProxyTestKit.UPSTREAM_CA, (socket, head, in) -> {
            OutputStream out = socket.getOutputStream();
            if (head.startsWith("POST")) {
                long length = RawTlsUpstream.contentLength(head);
                byte[] buffer = new byte[65536];
                long total = 0;
                int n;
                while (total < length && (n = in.read(buffer)) > 0) {
                    total += n;
                }
                uploaded.set(total);
                String body = Long.toString(total);
                out.write(RawTlsUpstream.ascii("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body));
            } else {
                out.write(RawTlsUpstream.ascii("HTTP/1.1 200 OK\r\nContent-Length: " + HUNDRED_MB + "\r\n\r\n"));
                byte[] chunk = new byte[65536];
                for (long sent = 0; sent < HUNDRED_MB; sent += chunk.length) {
                    out.write(chunk);
                }
            }
            out.flush();
        });
        kit = new ProxyTestKit(dir, rules -> rules
                .addRule(Rule.builder("sse").host("sse.test").credential("TEST_TOKEN")
                        .upstream(new Upstream("localhost", sse.port())).build())
                .addRule(Rule.builder("bulk").host("bulk.test").credential("TEST_TOKEN")
                        .upstream(new Upstream("localhost", bulk.port())).build()),
                ProxyLimits.defaults());
    }

    @AfterEach
    void stop() throws Exception {
        kit.close();
        sse.close();
        bulk.close();
    }

    @Test
    void eachServerSentEventReachesTheClientBeforeTheUpstreamSendsTheNext() throws Exception {
        try (Response response = kit.alice().newCall(new Request.Builder().url("https://sse.test/v1/messages")
                .build()).execute()) {
            assertThat(response.header("Content-Type")).isEqualTo("text/event-stream");
            BufferedSource source = response.body().source();
            for (int i = 0; i < EVENTS; i++) {
                assertThat(source.readUtf8LineStrict()).isEqualTo("data: event " + i);
                assertThat(source.readUtf8LineStrict()).isEmpty();
                received.get(i).countDown();
            }
            assertThat(source.exhausted()).isTrue();
        }
        assertThat(eventSentTooEarly).isFalse();
        assertThat(kit.awaitAuditRecords(1)).singleElement()
                .satisfies(r -> assertThat(r.responseCode()).isEqualTo(200));
    }

    @Test
    void hundredMegabytesEachWayStreamWithBoundedMemory() throws Exception {
        AtomicLong peakDirect = new AtomicLong();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peakDirect.accumulateAndGet(PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory()
                        + PooledByteBufAllocator.DEFAULT.metric().usedHeapMemory(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        OkHttpClient client = kit.alice().newBuilder().readTimeout(Duration.ofSeconds(60))
                .writeTimeout(Duration.ofSeconds(60)).build();
        RequestBody upload = new RequestBody() {
            @Override
            public MediaType contentType() {
                return MediaType.get("application/octet-stream");
            }

            @Override
            public long contentLength() {
                return HUNDRED_MB;
            }

            @Override
            public void writeTo(BufferedSink sink) throws java.io.IOException {
                byte[] chunk = new byte[65536];
                for (long sent = 0; sent < HUNDRED_MB; sent += chunk.length) {
                    sink.write(chunk);
                }
            }
        };
        try (Response response = client.newCall(new Request.Builder().url("https://bulk.test/up").post(upload).build())
                .execute()) {
            assertThat(response.body().string()).isEqualTo(Long.toString(HUNDRED_MB));
        }
        long downloaded = 0;
        try (Response response = client.newCall(new Request.Builder().url("https://bulk.test/down").build())
                .execute()) {
            InputStream in = response.body().byteStream();
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) > 0) {
                downloaded += n;
            }
        }
        sampling.set(false);
        sampler.join();
        assertThat(uploaded.get()).isEqualTo(HUNDRED_MB);
        assertThat(downloaded).isEqualTo(HUNDRED_MB);
        // the proxy's buffers stay far below the body size: it streams, it does not collect
        assertThat(peakDirect.get()).isLessThan(32L * 1024 * 1024);
        List<AuditRecord> records = kit.awaitAuditRecords(2);
        assertThat(records).extracting(AuditRecord::bytesIn).containsExactly(HUNDRED_MB, 0L);
        assertThat(records).extracting(AuditRecord::bytesOut).containsExactly(9L, HUNDRED_MB);
    }

    @Test
    void aWebSocketUpgradePassesThrough() throws Exception {
        kit.upstream.enqueue(new MockResponse.Builder().webSocketUpgrade(new WebSocketListener() {
            @Override
            public void onMessage(WebSocket webSocket, String text) {
                webSocket.send("echo: " + text);
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                webSocket.close(code, reason);
            }
        }).build());
        BlockingQueue<String> messages = new ArrayBlockingQueue<>(10);
        WebSocket socket = kit.alice().newWebSocket(new Request.Builder().url("wss://api.test/ws").build(),
                new WebSocketListener() {
                    @Override
                    public void onMessage(WebSocket webSocket, String text) {
                        messages.add(text);
                    }

                    @Override
                    public void onClosed(WebSocket webSocket, int code, String reason) {
                        messages.add("closed " + code);
                    }

                    @Override
                    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                        messages.add("failure: " + t);
                    }
                });
        socket.send("one");
        socket.send("two");
        assertThat(messages.poll(10, TimeUnit.SECONDS)).isEqualTo("echo: one");
        assertThat(messages.poll(10, TimeUnit.SECONDS)).isEqualTo("echo: two");
        socket.close(1000, "done");
        assertThat(messages.poll(10, TimeUnit.SECONDS)).isEqualTo("closed 1000");
        RecordedRequest upgrade = kit.upstream.takeRequest(5, TimeUnit.SECONDS);
        assertThat(upgrade.getHeaders().get("Authorization")).isEqualTo("Bearer " + ProxyTestKit.SECRET);
        assertThat(kit.awaitAuditRecords(1)).singleElement()
                .satisfies(r -> assertThat(r.responseCode()).isEqualTo(101));
    }

    @Test
    void twoHundredConcurrentTunnelsAreAuditedWithTheRightSession() throws Exception {
        int tunnels = 200;
        CountDownLatch allArrived = new CountDownLatch(tunnels);
        kit.upstream.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                allArrived.countDown();
                // hold every response until all requests are in flight at once
                boolean together = allArrived.await(30, TimeUnit.SECONDS);
                return new MockResponse.Builder().body(request.getTarget() + (together ? "" : " (alone)")).build();
            }
        });
        okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher();
        dispatcher.setMaxRequests(tunnels);
        dispatcher.setMaxRequestsPerHost(tunnels);
        OkHttpClient alice = kit.alice().newBuilder().dispatcher(dispatcher).readTimeout(Duration.ofSeconds(60))
                .build();
        OkHttpClient bob = kit.client(ProxyTestKit.BOB, ProxyTestKit.BOB_PASSWORD).newBuilder()
                .dispatcher(dispatcher).readTimeout(Duration.ofSeconds(60)).build();
        Map<String, CompletableFuture<String>> bodies = new ConcurrentHashMap<>();
        for (int i = 0; i < tunnels; i++) {
            String user = i % 2 == 0 ? "alice" : "bob";
            String path = "/c/" + i + "/" + user;
            CompletableFuture<String> body = new CompletableFuture<>();
            bodies.put(path, body);
            (i % 2 == 0 ? alice : bob).newCall(new Request.Builder().url("https://api.test" + path).build())
                    .enqueue(new okhttp3.Callback() {
                        @Override
                        public void onFailure(okhttp3.Call call, java.io.IOException e) {
                            body.completeExceptionally(e);
                        }

                        @Override
                        public void onResponse(okhttp3.Call call, Response response) throws java.io.IOException {
                            try (response) {
                                body.complete(response.body().string());
                            }
                        }
                    });
        }
        for (Map.Entry<String, CompletableFuture<String>> entry : bodies.entrySet()) {
            assertThat(entry.getValue().get(60, TimeUnit.SECONDS)).isEqualTo(entry.getKey());
        }
        List<AuditRecord> records = kit.awaitAuditRecords(tunnels + tunnels); // 407 probes + requests
        List<AuditRecord> served = records.stream().filter(r -> r.responseCode() == 200).toList();
        assertThat(served).hasSize(tunnels);
        assertThat(served).extracting(AuditRecord::path).doesNotHaveDuplicates();
        assertThat(served).allSatisfy(r -> {
            String user = r.path().substring(r.path().lastIndexOf('/') + 1);
            assertThat(r.sessionId()).isEqualTo("session-" + user);
            assertThat(r.bytesOut()).isEqualTo(r.path().length());
        });
        assertThat(served).extracting(AuditRecord::correlationId).doesNotHaveDuplicates();
    }
}
