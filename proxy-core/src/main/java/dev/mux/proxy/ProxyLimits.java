package dev.mux.proxy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Limits that keep one client (slow, huge or malicious) from exhausting the proxy. Immutable; build
 * with {@link #builder()}; {@link #defaults()} suits a workstation running a few agents.
 */
public final class ProxyLimits {
    private final int maxInitialLineLength;
    private final int maxHeaderSize;
    private final int maxConnections;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final Duration requestHeaderTimeout;
    private final Duration responseTimeout;
    private final int maxIdleUpstreamConnectionsPerOrigin;

    private ProxyLimits(Builder b) {
        this.maxInitialLineLength = b.maxInitialLineLength;
        this.maxHeaderSize = b.maxHeaderSize;
        this.maxConnections = b.maxConnections;
        this.connectTimeout = b.connectTimeout;
        this.idleTimeout = b.idleTimeout;
        this.requestHeaderTimeout = b.requestHeaderTimeout;
        this.responseTimeout = b.responseTimeout;
        this.maxIdleUpstreamConnectionsPerOrigin = b.maxIdleUpstreamConnectionsPerOrigin;
    }

    /** The default limits (see each builder method). */
    public static ProxyLimits defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Longest request line or chunk-size line; longer gets 414/400. */
    public int maxInitialLineLength() {
        return maxInitialLineLength;
    }

    /** Largest request header section; larger gets 431. */
    public int maxHeaderSize() {
        return maxHeaderSize;
    }

    /** Most client connections open at once; more are closed on accept. */
    public int maxConnections() {
        return maxConnections;
    }

    /** How long to wait for an upstream TCP connection. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** A client connection with no traffic either way for this long is closed. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** A request must send its complete header section within this time (slowloris defence). */
    public Duration requestHeaderTimeout() {
        return requestHeaderTimeout;
    }

    /** Longest silence from an upstream while a response is awaited or streaming; then 504. */
    public Duration responseTimeout() {
        return responseTimeout;
    }

    /** Idle upstream connections kept per origin and event loop for reuse. */
    public int maxIdleUpstreamConnectionsPerOrigin() {
        return maxIdleUpstreamConnectionsPerOrigin;
    }

    @Override
    public String toString() {
        return "ProxyLimits{maxInitialLineLength=" + maxInitialLineLength + ", maxHeaderSize=" + maxHeaderSize
                + ", maxConnections=" + maxConnections + ", connectTimeout=" + connectTimeout
                + ", idleTimeout=" + idleTimeout + ", requestHeaderTimeout=" + requestHeaderTimeout
                + ", responseTimeout=" + responseTimeout + ", maxIdleUpstreamConnectionsPerOrigin="
                + maxIdleUpstreamConnectionsPerOrigin + '}';
    }

    /** Builds {@link ProxyLimits}. */
    public static final class Builder {
        private int maxInitialLineLength = 8192;
        private int maxHeaderSize = 16384;
        private int maxConnections = 4096;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Duration requestHeaderTimeout = Duration.ofSeconds(15);
        private Duration responseTimeout = Duration.ofMinutes(5);
        private int maxIdleUpstreamConnectionsPerOrigin = 32;

        private Builder() {}

        /** Default 8192 bytes. */
        public Builder maxInitialLineLength(int bytes) {
            this.maxInitialLineLength = positive("maxInitialLineLength", bytes);
            return this;
        }

        /** Default 16384 bytes. */
        public Builder maxHeaderSize(int bytes) {
            this.maxHeaderSize = positive("maxHeaderSize", bytes);
            return this;
        }

        /** Default 4096. */
        public Builder maxConnections(int connections) {
            this.maxConnections = positive("maxConnections", connections);
            return this;
        }

        /** Default 10 seconds. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /** Default 10 minutes: agents keep tunnels open between turns. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive("idleTimeout", timeout);
            return this;
        }

        /** Default 15 seconds. */
        public Builder requestHeaderTimeout(Duration timeout) {
            this.requestHeaderTimeout = positive("requestHeaderTimeout", timeout);
            return this;
        }

        /** Default 5 minutes: a model may think for a long time before its first byte. */
        public Builder responseTimeout(Duration timeout) {
            this.responseTimeout = positive("responseTimeout", timeout);
            return this;
        }

        /** Default 32. Zero disables upstream connection reuse. */
        public Builder maxIdleUpstreamConnectionsPerOrigin(int connections) {
            if (connections < 0) {
                throw new IllegalArgumentException(
                        "maxIdleUpstreamConnectionsPerOrigin: " + connections + " (expected: >= 0)");
            }
            this.maxIdleUpstreamConnectionsPerOrigin = connections;
            return this;
        }

        /** Builds the limits. */
        public ProxyLimits build() {
            return new ProxyLimits(this);
        }

        private static int positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }

        private static Duration positive(String name, Duration value) {
            requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }
    }
}
