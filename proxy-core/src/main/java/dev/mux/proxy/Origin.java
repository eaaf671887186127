package dev.mux.proxy;

/** Where requests are actually sent: host, port, and whether over TLS. The key of the upstream pool. */
record Origin(String host, int port, boolean tls) {
    String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
