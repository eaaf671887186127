package dev.mux.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mux.ca.TlsMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request smuggling, oversized headers, slow clients and the connection limit. */
class LimitsIntegrationTest {
    @TempDir
    Path dir;

    ProxyTestKit kit;

    @BeforeEach
    void start() throws Exception {
        kit = new ProxyTestKit(dir, rules -> {}, ProxyLimits.builder()
                .maxHeaderSize(4096)
                .maxInitialLineLength(1024)
                .requestHeaderTimeout(Duration.ofMillis(500))
                .maxConnections(8)
                .build());
    }

    @AfterEach
    void stop() {
        kit.close();
    }

    /** A TLS connection to {@code api.test} through an authenticated CONNECT. */
    private SSLSocket tunnel() throws IOException {
        return tunnel(TlsMaterial.clientContextTrusting(kit.muxCa.certificate()));
    }

    private SSLSocket tunnel(javax.net.ssl.SSLContext tlsContext) throws IOException {
        Socket socket = new Socket(kit.proxyAddress.getAddress(), kit.proxyAddress.getPort());
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("CONNECT api.test:443 HTTP/1.1\r\nProxy-Authorization: "
                + ProxyTestKit.basic(ProxyTestKit.ALICE, ProxyTestKit.ALICE_PASSWORD) + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        String established = readHead(socket.getInputStream());
        assertThat(established).startsWith("HTTP/1.1 200");
        SSLSocket tls = (SSLSocket) tlsContext.getSocketFactory().createSocket(socket, "api.test", 443, true);
        tls.startHandshake();
        return tls;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while (head.indexOf("\r\n\r\n") < 0 && (c = in.read()) >= 0) {
            head.append((char) c);
        }
        return head.toString();
    }

    private String sendInTunnel(String request) throws IOException {
        try (SSLSocket tls = tunnel()) {
            tls.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            tls.getOutputStream().flush();
            return ProxyTestKit.readUntil(tls.getInputStream(), null);
        }
    }

    @Test
    void bothContentLengthAndTransferEncodingAreRefused() throws Exception {
        String answer = sendInTunnel("POST /x HTTP/1.1\r\nHost: api.test\r\nContent-Length: 5\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(kit.upstream.getRequestCount()).isZero();
        assertThat(kit.awaitAuditRecords(1)).singleElement()
                .satisfies(r -> assertThat(r.authInjected()).isFalse());
    }

    @Test
    void anInvalidContentLengthIsRefused() throws Exception {
        String answer = sendInTunnel("POST /x HTTP/1.1\r\nHost: api.test\r\nContent-Length: 5x\r\n\r\nhello");
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(kit.upstream.getRequestCount()).isZero();
    }

    @Test
    void duplicateContentLengthsAreRefused() throws Exception {
        String answer = sendInTunnel("POST /x HTTP/1.1\r\nHost: api.test\r\nContent-Length: 5\r\n"
                + "Content-Length: 6\r\n\r\nhello!");
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(kit.upstream.getRequestCount()).isZero();
    }

    @Test
    void obsoleteLineFoldingIsRefused() throws Exception {
        String answer = sendInTunnel("GET /x HTTP/1.1\r\nHost: api.test\r\nX-Folded: a\r\n b\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400").contains("X-Mux-Error: REQUEST_SMUGGLING");
        String connect = kit.raw("CONNECT api.test:443 HTTP/1.1\r\nX-Folded: a\r\n\tb\r\n\r\n", null);
        assertThat(connect).startsWith("HTTP/1.1 400").contains("X-Mux-Error: REQUEST_SMUGGLING");
        assertThat(kit.upstream.getRequestCount()).isZero();
    }

    @Test
    void oversizedHeadersGet431() throws Exception {
        String answer = sendInTunnel("GET /x HTTP/1.1\r\nHost: api.test\r\nX-Big: " + "a".repeat(8000) + "\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 431").contains("X-Mux-Error: HEADER_TOO_LARGE");
        String connect = kit.raw("CONNECT api.test:443 HTTP/1.1\r\nX-Big: " + "a".repeat(8000) + "\r\n\r\n", null);
        assertThat(connect).startsWith("HTTP/1.1 431");
        assertThat(kit.upstream.getRequestCount()).isZero();
    }

    @Test
    void anOverlongRequestLineGets414() throws Exception {
        String answer = sendInTunnel("GET /" + "a".repeat(2000) + " HTTP/1.1\r\nHost: api.test\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 414");
    }

    @Test
    void aSlowClientIsCutOffAfterTheHeaderTimeout() throws Exception {
        try (Socket socket = new Socket(kit.proxyAddress.getAddress(), kit.proxyAddress.getPort())) {
            socket.setSoTimeout(100);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            String slow = "CONNECT api.test:443 HTTP/1.1\r\nX-Slow: " + "a".repeat(200);
            boolean closed = false;
            for (int i = 0; i < slow.length() && !closed; i++) {
                try {
                    out.write(slow.charAt(i));
                    out.flush();
                    closed = in.read() < 0;
                } catch (SocketTimeoutException stillOpen) {
                    // the proxy is still waiting
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertThat(closed).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosed() throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                open.add(new Socket(kit.proxyAddress.getAddress(), kit.proxyAddress.getPort()));
            }
            try (Socket extra = new Socket(kit.proxyAddress.getAddress(), kit.proxyAddress.getPort())) {
                extra.setSoTimeout(5000);
                assertThat(extra.getInputStream().read()).isEqualTo(-1);
            }
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }

    @Test
    void aNewTunnelResumesTheTlsSessionOfAnEarlierOne() throws Exception {
        kit.upstream.enqueue(new mockwebserver3.MockResponse.Builder().body("x").build());
        javax.net.ssl.SSLContext client = TlsMaterial.clientContextTrusting(kit.muxCa.certificate());
        long firstCreated;
        try (SSLSocket first = tunnel(client)) {
            firstCreated = first.getSession().getCreationTime();
            first.getOutputStream().write("GET / HTTP/1.1\r\nHost: api.test\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            first.getInputStream().read(); // TLS 1.3 tickets arrive after the handshake
        }
        try (SSLSocket second = tunnel(client)) {
            assertThat(second.getSession().getCreationTime()).isEqualTo(firstCreated);
        }
    }
}
