package dev.mux.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mux.audit.AuditRecord;
import dev.mux.rules.Rule;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blind tunnels, plain HTTP, health and metrics, and swapping rules at run time. */
class PolicyAndTunnelIntegrationTest {
    @TempDir
    Path dir;

    ProxyTestKit kit;
    MockWebServer plain = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        plain.start(InetAddress.getByName("127.0.0.1"), 0);
        kit = new ProxyTestKit(dir, rules -> rules.addRule(Rule.builder("plain").host("127.0.0.1")
                .port(plain.getPort()).credential("TEST_TOKEN").build()), ProxyLimits.defaults());
    }

    @AfterEach
    void stop() {
        kit.close();
        plain.close();
    }

    @Test
    void aHostWithoutRuleGetsABlindTunnelWithTheRealCertificate() throws Exception {
        kit.upstream.enqueue(new MockResponse.Builder().body("end to end").build());
        // "localhost:<port>" has the rule "direct"; the IP form has none. The upstream certificate names
        // localhost only, so host-name checks are relaxed on this client (its trust is still checked).
        String url = "https://127.0.0.1:" + kit.upstream.getPort() + "/blind";
        OkHttpClient ipClient = kit.alice().newBuilder().hostnameVerifier((host, session) -> true).build();
        try (Response response = ipClient.newCall(new Request.Builder().url(url)
                .header("Authorization", "Bearer " + ProxyTestKit.PLACEHOLDER).build()).execute()) {
            assertThat(response.body().string()).isEqualTo("end to end");
            X509Certificate peer = (X509Certificate) response.handshake().peerCertificates().get(0);
            assertThat(peer.getIssuerX500Principal()).isEqualTo(kit.upstreamCa.certificate().getSubjectX500Principal());
        }
        RecordedRequest recorded = kit.upstream.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer " + ProxyTestKit.PLACEHOLDER);
        assertThat(kit.proxy.metrics()).contains("mux_active_tunnels 1");
        ipClient.connectionPool().evictAll();
        List<AuditRecord> records = kit.awaitAuditRecords(1);
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("CONNECT");
            assertThat(r.decision()).isEqualTo("pass");
            assertThat(r.host()).isEqualTo("127.0.0.1");
            assertThat(r.authInjected()).isFalse();
            assertThat(r.bytesIn()).isPositive();
            assertThat(r.bytesOut()).isPositive();
        });
    }

    @Test
    void plainHttpIsForwardedButNeverGetsACredential() throws Exception {
        plain.enqueue(new MockResponse.Builder().body("plain ok").build());
        try (Response response = kit.alice().newCall(new Request.Builder()
                .url("http://127.0.0.1:" + plain.getPort() + "/p?q=1").build()).execute()) {
            assertThat(response.body().string()).isEqualTo("plain ok");
        }
        RecordedRequest recorded = plain.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getTarget()).isEqualTo("/p?q=1");
        assertThat(recorded.getHeaders().get("Authorization")).isNull();
        assertThat(recorded.getHeaders().get("Proxy-Authorization")).isNull();
        // OkHttp first tries without proxy credentials (407, audited), then with them
        assertThat(kit.awaitAuditRecords(2)).extracting(AuditRecord::responseCode).containsExactly(407, 200);
        assertThat(kit.auditRecords().get(1)).satisfies(r -> {
            assertThat(r.decision()).isEqualTo("pass");
            assertThat(r.authInjected()).isFalse();
            assertThat(r.path()).isEqualTo("/p");
        });
    }

    @Test
    void healthAndMetricsAnswerDirectLoopbackRequests() throws Exception {
        kit.upstream.enqueue(new MockResponse.Builder().body("x").build());
        try (Response response = kit.alice().newCall(new Request.Builder().url("https://api.test/m").build())
                .execute()) {
            response.body().string();
        }
        kit.awaitAuditRecords(1);
        OkHttpClient direct = new OkHttpClient();
        String base = "http://127.0.0.1:" + kit.proxyAddress.getPort();
        try (Response health = direct.newCall(new Request.Builder().url(base + "/_mux/health").build()).execute()) {
            assertThat(health.code()).isEqualTo(200);
            assertThat(health.body().string()).isEqualTo("ok\n");
        }
        try (Response metrics = direct.newCall(new Request.Builder().url(base + "/_mux/metrics").build()).execute()) {
            String text = metrics.body().string();
            assertThat(text).contains("mux_requests_total{host=\"api.test\",decision=\"inject\",status=\"200\"} 1")
                    .contains("mux_injections_total 1")
                    .contains("# TYPE mux_active_tunnels gauge")
                    .contains("mux_leaf_cache_hits_total")
                    .contains("mux_audit_records_dropped_total 0");
        }
        try (Response other = direct.newCall(new Request.Builder().url(base + "/elsewhere").build()).execute()) {
            assertThat(other.code()).isEqualTo(400);
            assertThat(other.header("X-Mux-Error")).isEqualTo("NOT_A_PROXY_REQUEST");
        }
    }

    @Test
    void swappingRulesAtRunTimeKeepsOpenTunnelsWorking() throws Exception {
        OkHttpClient client = kit.alice();
        kit.upstream.enqueue(new MockResponse.Builder().body("before").build());
        kit.upstream.enqueue(new MockResponse.Builder().body("after").build());
        try (Response response = client.newCall(new Request.Builder().url("https://api.test/1").build()).execute()) {
            assertThat(response.body().string()).isEqualTo("before");
        }
        kit.proxy.rules(dev.mux.rules.CredentialRules.builder().home(dir).presets(false)
                .environment(java.util.Map.of("TEST_TOKEN", "rotated-secret"))
                .addRule(Rule.builder("api").host("api.test").credential("TEST_TOKEN")
                        .upstream(new dev.mux.rules.Upstream("localhost", kit.upstream.getPort())).build())
                .build());
        try (Response response = client.newCall(new Request.Builder().url("https://api.test/2").build()).execute()) {
            assertThat(response.body().string()).isEqualTo("after");
        }
        assertThat(client.connectionPool().connectionCount()).isEqualTo(1);
        assertThat(kit.upstream.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization"))
                .isEqualTo("Bearer " + ProxyTestKit.SECRET);
        assertThat(kit.upstream.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization"))
                .isEqualTo("Bearer rotated-secret");
    }

    @Test
    void aPlaceholderSentToAnInspectedHostWithoutRuleIsRefusedBeforeAnyUpstream() throws Exception {
        kit.proxy.rules(dev.mux.rules.CredentialRules.builder().home(dir).presets(false)
                .environment(java.util.Map.of())
                .defaultPolicy(dev.mux.rules.SessionPolicy.builder().inspect("inspected.test").build())
                .build());

        try (Response response = kit.alice().newCall(new Request.Builder().url("https://inspected.test/simple")
                .header("Authorization", "Bearer " + dev.mux.rules.Placeholders.ANTHROPIC_OAUTH).build()).execute()) {
            assertThat(response.code()).isEqualTo(403);
            assertThat(response.header("X-Mux-Error")).isEqualTo("PLACEHOLDER_WITHOUT_RULE");
            assertThat(response.body().string()).contains("Authorization header carries a mux placeholder")
                    .contains("inspected.test");
        }
        assertThat(kit.awaitAuditRecords(1)).singleElement().satisfies(r -> {
            assertThat(r.decision()).isEqualTo("refuse");
            assertThat(r.error()).isEqualTo("PLACEHOLDER_WITHOUT_RULE");
        });
    }
}
