package dev.mux.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mux.rules.RuleStatus;
import java.util.List;
import java.util.Locale;

/**
 * One line of {@code mux rules list}: a rule, whether its credential is present and where it was
 * found — never the value. The daemon announces its own rows in {@code daemon.json}, so the list
 * can show what the daemon sees rather than what the calling shell would.
 */
record RuleRow(
    @JsonProperty("name") String name,
    @JsonProperty("host") String host,
    @JsonProperty("port") int port,
    @JsonProperty("credential") String credential,
    @JsonProperty("present") boolean present,
    @JsonProperty("source") String source,
    @JsonProperty("active") boolean active,
    @JsonProperty("preset") boolean preset,
    @JsonProperty("note") String note) {

  static RuleRow of(RuleStatus rule) {
    String note = rule.problem()
        .orElse(rule.upstream().map(u -> "upstream " + u.host() + ":" + u.port()).orElse(""));
    return new RuleRow(rule.name(), rule.host(), rule.port(), rule.credential(), rule.present(),
        rule.source().name().toLowerCase(Locale.ROOT), rule.active(), rule.preset(), note);
  }

  static List<RuleRow> of(List<RuleStatus> rules) {
    return rules.stream().map(RuleRow::of).toList();
  }
}
