/**
 * The proxy's certificate authority: create or load a CA, issue a leaf certificate per host on
 * demand, and turn both into TLS material.
 *
 * <p>Starting points:
 *
 * <ul>
 *   <li>{@link dev.mux.ca.CertificateAuthority} — a CA certificate plus its key; create, save,
 *       load.
 *   <li>{@link dev.mux.ca.LeafIssuer} — signs and caches one leaf per host.
 *   <li>{@link dev.mux.ca.IssuedCertificate} — a leaf, its key and its chain.
 *   <li>{@link dev.mux.ca.TlsMaterial} — key managers (by SNI), trust managers and
 *       {@code SSLContext}s.
 * </ul>
 */
package dev.mux.ca;
