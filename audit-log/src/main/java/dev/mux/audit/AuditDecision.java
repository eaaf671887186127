package dev.mux.audit;

/** What the proxy did with a request; written to JSON in lower case ({@code "inject"}). */
public enum AuditDecision {
    /** A real credential was injected and the request forwarded. */
    INJECT,
    /** Forwarded without injecting anything. */
    PASS,
    /** Refused by a rule (the client got an error response from the proxy). */
    REFUSE,
    /** Failed inside the proxy or upstream (see the record's {@code error} code). */
    ERROR;

    private final String json = name().toLowerCase(java.util.Locale.ROOT);

    /** The JSON value, e.g. {@code "inject"}. */
    public String json() {
        return json;
    }

    /** The decision for a JSON value, or {@code null} if this version does not know it. */
    static AuditDecision fromJson(String value) {
        for (AuditDecision d : values()) {
            if (d.json.equals(value)) {
                return d;
            }
        }
        return null;
    }
}
