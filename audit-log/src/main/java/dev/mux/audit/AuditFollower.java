package dev.mux.audit;

/**
 * A running {@link AuditReader#follow follow} of an audit file; {@link #close()} stops it.
 * (API stub; implementation follows.)
 */
public final class AuditFollower implements AutoCloseable {

    AuditFollower() {}

    /** Stops following and waits for the follower thread to end. */
    @Override
    public void close() {}
}
