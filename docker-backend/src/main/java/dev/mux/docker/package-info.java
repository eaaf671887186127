/**
 * Agent sessions as Docker containers that hold no real credential, wired to the mux proxy.
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link dev.mux.docker.DockerSessions} — configure once (proxy, CA, placeholders), then
 *       create, find and list sessions;</li>
 *   <li>{@link dev.mux.docker.SessionSpec} — what one session should be (name, workspace, mode,
 *       prompt, proxy credential);</li>
 *   <li>{@link dev.mux.docker.AgentSession} — start, stream, attach, logs, stop, delete, wait;</li>
 *   <li>{@link dev.mux.docker.SystemTrust} — the CA bundle sessions get (host CAs plus the proxy CA),
 *       for programs on the host too.</li>
 * </ul>
 * Everything not public here is an implementation detail.
 */
package dev.mux.docker;
