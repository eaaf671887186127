package dev.mux.proxy.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One blocking HTTP/1.1-over-TLS connection, either straight to the origin or through the proxy
 * (CONNECT, then TLS with the proxy's leaf). Deliberately minimal so that the load program costs
 * as little CPU as possible.
 */
final class BenchClient implements Closeable {
    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] request1k;
    private final String host;

    private BenchClient(SSLSocket socket, String host) throws IOException {
        this.socket = socket;
        this.host = host;
        this.in = new BufferedInputStream(socket.getInputStream(), 32768);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 32768);
        this.request1k = request("GET", "/1k", -1);
    }

    /** Opens a connection: {@code proxy} null means direct to {@code origin}. */
    static BenchClient open(SSLContext tls, InetSocketAddress origin, InetSocketAddress proxy) throws IOException {
        Socket raw = new Socket();
        raw.setTcpNoDelay(true);
        String host;
        if (proxy == null) {
            raw.connect(origin);
            host = "localhost";
        } else {
            raw.connect(proxy);
            host = "bench.test";
            String auth = Base64.getEncoder().encodeToString("bench:bench".getBytes(StandardCharsets.US_ASCII));
            raw.getOutputStream().write(("CONNECT bench.test:443 HTTP/1.1\r\nHost: bench.test:443\r\n"
                    + "Proxy-Authorization: Basic " + auth + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = readConnectResponse(raw.getInputStream());
            if (!head.startsWith("HTTP/1.1 200")) {
                raw.close();
                throw new IOException("CONNECT failed: " + head.lines().findFirst().orElse(""));
            }
        }
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(raw, host,
                proxy == null ? origin.getPort() : 443, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return new BenchClient(socket, host);
    }

    private byte[] request(String method, String path, long contentLength) {
        return (method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer placeholder\r\n"
                + (contentLength >= 0 ? "Content-Length: " + contentLength + "\r\n" : "") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** When the TLS session was created: earlier than the connection means it was resumed. */
    long sessionCreated() {
        return socket.getSession().getCreationTime();
    }

    /** GET /1k; returns the body length. */
    long get1k() throws IOException {
        out.write(request1k);
        out.flush();
        return readBody(readHead(in));
    }

    /** GET /bulk?bytes=N; returns bytes received. */
    long download(long bytes) throws IOException {
        out.write(request("GET", "/bulk?bytes=" + bytes, -1));
        out.flush();
        return readBody(readHead(in));
    }

    /** POST /sink with N bytes; returns what the origin counted. */
    long upload(long bytes) throws IOException {
        out.write(request("POST", "/sink", bytes));
        byte[] block = new byte[65536];
        for (long sent = 0; sent < bytes; sent += block.length) {
            out.write(block, 0, (int) Math.min(block.length, bytes - sent));
        }
        out.flush();
        String head = readHead(in);
        long length = contentLength(head);
        byte[] body = in.readNBytes((int) length);
        return Long.parseLong(new String(body, StandardCharsets.US_ASCII));
    }

    /** GET /sse?n=N; records each event's delay (now minus the send time it carries) in nanoseconds. */
    void sse(int events, long[] delays) throws IOException {
        out.write(request("GET", "/sse?n=" + events, -1));
        out.flush();
        readHead(in);
        for (int i = 0; i < events; i++) {
            int size = Integer.parseInt(readLine(in), 16);
            byte[] chunk = in.readNBytes(size);
            long now = System.nanoTime();
            readLine(in);
            String event = new String(chunk, StandardCharsets.US_ASCII);
            long sent = Long.parseLong(event.substring(6, event.indexOf('\n')));
            delays[i] = now - sent;
        }
        readLine(in); // 0
        readLine(in); // end of trailers
    }

    private long readBody(String head) throws IOException {
        long length = contentLength(head);
        long skipped = 0;
        byte[] sink = new byte[65536];
        while (skipped < length) {
            int n = in.read(sink, 0, (int) Math.min(sink.length, length - skipped));
            if (n < 0) {
                throw new IOException("body ended after " + skipped + " of " + length);
            }
            skipped += n;
        }
        return skipped;
    }

    private static long contentLength(String head) throws IOException {
        if (!head.startsWith("HTTP/1.1 200")) {
            throw new IOException("unexpected answer: " + head.lines().findFirst().orElse("(none)"));
        }
        int at = head.toLowerCase(Locale.ROOT).indexOf("content-length:");
        return Long.parseLong(head.substring(at + 15, head.indexOf('\r', at)).trim());
    }

    /**
     * The proxy's answer to CONNECT, read in blocks as a real client's buffered reader would (one
     * read() per byte on the raw socket cost the load program ~40 system calls per tunnel). Safe:
     * the proxy sends nothing after its answer until the client's TLS hello.
     */
    private static String readConnectResponse(InputStream in) throws IOException {
        byte[] buffer = new byte[1024];
        int length = 0;
        while (length < buffer.length) {
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                break;
            }
            length += n;
            String head = new String(buffer, 0, length, StandardCharsets.US_ASCII);
            int end = head.indexOf("\r\n\r\n");
            if (end >= 0) {
                if (end + 4 != length) {
                    throw new IOException("bytes after the CONNECT answer: " + head);
                }
                return head;
            }
        }
        throw new IOException("no complete CONNECT answer in: " + new String(buffer, 0, length, StandardCharsets.US_ASCII));
    }

    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder(256);
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            int n = head.length();
            if (n >= 4 && head.charAt(n - 1) == '\n' && head.charAt(n - 2) == '\r' && head.charAt(n - 3) == '\n') {
                return head.toString();
            }
        }
        throw new IOException("connection closed after: " + head);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
