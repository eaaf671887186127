/**
 * The audit log: an append-only JSON-lines record of every request the proxy handled.
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link dev.mux.audit.AuditRecord} — one request; built with {@link dev.mux.audit.AuditRecord#builder()}.</li>
 *   <li>{@link dev.mux.audit.AuditWriter} — appends records without blocking the caller; rotates the file.</li>
 *   <li>{@link dev.mux.audit.AuditReader} — reads and filters records, and follows the file like {@code tail -F}
 *       ({@link dev.mux.audit.AuditFollower}).</li>
 * </ul>
 *
 * <p>Records never hold a header value, query string or body.
 */
package dev.mux.audit;
