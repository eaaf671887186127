package dev.mux.proxy.bench;

import dev.mux.audit.AuditWriter;
import dev.mux.ca.CertificateAuthority;
import dev.mux.proxy.MuxProxy;
import dev.mux.proxy.ProxyAuthenticator;
import dev.mux.rules.CredentialRules;
import dev.mux.rules.Rule;
import dev.mux.rules.Upstream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

/**
 * The proxy under test, in its own JVM so that its CPU and RSS can be told apart from the load
 * program's. Arguments: state folder (CA files), upstream CA PEM, upstream port. Prints
 * {@code READY <port>} and runs until stdin closes.
 */
public final class BenchProxyMain {
    private BenchProxyMain() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int upstreamPort = Integer.parseInt(args[2]);
        CredentialRules rules = CredentialRules.builder()
                .home(home)
                .presets(false)
                .environment(Map.of("BENCH_TOKEN", "bench-real-token"))
                .addRule(Rule.builder("bench").host("bench.test").credential("BENCH_TOKEN").stripHeader("x-api-key")
                        .upstream(new Upstream("localhost", upstreamPort)).build())
                .build();
        try (AuditWriter audit = AuditWriter.builder(home.resolve("audit.jsonl")).build();
                MuxProxy proxy = MuxProxy.builder()
                        .bind(new InetSocketAddress("127.0.0.1", 0))
                        .certificateAuthority(CertificateAuthority.load(home))
                        .rules(rules)
                        .authenticator(ProxyAuthenticator.single("bench", "bench", "bench-session"))
                        .auditWriter(audit)
                        .upstreamTrust(Path.of(args[1]))
                        .build()) {
            InetSocketAddress bound = proxy.start().get(0);
            System.out.println("READY " + bound.getPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // run until the load program closes our stdin
            }
        }
    }
}
