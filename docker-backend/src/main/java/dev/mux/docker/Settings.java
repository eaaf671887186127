package dev.mux.docker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Everything {@link DockerSessions.Builder} collected, shared by all sessions. */
record Settings(
    String image,
    AgentCommand agent,
    String proxyHost,
    int proxyPort,
    Path caCertificate,
    Map<String, String> placeholderEnvironment,
    Path sessionsDirectory,
    Path claudeJsonTemplate,
    Path systemCertificates,
    String user,
    Map<String, String> labels,
    List<Path> neverExpose,
    Duration stopTimeout) {}
