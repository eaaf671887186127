package dev.mux.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Request headers for tests: name/value pairs, looked up case-insensitively. */
final class TestHeaders implements RequestHeaders {

  private final List<String[]> pairs = new ArrayList<>();

  static TestHeaders of(String... nameValues) {
    TestHeaders h = new TestHeaders();
    for (int i = 0; i < nameValues.length; i += 2) {
      h.pairs.add(new String[] {nameValues[i], nameValues[i + 1]});
    }
    return h;
  }

  @Override
  public List<String> all(String name) {
    List<String> out = new ArrayList<>();
    for (String[] p : pairs) {
      if (p[0].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        out.add(p[1]);
      }
    }
    return out;
  }

  static RequestContext get(String host) {
    return request("s1", host, 443, "GET", TestHeaders.of());
  }

  static RequestContext request(String session, String host, int port, String method, RequestHeaders headers) {
    return new RequestContext(session, host, port, method, "/", headers);
  }
}
