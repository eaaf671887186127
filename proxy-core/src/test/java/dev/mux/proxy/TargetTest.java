package dev.mux.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TargetTest {
    @Test
    void parsesHostAndPort() {
        assertThat(Target.parseAuthority("API.Example.com:8443", 443)).isEqualTo(new Target("api.example.com", 8443));
        assertThat(Target.parseAuthority("example.com", 443)).isEqualTo(new Target("example.com", 443));
        assertThat(Target.parseAuthority("[::1]:443", 443)).isEqualTo(new Target("::1", 443));
        assertThat(new Target("::1", 443).authority()).isEqualTo("[::1]:443");
    }

    @Test
    void rejectsMalformedAuthorities() {
        assertThat(Target.parseAuthority("", 443)).isNull();
        assertThat(Target.parseAuthority("host:", 443)).isNull();
        assertThat(Target.parseAuthority("host:99999", 443)).isNull();
        assertThat(Target.parseAuthority("host:0", 443)).isNull();
        assertThat(Target.parseAuthority("ho st:443", 443)).isNull();
        assertThat(Target.parseAuthority("user@host:443", 443)).isNull();
        assertThat(Target.parseAuthority("::1:443", 443)).isNull();
        assertThat(Target.parseAuthority("[::1", 443)).isNull();
    }

    @Test
    void matchesHostHeadersOfTheSameTargetOnly() {
        Target target = new Target("api.test", 443);
        assertThat(target.matchesHostHeader("api.test", 443)).isTrue();
        assertThat(target.matchesHostHeader("API.TEST:443", 443)).isTrue();
        assertThat(target.matchesHostHeader("api.test:8443", 443)).isFalse();
        assertThat(target.matchesHostHeader("evil.test", 443)).isFalse();
        assertThat(target.matchesHostHeader("api.test.evil.test", 443)).isFalse();
    }

    @Test
    void originFormOfRequestUris() {
        assertThat(InterceptHandler.originForm("/a?b")).isEqualTo("/a?b");
        assertThat(InterceptHandler.originForm("https://api.test/a/b?c=1")).isEqualTo("/a/b?c=1");
        assertThat(InterceptHandler.originForm("https://api.test")).isEqualTo("/");
        assertThat(InterceptHandler.originForm("http://api.test?q")).isEqualTo("/?q");
    }
}
