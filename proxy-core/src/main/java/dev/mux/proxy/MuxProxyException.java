package dev.mux.proxy;

/**
 * A failure of the proxy, naming the session (when known), the target {@code host:port} and the
 * reason. Messages never contain a credential.
 */
public final class MuxProxyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String sessionId;
    private final String target;
    private final String reason;

    MuxProxyException(String sessionId, String target, String reason, Throwable cause) {
        super(message(sessionId, target, reason), cause);
        this.sessionId = sessionId;
        this.target = target;
        this.reason = reason;
    }

    private static String message(String sessionId, String target, String reason) {
        return "session " + (sessionId == null ? "(none)" : sessionId) + ", target " + target + ": " + reason;
    }

    /** The session id, or null when the failure happened before authentication. */
    public String sessionId() {
        return sessionId;
    }

    /** The {@code host:port} the failure concerns (for a bind failure: the local address). */
    public String target() {
        return target;
    }

    /** What failed and what to do, in one line. */
    public String reason() {
        return reason;
    }
}
