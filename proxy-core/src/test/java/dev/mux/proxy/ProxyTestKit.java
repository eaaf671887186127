package dev.mux.proxy;

import dev.mux.audit.AuditReader;
import dev.mux.audit.AuditRecord;
import dev.mux.audit.AuditWriter;
import dev.mux.ca.CertificateAuthority;
import dev.mux.ca.TlsMaterial;
import dev.mux.rules.CredentialFormat;
import dev.mux.rules.CredentialRules;
import dev.mux.rules.Rule;
import dev.mux.rules.Upstream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import mockwebserver3.MockWebServer;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * A running proxy with a TLS MockWebServer upstream, real certificates and a real audit file.
 * Rule {@code api} sends {@code api.test} to the upstream (overriding the origin) with
 * {@code Authorization: Bearer SECRET}; rule {@code direct} injects {@code X-Token: SECRET} for
 * {@code localhost:<upstream port>} itself.
 */
final class ProxyTestKit implements AutoCloseable {
    static final String SECRET = "real-secret-7f3a9c1e";
    static final String PLACEHOLDER = "sk-placeholder-abc";
    static final String ALICE = "alice";
    static final String ALICE_PASSWORD = "pw-alice";
    static final String BOB = "bob";
    static final String BOB_PASSWORD = "pw-bob";

    final CertificateAuthority muxCa = CertificateAuthority.builder().commonName("mux test CA").build();
    /** Signs every test upstream's certificate; the proxy trusts it besides the JVM store. */
    static final CertificateAuthority UPSTREAM_CA =
            CertificateAuthority.builder().commonName("upstream test CA").build();

    final CertificateAuthority upstreamCa = UPSTREAM_CA;
    final MockWebServer upstream = new MockWebServer();
    final Path auditFile;
    final AuditWriter audit;
    final CredentialRules rules;
    final MuxProxy proxy;
    final InetSocketAddress proxyAddress;
    private final List<AutoCloseable> extras = new ArrayList<>();

    ProxyTestKit(Path dir) throws IOException {
        this(dir, r -> {}, ProxyLimits.defaults());
    }

    ProxyTestKit(Path dir, Consumer<CredentialRules.Builder> moreRules, ProxyLimits limits) throws IOException {
        upstream.useHttps(TlsMaterial.serverContext(upstreamCa.leafIssuer().build().issue("localhost"))
                .getSocketFactory());
        upstream.setProtocols(List.of(Protocol.HTTP_1_1));
        upstream.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
        auditFile = dir.resolve("audit.jsonl");
        audit = AuditWriter.builder(auditFile).flushInterval(Duration.ofMillis(20)).build();
        CredentialRules.Builder rulesBuilder = CredentialRules.builder()
                .home(dir)
                .environment(Map.of("TEST_TOKEN", SECRET))
                .presets(false)
                .addRule(Rule.builder("api").host("api.test").credential("TEST_TOKEN")
                        .format(CredentialFormat.bearer()).stripHeader("x-api-key")
                        .upstream(new Upstream("localhost", upstream.getPort())).build())
                .addRule(Rule.builder("direct").host("localhost").port(upstream.getPort()).credential("TEST_TOKEN")
                        .header("X-Token").format(CredentialFormat.raw()).build());
        moreRules.accept(rulesBuilder);
        rules = rulesBuilder.build();
        proxy = MuxProxy.builder()
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .certificateAuthority(muxCa)
                .rules(rules)
                .authenticator((user, password) -> {
                    if (user.equals(ALICE) && password.equals(ALICE_PASSWORD)) {
                        return Optional.of("session-alice");
                    }
                    if (user.equals(BOB) && password.equals(BOB_PASSWORD)) {
                        return Optional.of("session-bob");
                    }
                    return Optional.empty();
                })
                .auditWriter(audit)
                .upstreamTrust(upstreamCa.certificate())
                .limits(limits)
                .eventLoopThreads(2)
                .build();
        proxyAddress = proxy.start().get(0);
    }

    /** A client trusting the mux CA (and the upstream CA, for blind tunnels), with proxy credentials. */
    OkHttpClient client(String user, String password) {
        X509TrustManager trust = TlsMaterial.trustManagerFor(muxCa.certificate(), upstreamCa.certificate());
        return clientBuilder(user, password, trust).build();
    }

    OkHttpClient.Builder clientBuilder(String user, String password, X509TrustManager trust) {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {trust}, null);
            OkHttpClient.Builder builder = new OkHttpClient.Builder()
                    .proxy(new Proxy(Proxy.Type.HTTP, proxyAddress))
                    .sslSocketFactory(tls.getSocketFactory(), trust)
                    .protocols(List.of(Protocol.HTTP_1_1))
                    .readTimeout(Duration.ofSeconds(30));
            if (user != null) {
                builder.proxyAuthenticator((route, response) -> response.request().header("Proxy-Authorization") != null
                        ? null
                        : response.request().newBuilder()
                                .header("Proxy-Authorization", Credentials.basic(user, password)).build());
            }
            return builder;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    OkHttpClient alice() {
        return client(ALICE, ALICE_PASSWORD);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Sends raw bytes to the proxy and returns everything read until the proxy closes or {@code until} appears. */
    String raw(String request, String until) throws IOException {
        try (Socket socket = new Socket(proxyAddress.getAddress(), proxyAddress.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return readUntil(socket.getInputStream(), until);
        }
    }

    static String readUntil(InputStream in, String until) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[8192];
        int n;
        while ((until == null || text.indexOf(until) < 0) && (n = in.read(buffer)) > 0) {
            text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
        return text.toString();
    }

    /** Every audit record written so far (flushes first). */
    List<AuditRecord> auditRecords() {
        audit.flush();
        return AuditReader.open(auditFile).readAll();
    }

    /** Polls until {@code count} audit records exist (records are written when an exchange ends). */
    List<AuditRecord> awaitAuditRecords(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<AuditRecord> records = auditRecords();
        while (records.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
            records = auditRecords();
        }
        return records;
    }

    void closeLater(AutoCloseable closeable) {
        extras.add(closeable);
    }

    /** Every log line of the test run so far (slf4j-simple writes them to this file). */
    static String logText() {
        try {
            Path log = Path.of("target/proxy-core-tests.log");
            return java.nio.file.Files.exists(log) ? java.nio.file.Files.readString(log) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        proxy.close();
        audit.close();
        upstream.close();
        // no secret, placeholder value or proxy password in any log line, ever
        org.assertj.core.api.Assertions.assertThat(logText()).doesNotContain(SECRET)
                .doesNotContain(ALICE_PASSWORD).doesNotContain(BOB_PASSWORD).doesNotContain("rotated-secret");
        for (AutoCloseable extra : extras) {
            try {
                extra.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
