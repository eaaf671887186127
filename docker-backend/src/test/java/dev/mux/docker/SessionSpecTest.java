package dev.mux.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionSpecTest {
  @ParameterizedTest
  @ValueSource(strings = {"a", "fix-login", "0", "-", "abc-123-xyz",
      "a23456789012345678901234567890123456789012345678901234567890123"})
  void acceptedNames(String name) {
    assertThat(SessionSpec.builder(name).workspace(Path.of("/tmp")).build().name()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Fix", "under_score", "dot.name", "space name", "slash/name", "émoji",
      "a234567890123456789012345678901234567890123456789012345678901234", "new\nline"})
  void refusedNames(String name) {
    assertThatThrownBy(() -> SessionSpec.builder(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("name: \"")
        .hasMessageEndingWith("\" (expected: 1-63 of a-z, 0-9 and '-')");
  }

  @Test
  void refusedNameIsPrintedWithoutControlCharacters() {
    assertThatThrownBy(() -> SessionSpec.builder("bad\nname"))
        .hasMessage("name: \"bad\\u000aname\" (expected: 1-63 of a-z, 0-9 and '-')");
  }

  @Test
  void workspaceIsRequired() {
    assertThatThrownBy(() -> SessionSpec.builder("x").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("workspace: not set (expected: the host folder to mount at /workspace)");
  }

  @Test
  void printModeNeedsAPrompt() {
    assertThatThrownBy(() -> SessionSpec.builder("x").workspace(Path.of("/tmp")).mode(SessionMode.PRINT).build())
        .hasMessage("prompt: not set (expected: a prompt in print mode)");
  }

  @Test
  void promptWithNulIsRefused() {
    assertThatThrownBy(() -> SessionSpec.builder("x").prompt("a\0b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("prompt: contains a NUL character (expected: text without NUL)");
  }

  @Test
  void environmentNamesWithEqualsAreRefused() {
    assertThatThrownBy(() -> SessionSpec.builder("x").env("A=B", "c"))
        .hasMessage("env: \"A=B\" (expected: a name without '=')");
  }

  @Test
  void toStringHidesTheCredentialAndEnvironmentValues() {
    SessionSpec spec = SessionSpec.builder("x").workspace(Path.of("/tmp"))
        .proxyCredential("secret-credential-value").env("SOME_TOKEN", "secret-env-value").build();
    assertThat(spec.toString())
        .contains("SOME_TOKEN", "proxyCredential=****")
        .doesNotContain("secret-credential-value", "secret-env-value");
  }
}
