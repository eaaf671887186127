package dev.mux.proxy;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** Counters rendered in the Prometheus text format on {@code GET /_mux/metrics}. */
final class ProxyMetrics {
    private record RequestKey(String host, String decision, int status) {}

    private final Map<RequestKey, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder injections = new LongAdder();
    private final LongAdder activeTunnels = new LongAdder();
    private final LongAdder activeConnections = new LongAdder();
    private final LongAdder upstreamConnectionsOpened = new LongAdder();
    private final LongAdder upstreamConnectionsReused = new LongAdder();
    private final LongSupplier leafCacheHits;
    private final LongSupplier auditDropped;

    ProxyMetrics(LongSupplier leafCacheHits, LongSupplier auditDropped) {
        this.leafCacheHits = leafCacheHits;
        this.auditDropped = auditDropped;
    }

    void request(String host, String decision, int status) {
        requests.computeIfAbsent(new RequestKey(host, decision, status), k -> new LongAdder()).increment();
    }

    void injected() {
        injections.increment();
    }

    void tunnelOpened() {
        activeTunnels.increment();
    }

    void tunnelClosed() {
        activeTunnels.decrement();
    }

    void connectionOpened() {
        activeConnections.increment();
    }

    void connectionClosed() {
        activeConnections.decrement();
    }

    void upstreamOpened() {
        upstreamConnectionsOpened.increment();
    }

    void upstreamReused() {
        upstreamConnectionsReused.increment();
    }

    long activeTunnels() {
        return activeTunnels.sum();
    }

    long upstreamConnectionsOpened() {
        return upstreamConnectionsOpened.sum();
    }

    String render() {
        StringBuilder out = new StringBuilder(1024);
        out.append("# HELP mux_requests_total Requests handled, by CONNECT host, decision and status.\n");
        out.append("# TYPE mux_requests_total counter\n");
        Map<String, Long> sorted = new TreeMap<>();
        requests.forEach((k, v) -> sorted.put("mux_requests_total{host=\"" + escape(k.host()) + "\",decision=\""
                + k.decision() + "\",status=\"" + k.status() + "\"}", v.sum()));
        sorted.forEach((k, v) -> out.append(k).append(' ').append(v).append('\n'));
        gauge(out, "mux_active_tunnels", "Open CONNECT tunnels (intercepted and blind).", activeTunnels.sum());
        gauge(out, "mux_active_connections", "Open client connections.", activeConnections.sum());
        counter(out, "mux_injections_total", "Requests that had a credential injected.", injections.sum());
        counter(out, "mux_upstream_connections_opened_total", "New upstream connections.",
                upstreamConnectionsOpened.sum());
        counter(out, "mux_upstream_connections_reused_total", "Requests sent on a pooled upstream connection.",
                upstreamConnectionsReused.sum());
        counter(out, "mux_leaf_cache_hits_total", "TLS leaf certificate cache hits.", leafCacheHits.getAsLong());
        counter(out, "mux_audit_records_dropped_total", "Audit records dropped because the queue was full.",
                auditDropped.getAsLong());
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(value).append('\n');
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
