package dev.mux.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mux.audit.AuditRecord;
import dev.mux.rules.Rule;
import dev.mux.rules.SessionPolicy;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterceptionIntegrationTest {
    @TempDir
    Path dir;

    ProxyTestKit kit;

    @BeforeEach
    void start() throws Exception {
        kit = new ProxyTestKit(dir, rules -> rules
                .addRule(Rule.builder("missing").host("missing.test").credential("NOT_SET").build())
                .sessionPolicy("session-bob", SessionPolicy.builder().allowHosts("api.test").build()),
                ProxyLimits.defaults());
    }

    @AfterEach
    void stop() throws Exception {
        kit.close();
    }

    @Test
    void injectsTheRealCredentialAndStripsPlaceholders() throws Exception {
        kit.upstream.enqueue(new MockResponse.Builder().body("hello from upstream").build());
        Request request = new Request.Builder().url("https://api.test/v1/messages?beta=true")
                .header("Authorization", "Bearer " + ProxyTestKit.PLACEHOLDER)
                .header("x-api-key", ProxyTestKit.PLACEHOLDER)
                .build();
        try (Response response = kit.alice().newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().string()).isEqualTo("hello from upstream");
            assertThat(response.handshake().peerCertificates().get(0).toString()).contains("api.test");
        }
        RecordedRequest recorded = kit.upstream.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getHeaders().values("Authorization")).containsExactly("Bearer " + ProxyTestKit.SECRET);
        assertThat(recorded.getHeaders().get("x-api-key")).isNull();
        assertThat(recorded.getHeaders().get("Proxy-Authorization")).isNull();
        assertThat(recorded.getTarget()).isEqualTo("/v1/messages?beta=true");

        List<AuditRecord> records = kit.awaitAuditRecords(1);
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.sessionId()).isEqualTo("session-alice");
            assertThat(r.host()).isEqualTo("api.test");
            assertThat(r.port()).isEqualTo(443);
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.path()).isEqualTo("/v1/messages");
            assertThat(r.rule()).isEqualTo("api");
            assertThat(r.decision()).isEqualTo("inject");
            assertThat(r.authInjected()).isTrue();
            assertThat(r.responseCode()).isEqualTo(200);
            assertThat(r.bytesOut()).isEqualTo("hello from upstream".length());
            assertThat(r.correlationId()).isNotBlank();
        });
        assertThat(Files.readString(kit.auditFile)).doesNotContain(ProxyTestKit.SECRET);
    }

    @Test
    void injectsIntoTheConnectTargetItselfWithoutOverride() throws Exception {
        kit.upstream.enqueue(new MockResponse.Builder().body("direct").build());
        try (Response response = kit.alice().newCall(new Request.Builder()
                .url("https://localhost:" + kit.upstream.getPort() + "/x").build()).execute()) {
            assertThat(response.body().string()).isEqualTo("direct");
        }
        RecordedRequest recorded = kit.upstream.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getHeaders().get("X-Token")).isEqualTo(ProxyTestKit.SECRET);
    }

    @Test
    void servesManyRequestsPerTunnelAndReusesTheUpstreamConnection() throws Exception {
        OkHttpClient client = kit.alice();
        for (int i = 0; i < 5; i++) {
            kit.upstream.enqueue(new MockResponse.Builder().body("r" + i).build());
        }
        for (int i = 0; i < 5; i++) {
            try (Response response = client.newCall(new Request.Builder().url("https://api.test/n/" + i).build())
                    .execute()) {
                assertThat(response.body().string()).isEqualTo("r" + i);
            }
        }
        assertThat(client.connectionPool().connectionCount()).isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            assertThat(kit.upstream.takeRequest(5, TimeUnit.SECONDS).getConnectionIndex()).isZero();
        }
        // new tunnels reuse pooled upstream connections: at most one per event loop (2) is opened
        for (int i = 0; i < 6; i++) {
            kit.upstream.enqueue(new MockResponse.Builder().body("again").build());
            try (Response response = kit.alice().newCall(new Request.Builder().url("https://api.test/again").build())
                    .execute()) {
                assertThat(response.body().string()).isEqualTo("again");
            }
        }
        assertThat(kit.proxy.metrics()).containsPattern("mux_upstream_connections_opened_total [12]\\n");
        assertThat(kit.awaitAuditRecords(11)).hasSize(11);
    }

    @Test
    void postBodiesAreForwarded() throws Exception {
        kit.upstream.enqueue(new MockResponse.Builder().body("ok").build());
        Request request = new Request.Builder().url("https://api.test/upload")
                .post(okhttp3.RequestBody.create("payload-123", okhttp3.MediaType.get("text/plain")))
                .build();
        try (Response response = kit.alice().newCall(request).execute()) {
            assertThat(response.body().string()).isEqualTo("ok");
        }
        RecordedRequest recorded = kit.upstream.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getBody().utf8()).isEqualTo("payload-123");
        assertThat(kit.awaitAuditRecords(1).get(0).bytesIn()).isEqualTo(11);
    }

    @Test
    void missingOrWrongProxyCredentialsGet407AndTheClientMayRetryOnTheSameConnection() throws Exception {
        String target = "api.test:443";
        String noAuth = kit.raw("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n", "\r\n\r\n");
        assertThat(noAuth).startsWith("HTTP/1.1 407").containsIgnoringCase("Proxy-Authenticate: Basic realm=\"mux\"")
                .contains("X-Mux-Error: PROXY_AUTH_REQUIRED");
        String wrong = kit.raw("CONNECT " + target + " HTTP/1.1\r\nProxy-Authorization: "
                + ProxyTestKit.basic(ProxyTestKit.ALICE, "wrong") + "\r\n\r\n", "\r\n\r\n");
        assertThat(wrong).startsWith("HTTP/1.1 407");
        String retried = kit.raw("CONNECT " + target + " HTTP/1.1\r\n\r\n"
                + "CONNECT " + target + " HTTP/1.1\r\nProxy-Authorization: "
                + ProxyTestKit.basic(ProxyTestKit.ALICE, ProxyTestKit.ALICE_PASSWORD) + "\r\n\r\n",
                "Connection Established\r\n\r\n");
        assertThat(retried).startsWith("HTTP/1.1 407").contains("HTTP/1.1 200 Connection Established");
        assertThat(kit.upstream.getRequestCount()).isZero();
        assertThat(kit.awaitAuditRecords(3)).filteredOn(r -> r.responseCode() == 407).hasSize(3)
                .allSatisfy(r -> assertThat(r.error()).isEqualTo("PROXY_AUTH_REQUIRED"));
        assertThat(String.join("\n", noAuth, wrong)).doesNotContain("pw-alice");
    }

    @Test
    void okHttpWithoutProxyCredentialsFails() {
        OkHttpClient anonymous = kit.client(null, null);
        assertThatThrownBy(() -> anonymous.newCall(new Request.Builder().url("https://api.test/").build()).execute())
                .hasMessageContaining("authenticate with proxy");
    }

    @Test
    void aHostHeaderOtherThanTheConnectTargetIsRefusedAndNothingIsInjected() throws Exception {
        Request request = new Request.Builder().url("https://api.test/steal").header("Host", "evil.example").build();
        try (Response response = kit.alice().newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(403);
            assertThat(response.header("X-Mux-Error")).isEqualTo("HOST_MISMATCH");
            assertThat(response.body().string()).contains("api.test:443").doesNotContain(ProxyTestKit.SECRET);
        }
        assertThat(kit.upstream.getRequestCount()).isZero();
        assertThat(kit.awaitAuditRecords(1)).singleElement().satisfies(r -> {
            assertThat(r.decision()).isEqualTo("refuse");
            assertThat(r.error()).isEqualTo("HOST_MISMATCH");
            assertThat(r.authInjected()).isFalse();
        });
    }

    @Test
    void aHostThePolicyForbidsIsRefusedAtConnect() throws Exception {
        OkHttpClient bob = kit.client(ProxyTestKit.BOB, ProxyTestKit.BOB_PASSWORD);
        assertThatThrownBy(() -> bob.newCall(new Request.Builder().url("https://elsewhere.test/").build()).execute())
                .hasMessageContaining("403");
        String raw = kit.raw("CONNECT elsewhere.test:443 HTTP/1.1\r\nProxy-Authorization: "
                + ProxyTestKit.basic(ProxyTestKit.BOB, ProxyTestKit.BOB_PASSWORD) + "\r\n\r\n", null);
        assertThat(raw).startsWith("HTTP/1.1 403").contains("X-Mux-Error: HOST_NOT_ALLOWED").contains("elsewhere.test:443");
        assertThat(kit.awaitAuditRecords(2)).allSatisfy(r -> {
            assertThat(r.decision()).isEqualTo("refuse");
            assertThat(r.sessionId()).isEqualTo("session-bob");
            assertThat(r.error()).isEqualTo("HOST_NOT_ALLOWED");
        });
    }

    @Test
    void aMissingCredentialIsRefusedWithAClearMessage() throws Exception {
        try (Response response = kit.alice().newCall(new Request.Builder().url("https://missing.test/").build())
                .execute()) {
            assertThat(response.code()).isEqualTo(403);
            assertThat(response.header("X-Mux-Error")).isEqualTo("CREDENTIAL_MISSING");
            assertThat(response.body().string()).contains("NOT_SET").contains("missing.test");
        }
        assertThat(kit.awaitAuditRecords(1)).singleElement()
                .satisfies(r -> assertThat(r.error()).isEqualTo("CREDENTIAL_MISSING"));
    }

    @Test
    void theJdkHttpClientWorksThroughTheProxy() throws Exception {
        // the JDK refuses Basic proxy authentication for tunnels unless this is cleared
        System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
        kit.upstream.enqueue(new MockResponse.Builder().body("jdk").build());
        HttpClient jdk = HttpClient.newBuilder()
                .proxy(ProxySelector.of(kit.proxyAddress))
                .authenticator(new java.net.Authenticator() {
                    @Override
                    protected java.net.PasswordAuthentication getPasswordAuthentication() {
                        return new java.net.PasswordAuthentication(ProxyTestKit.ALICE,
                                ProxyTestKit.ALICE_PASSWORD.toCharArray());
                    }
                })
                .sslContext(dev.mux.ca.TlsMaterial.clientContextTrusting(kit.muxCa.certificate()))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        HttpResponse<String> response = jdk.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("https://api.test/jdk"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("jdk");
        assertThat(kit.upstream.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization"))
                .isEqualTo("Bearer " + ProxyTestKit.SECRET);
    }
}
