package dev.mux.docker;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A session as Docker describes it, read from its container's labels and state: what
 * {@code list} shows, and it survives restarts of the program because nothing else stores it.
 *
 * @param name the session name (the container is {@code mux-<name>})
 * @param containerId Docker's id of the container
 * @param status created, running, exited with a code, or missing
 * @param mode interactive or print
 * @param image the image it runs
 * @param workspace the host folder mounted at {@code /workspace}
 * @param created when the session was created
 */
public record SessionInfo(
    String name, String containerId, SessionStatus status, SessionMode mode, String image,
    Path workspace, Instant created) {}
