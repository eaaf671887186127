package dev.mux.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadTest {

  private static final Map<String, String> ENV = Map.of("CRED_A", "value-a", "CRED_B", "value-b");

  @TempDir Path home;

  private static String config(String variant) {
    return "presets = false\n[[rule]]\nname = \"corp\"\nhost = \"corp.example\"\ncredential = \"CRED_" + variant
        + "\"\nupstream = \"https://" + variant.toLowerCase() + ".example:44" + variant.charAt(0) % 10 + "\"\n"
        + "set-headers = { \"X-Variant\" = \"" + variant + "\" }\n";
  }

  /** Which variant a decision belongs to, or "mixed" when its parts come from different sets. */
  private static String variantOf(Decision d) {
    Decision.Inject inject = (Decision.Inject) d;
    String auth = inject.setHeaders().get(0).value();
    String marker = inject.setHeaders().get(1).value();
    String upstream = inject.upstream().orElseThrow().host();
    String a = auth.equals("Bearer value-a") ? "A" : auth.equals("Bearer value-b") ? "B" : "?";
    String u = upstream.startsWith("a.") ? "A" : upstream.startsWith("b.") ? "B" : "?";
    return a.equals(marker) && u.equals(marker) ? marker : "mixed";
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(10); // polling a condition, not synchronising on time
    }
  }

  @Test
  void readersSeeOneWholeSetWhileReloadsSwapIt() throws Exception {
    Path file = Files.writeString(home.resolve("rules.toml"), config("A"));
    CredentialRules rules = CredentialRules.builder().home(home).environment(ENV).configFile(file).build();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<String> lastSeen = new AtomicReference<>("");
    Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch started = new CountDownLatch(4);
    List<Thread> readers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(() -> {
        started.countDown();
        try {
          while (!stop.get()) {
            String variant = variantOf(rules.decide(TestHeaders.get("corp.example")));
            counts.computeIfAbsent(variant, k -> new AtomicLong()).incrementAndGet();
            lastSeen.set(variant);
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      t.start();
      readers.add(t);
    }
    started.await();

    for (int i = 0; i < 100; i++) {
      String variant = i % 2 == 0 ? "B" : "A";
      Files.writeString(file, config(variant));
      rules.reload();
      await("a reader to see " + variant, () -> lastSeen.get().equals(variant) || !failures.isEmpty());
    }
    stop.set(true);
    for (Thread t : readers) {
      t.join();
    }

    assertThat(failures).isEmpty();
    assertThat(counts).containsOnlyKeys("A", "B");
  }

  @Test
  void invalidFileKeepsThePreviousSetAndLogsTheError() throws Exception {
    Path file = Files.writeString(home.resolve("rules.toml"), config("A"));
    CredentialRules rules = CredentialRules.builder().home(home).environment(ENV).configFile(file).build();
    Files.writeString(file, config("B").replace("format", "x").replace("host = \"corp.example\"", "host = \"*\""));

    try (LogCapture logs = new LogCapture()) {
      assertThatThrownBy(rules::reload).isInstanceOf(ConfigException.class)
          .hasMessage(file + ": rule[1] (corp).host: host: \"*\" (expected: a host name like api.example.com, "
              + "or *.example.com)");
      assertThat(logs.lines()).anySatisfy(line -> assertThat(line).startsWith("ERROR").contains(file.toString())
          .endsWith("; keeping the previous credential rules"));
    }
    assertThat(variantOf(rules.decide(TestHeaders.get("corp.example")))).isEqualTo("A");
  }

  @Test
  void watcherReloadsOnConfigAndSecretChangesAndSurvivesInvalidFiles() throws Exception {
    Path file = Files.writeString(home.resolve("rules.toml"), config("A"));
    Path secrets = Files.createDirectory(home.resolve("secrets"));
    CredentialRules rules = CredentialRules.builder().home(home).environment(ENV).configFile(file).build();

    try (LogCapture logs = new LogCapture(); AutoCloseable watch = rules.watch()) {
      Files.writeString(file, config("B"));
      await("the B rules", () -> variantOf(rules.decide(TestHeaders.get("corp.example"))).equals("B"));

      Files.writeString(file, "[[rule]]\nname = \"corp\"\n");
      await("the error to be logged", () -> logs.all().contains("keeping the previous credential rules"));
      assertThat(variantOf(rules.decide(TestHeaders.get("corp.example")))).isEqualTo("B");

      // A rotated secret file: the variable CRED_C is unset, so the file is used.
      Files.writeString(file, config("B").replace("CRED_B", "CRED_C"));
      await("the missing credential", () -> rules.decide(TestHeaders.get("corp.example")) instanceof Decision.Refuse);
      Path secret = secrets.resolve("CRED_C");
      Files.writeString(secret, "rotated-1");
      Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
      await("the first secret", () -> injected(rules).equals("Bearer rotated-1"));
      Path next = secrets.resolve("CRED_C.tmp");
      Files.writeString(next, "rotated-2");
      Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-------"));
      Files.move(next, secret, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      await("the rotated secret", () -> injected(rules).equals("Bearer rotated-2"));
    }
  }

  private static String injected(CredentialRules rules) {
    return rules.decide(TestHeaders.get("corp.example")) instanceof Decision.Inject i
        ? i.setHeaders().get(0).value() : "";
  }
}
