package dev.mux.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mux.cli.ClientCredentials.ProxyCredential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientCredentialsTest {
  @TempDir Path home;

  @Test
  void issuedCredentialIdentifiesItsName() {
    ClientCredentials credentials = ClientCredentials.open(StateFolder.at(home));
    ProxyCredential credential = credentials.issue("test-session");

    assertThat(credential.name()).isEqualTo("test-session");
    assertThat(credentials.verify("test-session", credential.password())).contains("test-session");
  }

  @Test
  void credentialIsBoundToItsName() {
    ClientCredentials credentials = ClientCredentials.open(StateFolder.at(home));
    ProxyCredential credential = credentials.issue("alice");

    assertThat(credentials.verify("bob", credential.password())).isEmpty();
  }

  @Test
  void tamperedCredentialIsRefused() {
    ClientCredentials credentials = ClientCredentials.open(StateFolder.at(home));
    String password = credentials.issue("alice").password();
    String[] parts = password.split("\\.");
    String laterIssue = String.join(".", parts[0], Long.toString(Long.parseLong(parts[1]) + 1), parts[2], parts[3]);

    assertThat(credentials.verify("alice", laterIssue)).isEmpty();
    assertThat(credentials.verify("alice", password + "x")).isEmpty();
    assertThat(credentials.verify("alice", "")).isEmpty();
    assertThat(credentials.verify("alice", "mux1.1.2")).isEmpty();
  }

  @Test
  void credentialFromAnotherKeyIsRefused(@TempDir Path otherHome) {
    String foreign = ClientCredentials.open(StateFolder.at(otherHome)).issue("alice").password();

    assertThat(ClientCredentials.open(StateFolder.at(home)).verify("alice", foreign)).isEmpty();
  }

  @Test
  void credentialSurvivesReopening() {
    String password = ClientCredentials.open(StateFolder.at(home)).issue("alice").password();

    assertThat(ClientCredentials.open(StateFolder.at(home)).verify("alice", password)).contains("alice");
  }

  @Test
  void revokingRefusesEarlierCredentialsButNotLaterOnes() {
    ClientCredentials daemonSide = ClientCredentials.open(StateFolder.at(home));
    ClientCredentials cliSide = ClientCredentials.open(StateFolder.at(home));
    String before = cliSide.issue("alice").password();
    String otherName = cliSide.issue("bob").password();
    assertThat(daemonSide.verify("alice", before)).contains("alice");

    cliSide.revoke("alice");
    String after = cliSide.issue("alice").password();

    assertThat(daemonSide.verify("alice", before)).isEmpty();
    assertThat(daemonSide.verify("alice", after)).contains("alice");
    assertThat(daemonSide.verify("bob", otherName)).contains("bob");
  }

  @Test
  void credentialIssuedInTheSameMillisecondAsARevocationStillWorks() {
    Clock frozen = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    ClientCredentials credentials = ClientCredentials.open(StateFolder.at(home), frozen);
    String before = credentials.issue("alice").password();
    credentials.revoke("alice");
    String after = credentials.issue("alice").password();

    assertThat(credentials.verify("alice", before)).isEmpty();
    assertThat(credentials.verify("alice", after)).contains("alice");
  }

  @Test
  void keyFileIsOwnerOnly() throws Exception {
    ClientCredentials.open(StateFolder.at(home));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("client-credentials.key"))))
        .isEqualTo("rw-------");
  }

  @Test
  void toStringHidesThePassword() {
    ProxyCredential credential = ClientCredentials.open(StateFolder.at(home)).issue("alice");

    assertThat(credential.toString()).contains("alice").doesNotContain(credential.password());
  }

  @Test
  void proxyUrlCarriesNameAndPassword() {
    ProxyCredential credential = new ProxyCredential("alice", "mux1.1.n.m");

    assertThat(credential.proxyUrl("127.0.0.1", 18080)).isEqualTo("http://alice:mux1.1.n.m@127.0.0.1:18080");
    assertThat(credential.proxyUrl("::1", 18080)).isEqualTo("http://alice:mux1.1.n.m@[::1]:18080");
  }

  @Test
  void namesMustBeUrlSafe() {
    assertThatThrownBy(() -> ClientCredentials.checkName("a:b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name: \"a:b\" (expected: 1-63 of A-Z a-z 0-9 . _ -, starting with a letter or digit)");
    assertThatThrownBy(() -> ClientCredentials.checkName("")).isInstanceOf(IllegalArgumentException.class);
  }
}
