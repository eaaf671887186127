package dev.mux.rules;

import dev.mux.rules.testing.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every text this module produces (logs at all levels, exception messages and traces, toString,
 * JSON) while handling secrets from every source must not contain a secret value.
 */
class NoSecretLeakTest {

  private static final String OAUTH = TestTokens.oauth("leak");
  private static final List<String> SECRETS = List.of("LEAK-ENV-1111", "LEAK-FILE-2222", "LEAK-CMD-3333",
      OAUTH, "LEAK-OPEN-FILE-5555", "LEAK-FAILING-CMD-6666", "LEAK-SLOW-CMD-7777");

  @TempDir Path home;

  @Test
  void noSecretInLogsExceptionsToStringOrJson() throws Exception {
    Path secrets = Files.createDirectory(home.resolve("secrets"));
    Path file = Files.writeString(secrets.resolve("NPM_TOKEN"), "LEAK-FILE-2222\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Path open = Files.writeString(secrets.resolve("SENTRY_AUTH_TOKEN"), "LEAK-OPEN-FILE-5555");
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
    Path config = Files.writeString(home.resolve("rules.toml"), """
        [credential.DOCKER_TOKEN]
        command = ["/bin/sh", "-c", "echo LEAK-CMD-3333"]
        [credential.PAGERDUTY_TOKEN]
        command = ["/bin/sh", "-c", "echo LEAK-FAILING-CMD-6666; echo LEAK-FAILING-CMD-6666 >&2; exit 1"]
        timeout = "5s"
        [credential.OPENAI_API_KEY]
        command = ["/bin/sh", "-c", "echo LEAK-SLOW-CMD-7777; sleep 20"]
        timeout = "300ms"
        [preset.sentry]
        enabled = true
        [preset.pagerduty]
        enabled = true
        """);
    List<String> texts = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();

    try (LogCapture logs = new LogCapture()) {
      CredentialRules rules = CredentialRules.builder().home(home).configFile(config)
          .environment(Map.of("GITHUB_TOKEN", "LEAK-ENV-1111", "CLAUDE_CODE_OAUTH_TOKEN", OAUTH))
          .build();
      rules.reload();
      try (AutoCloseable watch = rules.watch()) {
        for (String host : List.of("api.anthropic.com", "api.openai.com", "api.github.com", "github.com",
            "registry.npmjs.org", "registry-1.docker.io", "auth.docker.io", "sentry.io", "api.pagerduty.com")) {
          texts.add(rules.onConnect("s", host, 443).toString());
          Decision d = rules.decide(TestHeaders.request("s", host, 443, "POST",
              TestHeaders.of("Authorization", "Bearer mux-proxy", "anthropic-beta", "x")));
          texts.add(d.toString());
          texts.add(json.writeValueAsString(d instanceof Decision.Inject i ? i.setHeaders() : List.of()));
        }
        // Make sure the injections really carry the values (so the checks below are not vacuous).
        assertThat(rules.decide(TestHeaders.get("registry-1.docker.io"))).isInstanceOfSatisfying(Decision.Inject.class,
            i -> assertThat(i.setHeaders().get(0).value()).isEqualTo("Bearer LEAK-CMD-3333"));
        assertThat(rules.decide(TestHeaders.get("registry.npmjs.org"))).isInstanceOfSatisfying(Decision.Inject.class,
            i -> assertThat(i.setHeaders().get(0).value()).isEqualTo("Bearer LEAK-FILE-2222"));
        for (RuleStatus status : rules.describe()) {
          texts.add(status.toString());
        }
        texts.add(rules.placeholderEnvironment().toString());

        Files.writeString(config, "[[rule]]\nname = \"broken\"\nhost = 3\n");
        texts.add(message(() -> rules.reload()));
      }
      texts.add(Secret.of("LEAK-ENV-1111").toString());
      texts.add(json.writeValueAsString(Secret.of("LEAK-ENV-1111")));
      texts.add(json.writeValueAsString(Map.of("s", Secret.of("LEAK-ENV-1111"))));
      texts.add(new HeaderValue("Authorization", "Bearer LEAK-ENV-1111").toString());
      texts.add(message(() -> Secret.of("   ")));
      texts.add(String.valueOf(new CredentialSources(Map.of(), secrets, Map.of()).lookup(List.of("SENTRY_AUTH_TOKEN"))));
      texts.addAll(logs.lines());
      assertThat(logs.all()).contains("is readable by group or others", "exited with 1", "timed out after PT0.3S",
          "keeping the previous credential rules");
    }

    String everything = String.join("\n", texts);
    assertThat(everything).contains("****");
    for (String secret : SECRETS) {
      assertThat(everything).as("output must not contain %s", secret).doesNotContain(secret);
    }
  }

  @Test
  void secretIsMaskedButRevealable() {
    Secret secret = Secret.of("  value-1  ");

    assertThat(secret.reveal()).isEqualTo("value-1");
    assertThat(secret).hasToString("****").isEqualTo(Secret.of("value-1"));
    assertThatThrownBy(() -> Secret.of(" \n")).hasMessage("secret: empty (expected: a non-blank value)");
  }

  /** The message and full stack trace of what {@code action} throws. */
  private static String message(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      return trace.toString();
    }
    throw new AssertionError("expected an exception");
  }
}
