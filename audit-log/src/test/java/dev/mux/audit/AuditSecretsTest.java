package dev.mux.audit;

import dev.mux.rules.testing.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A request carrying secrets in every place a secret can travel leaves no trace of them in the audit file. */
class AuditSecretsTest {

    private static final String TOKEN = TestTokens.oauth("audit");
    private static final String QUERY_KEY = "ghp_QUERYSECRET123";
    private static final String BODY = "{\"password\":\"BODYSECRET\"}";

    @TempDir
    Path dir;

    @Test
    void recordBuiltFromASecretCarryingRequestHoldsNoTraceOfIt() throws Exception {
        URI uri = URI.create("https://api.github.com/repos/o/r/contents?access_token=" + QUERY_KEY + "#" + TOKEN);
        Map<String, List<String>> headers = Map.of(
                "Authorization", List.of("Bearer " + TOKEN),
                "x-api-key", List.of(TOKEN),
                "Cookie", List.of("session=" + QUERY_KEY));
        Path file = dir.resolve("audit.jsonl");

        AuditRecord record;
        try (AuditWriter writer = AuditWriter.builder(file).build()) {
            // What a proxy handler has at hand: the request line, the headers, the body size.
            record = AuditRecord.builder()
                    .sessionId("s1").client("172.17.0.2:40000").method("GET")
                    .host(uri.getHost()).port(443).path(uri.getRawPath() + "?" + uri.getRawQuery() + "#" + uri.getRawFragment())
                    .rule("github-api").authInjected(headers.containsKey("Authorization")).decision("inject")
                    .responseCode(200).durationMs(12).bytesIn(BODY.length()).bytesOut(10).correlationId("c1")
                    .build();
            writer.write(record);
        }

        String written = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(written).contains("\"path\":\"/repos/o/r/contents\"");
        for (String secret : List.of(TOKEN, QUERY_KEY, "BODYSECRET", "access_token", "REALTOKEN")) {
            assertThat(written).doesNotContain(secret);
            assertThat(record.toString()).doesNotContain(secret);
        }
    }
}
