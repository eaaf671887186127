package dev.mux.audit;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One proxied request, as written to the audit file. Immutable.
 *
 * <p>It carries no header value, query string or body: {@link #path()} never holds a query
 * string or fragment (the constructor cuts them off), and {@link #error()} is a short code
 * such as {@code UPSTREAM_CONNECT_FAILED}, never a message. JSON field names are snake_case
 * ({@code session_id}, {@code auth_injected}, …); the JSON also carries {@code service}, equal
 * to {@code host}, for compatibility with the design document.
 *
 * <p>Nullable: {@code sessionId}, {@code client}, {@code method}, {@code host}, {@code path},
 * {@code rule}, {@code error}, {@code correlationId}. Zero means "none" for {@code port} and
 * {@code responseCode}.
 *
 * @param schemaVersion the record format version, {@link #CURRENT_SCHEMA_VERSION} for new records
 * @param timestamp when the request started, kept to the millisecond
 * @param sessionId the mux session that sent it, or {@code null} if not authenticated
 * @param client the client's address, e.g. {@code 172.17.0.2:51234}
 * @param method the HTTP method, or {@code CONNECT} for a tunnel-level decision
 * @param host the target host (also written as {@code service})
 * @param port the target port
 * @param path the request path, without query string or fragment
 * @param rule the name of the rule that decided, or {@code null}
 * @param authInjected whether a real credential was injected
 * @param decision {@code inject}, {@code pass}, {@code refuse} or {@code error} (see {@link AuditDecision})
 * @param responseCode the status code sent to the client
 * @param durationMs how long the request took
 * @param bytesIn bytes received from the client for this request
 * @param bytesOut bytes sent to the client for this request
 * @param error a short error code, or {@code null}
 * @param correlationId ties the record to the proxy's log lines for the same request
 */
public record AuditRecord(
        int schemaVersion,
        Instant timestamp,
        String sessionId,
        String client,
        String method,
        String host,
        int port,
        String path,
        String rule,
        boolean authInjected,
        String decision,
        int responseCode,
        long durationMs,
        long bytesIn,
        long bytesOut,
        String error,
        String correlationId) {

    /** The schema version this library writes. Readers accept older and newer versions. */
    public static final int CURRENT_SCHEMA_VERSION = 1;

    private static final Pattern ERROR_CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    /** Normalises the timestamp to milliseconds and cuts any query string or fragment off the path. */
    public AuditRecord {
        requireNonNull(timestamp, "timestamp");
        requireNonNull(decision, "decision");
        timestamp = timestamp.truncatedTo(ChronoUnit.MILLIS);
        path = withoutQuery(path);
    }

    /** Returns a builder for a record of the current schema version, timestamped now unless told otherwise. */
    public static Builder builder() {
        return new Builder();
    }

    /** The decision as an enum, or {@code null} if a newer writer used a value this version does not know. */
    public AuditDecision decisionType() {
        return AuditDecision.fromJson(decision);
    }

    /**
     * This record exactly as the audit file holds it: one compact JSON object in the field
     * order and formats described above, ending with {@code '\n'}.
     */
    public String toJsonLine() {
        return AuditJson.line(this);
    }

    /**
     * Reads one line of an audit file, with or without its line ending. Unknown fields are
     * ignored (newer writers); a line without {@code schema_version} is read as version 0.
     *
     * @throws IllegalArgumentException if the line is not a record (not JSON, a field missing or
     *         of the wrong type, or the writer's {@code dropped_records} marker); the message
     *         names the fault and never quotes the line
     */
    public static AuditRecord parseJsonLine(String line) {
        requireNonNull(line, "line");
        String json = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        json = json.endsWith("\r") ? json.substring(0, json.length() - 1) : json;
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        AuditJson.Line parsed;
        try {
            parsed = AuditJson.parse(bytes, 0, bytes.length);
        } catch (AuditJson.MalformedLineException e) {
            throw new IllegalArgumentException("audit line: " + e.getMessage());
        }
        if (parsed instanceof AuditJson.GapLine gap) {
            throw new IllegalArgumentException("audit line: a marker of " + gap.droppedRecords()
                    + " dropped records (expected: a record)");
        }
        return ((AuditJson.RecordLine) parsed).record();
    }

    static String withoutQuery(String path) {
        if (path == null) {
            return null;
        }
        int cut = path.length();
        int query = path.indexOf('?');
        int fragment = path.indexOf('#');
        if (query >= 0) {
            cut = query;
        }
        if (fragment >= 0 && fragment < cut) {
            cut = fragment;
        }
        return cut == path.length() ? path : path.substring(0, cut);
    }

    /**
     * Builds an {@link AuditRecord}. Only {@link #decision} is required; the timestamp defaults to
     * the moment {@link #build()} is called.
     */
    public static final class Builder {
        private Instant timestamp;
        private String sessionId;
        private String client;
        private String method;
        private String host;
        private int port;
        private String path;
        private String rule;
        private boolean authInjected;
        private String decision;
        private int responseCode;
        private long durationMs;
        private long bytesIn;
        private long bytesOut;
        private String error;
        private String correlationId;

        private Builder() {}

        /** When the request started (default: now). */
        public Builder timestamp(Instant timestamp) {
            this.timestamp = requireNonNull(timestamp, "timestamp");
            return this;
        }

        /** The mux session that sent the request, or {@code null} if it was not authenticated. */
        public Builder sessionId(String sessionId) {
            this.sessionId = sessionId;
            return this;
        }

        /** The client's address, e.g. {@code 172.17.0.2:51234}. */
        public Builder client(String client) {
            this.client = client;
            return this;
        }

        /** The HTTP method, or {@code CONNECT} for a tunnel decision. */
        public Builder method(String method) {
            this.method = method;
            return this;
        }

        /** The target host (the JSON also carries it as {@code service}). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The target port, 1–65535 (0: unknown). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
            }
            this.port = port;
            return this;
        }

        /** The request path; a query string or fragment is cut off here and never recorded. */
        public Builder path(String path) {
            this.path = withoutQuery(path);
            return this;
        }

        /** The rule that decided, or {@code null}. */
        public Builder rule(String rule) {
            this.rule = rule;
            return this;
        }

        /** Whether a real credential was injected. */
        public Builder authInjected(boolean authInjected) {
            this.authInjected = authInjected;
            return this;
        }

        /** The decision: {@code inject}, {@code pass}, {@code refuse} or {@code error} (any case). */
        public Builder decision(String decision) {
            requireNonNull(decision, "decision");
            AuditDecision known = AuditDecision.fromJson(decision.toLowerCase(Locale.ROOT));
            if (known == null) {
                throw new IllegalArgumentException(
                        "decision: \"" + decision + "\" (expected: inject, pass, refuse or error)");
            }
            return decision(known);
        }

        /** The decision. */
        public Builder decision(AuditDecision decision) {
            this.decision = requireNonNull(decision, "decision").json();
            return this;
        }

        /** The upstream's status code, or the proxy's own (403, 502, …); 0 if no response was sent. */
        public Builder responseCode(int responseCode) {
            if (responseCode < 0 || responseCode > 999) {
                throw new IllegalArgumentException("responseCode: " + responseCode + " (expected: 0-999)");
            }
            this.responseCode = responseCode;
            return this;
        }

        /** How long the request took, in milliseconds. */
        public Builder durationMs(long durationMs) {
            this.durationMs = nonNegative(durationMs, "durationMs");
            return this;
        }

        /** Bytes received from the client for this request. */
        public Builder bytesIn(long bytesIn) {
            this.bytesIn = nonNegative(bytesIn, "bytesIn");
            return this;
        }

        /** Bytes sent to the client for this request. */
        public Builder bytesOut(long bytesOut) {
            this.bytesOut = nonNegative(bytesOut, "bytesOut");
            return this;
        }

        /**
         * A short error code such as {@code UPSTREAM_CONNECT_FAILED}, or {@code null}.
         *
         * @throws IllegalArgumentException if it is not upper-case letters, digits and underscores
         *         (at most 64): a free-text message could carry a secret into the file
         */
        public Builder error(String error) {
            if (error != null && !ERROR_CODE.matcher(error).matches()) {
                // The value itself is not echoed: it might be a message holding a secret.
                throw new IllegalArgumentException(
                        "error: not a short code (expected: [A-Z][A-Z0-9_]{0,63}, e.g. UPSTREAM_CONNECT_FAILED)");
            }
            this.error = error;
            return this;
        }

        /** An id that ties this record to the proxy's log lines for the same request. */
        public Builder correlationId(String correlationId) {
            this.correlationId = correlationId;
            return this;
        }

        /**
         * Builds the record.
         *
         * @throws IllegalStateException if no decision was set
         */
        public AuditRecord build() {
            if (decision == null) {
                throw new IllegalStateException("decision: null (expected: inject, pass, refuse or error)");
            }
            return new AuditRecord(CURRENT_SCHEMA_VERSION, timestamp != null ? timestamp : Instant.now(),
                    sessionId, client, method, host, port, path, rule, authInjected, decision,
                    responseCode, durationMs, bytesIn, bytesOut, error, correlationId);
        }

        private static long nonNegative(long value, String name) {
            if (value < 0) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
            }
            return value;
        }
    }
}
