package dev.mux.proxy;

import dev.mux.ca.CertificateAuthority;
import dev.mux.ca.TlsMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLServerSocket;

/**
 * A TLS upstream on 127.0.0.1 whose handler writes raw HTTP/1.1 by hand, for tests that need
 * exact control of timing (server-sent events) or volume (bodies larger than the heap).
 */
final class RawTlsUpstream implements AutoCloseable {
    /** Serves one connection. */
    @FunctionalInterface
    interface Handler {
        void serve(Socket socket, String requestHead, InputStream in) throws Exception;
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    RawTlsUpstream(CertificateAuthority ca, Handler handler) throws IOException {
        server = TlsMaterial.serverContext(ca.leafIssuer().build().issue("localhost")).getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        ((SSLServerSocket) server).setEnabledProtocols(new String[] {"TLSv1.3"});
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    threads.execute(() -> {
                        try (socket) {
                            InputStream in = socket.getInputStream();
                            handler.serve(socket, readHead(in), in);
                        } catch (Exception e) {
                            // the test sees the failure on the client side
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while (head.indexOf("\r\n\r\n") < 0 && (c = in.read()) >= 0) {
            head.append((char) c);
        }
        return head.toString();
    }

    static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring(15).trim());
            }
        }
        return 0;
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
