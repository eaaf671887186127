package dev.mux.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mux.audit.AuditRecord;
import dev.mux.ca.CertificateAuthority;
import dev.mux.ca.TlsMaterial;
import dev.mux.rules.CredentialRules;
import dev.mux.rules.Rule;
import dev.mux.rules.Upstream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each upstream failure: a clear 502/504 with X-Mux-Error when nothing was sent yet, else a close; always audited. */
class UpstreamErrorsIntegrationTest {
    @TempDir
    Path dir;

    ProxyTestKit kit;
    MockWebServer untrusted;
    MockWebServer wrongName;
    int closedPort;
    RawTlsUpstream flaky;
    final java.util.concurrent.atomic.AtomicInteger flakyConnections = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        CertificateAuthority strangerCa = CertificateAuthority.builder().commonName("stranger CA").build();
        untrusted = new MockWebServer();
        untrusted.useHttps(TlsMaterial.serverContext(strangerCa.leafIssuer().build().issue("localhost"))
                .getSocketFactory());
        untrusted.start();
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        // answers the first request of each connection, then closes on the next one without answering
        flaky = new RawTlsUpstream(ProxyTestKit.UPSTREAM_CA, (socket, head, in) -> {
            int connection = flakyConnections.incrementAndGet();
            String body = "connection " + connection;
            socket.getOutputStream().write(RawTlsUpstream.ascii("HTTP/1.1 200 OK\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body));
            socket.getOutputStream().flush();
            RawTlsUpstream.readHead(in);
        });
        kit = new ProxyTestKit(dir, this::errorRules, ProxyLimits.builder().responseTimeout(Duration.ofSeconds(1))
                .connectTimeout(Duration.ofSeconds(2)).build());
        wrongName = new MockWebServer();
        wrongName.useHttps(TlsMaterial.serverContext(kit.upstreamCa.leafIssuer().build().issue("other.example"))
                .getSocketFactory());
        wrongName.start(java.net.InetAddress.getByName("127.0.0.1"), wrongNamePort);
    }

    private int wrongNamePort;

    private void errorRules(CredentialRules.Builder rules) {
        try (ServerSocket socket = new ServerSocket(0)) {
            wrongNamePort = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        rules.addRule(rule("dns", "dns.test", new Upstream("no-such-host.invalid", 443)))
                .addRule(rule("refused", "refused.test", new Upstream("localhost", closedPort)))
                .addRule(rule("untrusted", "untrusted.test", new Upstream("localhost", untrusted.getPort())))
                .addRule(rule("wrongname", "wrongname.test", new Upstream("localhost", wrongNamePort)))
                .addRule(rule("flaky", "flaky.test", new Upstream("localhost", flaky.port())));
    }

    private static Rule rule(String name, String host, Upstream upstream) {
        return Rule.builder(name).host(host).credential("TEST_TOKEN").upstream(upstream).build();
    }

    @AfterEach
    void stop() {
        kit.close();
        untrusted.close();
        wrongName.close();
        try {
            flaky.close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Response get(String url) throws IOException {
        return kit.alice().newCall(new Request.Builder().url(url).build()).execute();
    }

    private void assertAnswer(String url, int status, String kind, String mentions) throws Exception {
        assertAnswer(url, status, kind, mentions, false);
    }

    /** {@code sent}: the request (with its credential) reached the verified upstream before the failure. */
    private void assertAnswer(String url, int status, String kind, String mentions, boolean sent) throws Exception {
        try (Response response = get(url)) {
            assertThat(response.code()).isEqualTo(status);
            assertThat(response.header("X-Mux-Error")).isEqualTo(kind);
            String body = response.body().string();
            assertThat(body).contains(mentions).doesNotContain(ProxyTestKit.SECRET);
            assertThat(body.strip().lines()).hasSize(1);
        }
        List<AuditRecord> records = kit.awaitAuditRecords(1);
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.decision()).isEqualTo("error");
            assertThat(r.error()).isEqualTo(kind);
            assertThat(r.responseCode()).isEqualTo(status);
            assertThat(r.authInjected()).isEqualTo(sent);
        });
    }

    @Test
    void dnsFailure() throws Exception {
        assertAnswer("https://dns.test/", 502, "UPSTREAM_DNS_FAILURE", "no-such-host.invalid:443");
    }

    @Test
    void connectionRefused() throws Exception {
        assertAnswer("https://refused.test/", 502, "UPSTREAM_CONNECT_REFUSED", "localhost:" + closedPort);
    }

    @Test
    void untrustedUpstreamCertificate() throws Exception {
        assertAnswer("https://untrusted.test/", 502, "UPSTREAM_TLS_FAILURE", "upstreamTrust");
        assertThat(untrusted.getRequestCount()).isZero();
    }

    @Test
    void upstreamCertificateForAnotherHostName() throws Exception {
        assertAnswer("https://wrongname.test/", 502, "UPSTREAM_TLS_FAILURE", "localhost:" + wrongNamePort);
        assertThat(wrongName.getRequestCount()).isZero();
    }

    @Test
    void upstreamTimeout() throws Exception {
        kit.upstream.enqueue(new MockResponse.Builder().headersDelay(5, TimeUnit.SECONDS).body("late").build());
        assertAnswer("https://api.test/slow", 504, "UPSTREAM_TIMEOUT", "api.test:443 via localhost:", true);
    }

    @Test
    void upstreamClosesBeforeAnswering() throws Exception {
        kit.upstream.enqueue(new MockResponse.Builder()
                .onResponseStart(new SocketEffect.CloseSocket(true, false, false)).build());
        assertAnswer("https://api.test/reset", 502, "UPSTREAM_RESET", "api.test:443 via localhost:", true);
    }

    @Test
    void upstreamResetMidStreamClosesTheClientConnection() throws Exception {
        kit.upstream.enqueue(new MockResponse.Builder().body("x".repeat(1 << 20))
                .onResponseBody(new SocketEffect.CloseSocket(true, false, false)).build());
        assertThatThrownBy(() -> {
            try (Response response = get("https://api.test/midstream")) {
                assertThat(response.code()).isEqualTo(200);
                response.body().string();
            }
        }).isInstanceOf(IOException.class);
        List<AuditRecord> records = kit.awaitAuditRecords(1);
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.responseCode()).isEqualTo(200);
            assertThat(r.error()).isEqualTo("UPSTREAM_RESET");
            assertThat(r.decision()).isEqualTo("error");
        });
        assertThat(Files.readString(kit.auditFile)).doesNotContain(ProxyTestKit.SECRET);
    }

    @Test
    void aPooledConnectionTheUpstreamClosedIsRetriedOnceForASafeRequest() throws Exception {
        okhttp3.OkHttpClient client = kit.alice();
        try (Response first = client.newCall(new Request.Builder().url("https://flaky.test/1").build()).execute()) {
            assertThat(first.body().string()).isEqualTo("connection 1");
        }
        // reuses the pooled connection, which the upstream closes: sent again on a new connection
        try (Response second = client.newCall(new Request.Builder().url("https://flaky.test/2").build()).execute()) {
            assertThat(second.code()).isEqualTo(200);
            assertThat(second.body().string()).isEqualTo("connection 2");
        }
        // a POST is not repeated: the client learns that the upstream reset
        try (Response post = client.newCall(new Request.Builder().url("https://flaky.test/3")
                .post(okhttp3.RequestBody.create(new byte[0])).build()).execute()) {
            assertThat(post.code()).isEqualTo(502);
            assertThat(post.header("X-Mux-Error")).isEqualTo("UPSTREAM_RESET");
        }
        assertThat(kit.awaitAuditRecords(3)).extracting(AuditRecord::responseCode).containsExactly(200, 200, 502);
    }
}
