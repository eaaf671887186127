package dev.mux.audit;

import java.time.Instant;
import java.util.Locale;

/**
 * Which records an {@link AuditReader} returns. Every criterion is optional ({@code null} matches
 * everything); host and decision compare case-insensitively; {@code since} is inclusive and
 * {@code until} exclusive.
 *
 * @param session the session id, or {@code null}
 * @param host the target host, or {@code null}
 * @param decision {@code inject}, {@code pass}, {@code refuse} or {@code error}, or {@code null}
 * @param since the earliest timestamp (inclusive), or {@code null}
 * @param until the first timestamp no longer wanted (exclusive), or {@code null}
 */
public record AuditFilter(String session, String host, String decision, Instant since, Instant until) {

    private static final AuditFilter ALL = new AuditFilter(null, null, null, null, null);

    /** Checks that {@code since} is not after {@code until}. */
    public AuditFilter {
        if (since != null && until != null && since.isAfter(until)) {
            throw new IllegalArgumentException("since: " + since + " (expected: not after until " + until + ")");
        }
    }

    /** A filter that matches every record. */
    public static AuditFilter all() {
        return ALL;
    }

    /** Returns a builder; unset criteria match everything. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the record passes every criterion set. */
    public boolean matches(AuditRecord record) {
        return (session == null || session.equals(record.sessionId()))
                && (host == null || host.equalsIgnoreCase(record.host()))
                && (decision == null || decision.equalsIgnoreCase(record.decision()))
                && (since == null || !record.timestamp().isBefore(since))
                && (until == null || record.timestamp().isBefore(until));
    }

    /** Builds an {@link AuditFilter}. */
    public static final class Builder {
        private String session;
        private String host;
        private String decision;
        private Instant since;
        private Instant until;

        private Builder() {}

        /** Only records of this session. */
        public Builder session(String session) {
            this.session = session;
            return this;
        }

        /** Only records for this host (case-insensitive). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Only records with this decision (case-insensitive). */
        public Builder decision(String decision) {
            this.decision = decision == null ? null : decision.toLowerCase(Locale.ROOT);
            return this;
        }

        /** Only records with this decision. */
        public Builder decision(AuditDecision decision) {
            this.decision = decision == null ? null : decision.json();
            return this;
        }

        /** Only records at or after this instant. */
        public Builder since(Instant since) {
            this.since = since;
            return this;
        }

        /** Only records before this instant. */
        public Builder until(Instant until) {
            this.until = until;
            return this;
        }

        /** Builds the filter. */
        public AuditFilter build() {
            return new AuditFilter(session, host, decision, since, until);
        }
    }
}
