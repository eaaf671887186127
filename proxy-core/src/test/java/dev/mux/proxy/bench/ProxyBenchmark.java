package dev.mux.proxy.bench;

import dev.mux.ca.CertificateAuthority;
import dev.mux.ca.TlsMaterial;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;

/**
 * The load program behind BENCHMARKS.md (not a unit test). Runs an origin server (TLS) in this
 * JVM and the mux proxy in a child JVM doing real interception and injection, then measures the
 * same workloads direct and through the proxy, side by side:
 * keep-alive requests/s on 16 connections (1 KiB answers), new tunnels/s (CONNECT + TLS + one
 * request each), SSE per-event delay p50/p99, bulk MB/s each way, and the proxy's RSS per idle
 * intercepted tunnel.
 *
 * <p>Run: {@code mvn -B -q -pl proxy-core -am -Pbench verify} (see BENCHMARKS.md). System
 * properties: {@code bench.seconds} (per measurement, default 10), {@code bench.rounds} (alternating
 * direct / through-mux pairs per workload, default 3; the median ratio is reported), {@code bench.warmupSeconds} (keep-alive
 * and new tunnels through the proxy before measuring, default 15), {@code bench.bulkMb} (default
 * 512), {@code bench.idleTunnels} (default 1000), {@code bench.proxyJvmArgs}.
 */
public final class ProxyBenchmark {
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    private static final long BULK = Long.getLong("bench.bulkMb", 512) * 1024 * 1024;
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmupSeconds", 15);
    private static final long BULK_WARMUP = 256L << 20;
    private static final int BULK_WARMUP_TRANSFERS = 2;
    private static final int IDLE_TUNNELS = Integer.getInteger("bench.idleTunnels", 1000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int TUNNEL_THREADS = Integer.getInteger("bench.tunnelThreads", 8);
    private static final boolean SHARED_SESSION_CACHE = Boolean.getBoolean("bench.sharedSessionCache");

    /** A new client TLS context (own session cache) trusting the mux CA and the origin's CA. */
    private static java.util.function.Supplier<SSLContext> agentTls;

    private ProxyBenchmark() {}

    public static void main(String[] args) {
        int status = 0;
        try {
            benchmark();
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status); // also ends load threads stuck on a failed connection
    }

    private static void benchmark() throws Exception {
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        Path home = Files.createTempDirectory("mux-bench");
        CertificateAuthority muxCa = CertificateAuthority.loadOrCreate(home);
        CertificateAuthority originCa = CertificateAuthority.builder().commonName("bench origin CA").build();
        Path originCaPem = home.resolve("origin-ca.pem");
        Files.writeString(originCaPem, originCa.certificatePem());
        SSLContext tls = TlsMaterial.clientContextTrusting(muxCa.certificate(), originCa.certificate());
        agentTls = () -> TlsMaterial.clientContextTrusting(muxCa.certificate(), originCa.certificate());
        try (BenchUpstream origin = new BenchUpstream(originCa.leafIssuer().build().issue("localhost"), 1)) {
            InetSocketAddress originAddress = new InetSocketAddress("127.0.0.1", origin.port());
            ProxyProcess proxy = ProxyProcess.start(home, originCaPem, origin.port());
            try {
                run(tls, originAddress, proxy.address, proxy.process.pid());
            } finally {
                proxy.close();
            }
            if (!"all".equals(System.getProperty("bench.only", "all"))) {
                return;
            }
            // idle tunnels are measured in a fresh proxy, so that heap grown by the load above does not hide them
            ProxyProcess fresh = ProxyProcess.start(home, originCaPem, origin.port());
            try {
                double kib = idleTunnelRss(tls, originAddress, fresh.address, fresh.process.pid());
                System.out.printf(Locale.ROOT, "| proxy RSS per idle intercepted tunnel (%d tunnels, fresh proxy) "
                        + "| | %.1f KiB | |%n", IDLE_TUNNELS, kib);
            } finally {
                fresh.close();
            }
        }
    }

    /** The proxy under test, in a child JVM. */
    private record ProxyProcess(Process process, InetSocketAddress address) implements AutoCloseable {
        static ProxyProcess start(Path home, Path originCaPem, int originPort) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString()));
            command.addAll(List.of("-Dorg.slf4j.simpleLogger.logFile=System.err",
                    "-Dorg.slf4j.simpleLogger.log.dev.mux=info"));
            command.addAll(Arrays.asList(System.getProperty("bench.proxyJvmArgs", "-Xmx512m").split(" ")));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchProxyMain.class.getName(),
                    home.toString(), originCaPem.toString(), Integer.toString(originPort)));
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader ready = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.US_ASCII));
            String line = ready.readLine();
            while (line != null && !line.startsWith("READY ")) {
                line = ready.readLine(); // e.g. JVM messages when profiling
            }
            if (line == null) {
                process.destroy();
                throw new IllegalStateException("proxy did not start");
            }
            return new ProxyProcess(process, new InetSocketAddress("127.0.0.1", Integer.parseInt(line.substring(6))));
        }

        @Override
        public void close() throws IOException {
            process.getOutputStream().close();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroy();
        }
    }

    /** The proxy process, whose CPU each measurement reports next to the load program's. */
    private static long proxyPid;

    /** A measurement that returns its figure (requests/s, tunnels/s, MB/s). */
    private interface Measurement {
        double run() throws Exception;
    }

    /** One measurement's figure and the cores each process used meanwhile. */
    private record Sample(double value, double loadCores, double proxyCores) {}

    private static Sample sample(Measurement measurement) throws Exception {
        ProcessCpu load = ProcessCpu.start(ProcessHandle.current().pid());
        ProcessCpu proxy = ProcessCpu.start(proxyPid);
        double value = measurement.run();
        return new Sample(value, load.cores(), proxy.cores());
    }

    /**
     * Direct and through mux, alternately, {@link #ROUNDS} times: on a shared machine the speed of
     * both paths drifts by tens of percent within minutes, so each round's ratio compares
     * neighbours and the median of those ratios is the figure reported. Prints every round, with
     * the cores used by the load program (client and origin) and by the proxy.
     *
     * @return {median direct, median through mux, median ratio}
     */
    private static double[] compare(String name, Measurement direct, Measurement proxied) throws Exception {
        double[] directs = new double[ROUNDS];
        double[] proxieds = new double[ROUNDS];
        double[] ratios = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            Sample d = sample(direct);
            Sample p = sample(proxied);
            directs[round] = d.value();
            proxieds[round] = p.value();
            ratios[round] = p.value() / d.value();
            System.out.printf(Locale.ROOT, "  %-24s round %d: direct %8.1f (cores: load %.2f)   through mux %8.1f "
                    + "(cores: load %.2f, proxy %.2f)   %.2f×%n", name, round + 1, d.value(), d.loadCores(), p.value(),
                    p.loadCores(), p.proxyCores(), ratios[round]);
        }
        double[] sortedRatios = ratios.clone();
        Arrays.sort(sortedRatios);
        System.out.printf(Locale.ROOT, "  %-24s median ratio %.2f× (range %.2f–%.2f)%n", name, median(ratios),
                sortedRatios[0], sortedRatios[ROUNDS - 1]);
        return new double[] {median(directs), median(proxieds), median(ratios)};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void run(SSLContext tls, InetSocketAddress origin, InetSocketAddress proxy, long proxyPid)
            throws Exception {
        ProxyBenchmark.proxyPid = proxyPid;
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s; %d s per measurement, %d alternating rounds%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), SECONDS, ROUNDS);
        // warm both paths (JIT, leaf cache, upstream pool). The proxy JVM starts cold and its
        // per-tunnel code reaches C2 only after ~10 s of new tunnels; a shorter warm-up measured
        // mostly the proxy's JIT compiler (perf: ~45 % of its CPU in C2 during a 10 s run).
        // The direct path gets the same warm-up: with 2 s of it, the first round of new tunnels
        // measured a direct path still ~20 % slower than in later rounds.
        keepAlive(tls, origin, null, WARMUP_SECONDS);
        keepAlive(tls, origin, proxy, WARMUP_SECONDS);
        newTunnels(tls, origin, null, WARMUP_SECONDS);
        newTunnels(tls, origin, proxy, WARMUP_SECONDS);

        String only = System.getProperty("bench.only", "all");
        List<String[]> rows = new ArrayList<>();
        if (only.equals("all") || only.equals("keepalive")) {
            rows.add(row("keep-alive requests/s (16 conns, 1 KiB)", "%.0f", compare("keep-alive req/s",
                    () -> keepAlive(tls, origin, null, SECONDS), () -> keepAlive(tls, origin, proxy, SECONDS))));
        }
        if (only.equals("all") || only.equals("newtunnels")) {
            rows.add(row("new tunnels/s (CONNECT+TLS+1 request, 8 threads)", "%.0f", compare("new tunnels/s",
                    () -> newTunnels(tls, origin, null, SECONDS), () -> newTunnels(tls, origin, proxy, SECONDS))));
        }
        if (only.equals("all")) {
            double[] sseDirect = sse(tls, origin, null);
            double[] sseProxy = sse(tls, origin, proxy);
            rows.add(new String[] {"SSE per-event delay p50 (ms)", String.format(Locale.ROOT, "%.3f", sseDirect[0]),
                String.format(Locale.ROOT, "%.3f", sseProxy[0]),
                String.format(Locale.ROOT, "%+.3f ms", sseProxy[0] - sseDirect[0])});
            rows.add(new String[] {"SSE per-event delay p99 (ms)", String.format(Locale.ROOT, "%.3f", sseDirect[1]),
                String.format(Locale.ROOT, "%.3f", sseProxy[1]),
                String.format(Locale.ROOT, "%+.3f ms", sseProxy[1] - sseDirect[1])});
        }
        if (only.equals("all") || only.equals("bulk")) {
            // Both paths keep getting faster over the first gigabytes (JIT of the client's and the
            // origin's TLS and copy loops, TCP buffer growth): without this, the first round
            // measured direct ~40 % slower than the third.
            for (boolean upload : new boolean[] {false, true}) {
                for (InetSocketAddress via : Arrays.asList(null, proxy)) {
                    for (int i = 0; i < BULK_WARMUP_TRANSFERS; i++) {
                        bulk(tls, origin, via, upload);
                    }
                }
            }
            String mb = BULK / (1024 * 1024) + " MB";
            rows.add(row("bulk download MB/s (" + mb + ")", "%.0f", compare("download MB/s",
                    () -> bulk(tls, origin, null, false), () -> bulk(tls, origin, proxy, false))));
            rows.add(row("bulk upload MB/s (" + mb + ")", "%.0f", compare("upload MB/s",
                    () -> bulk(tls, origin, null, true), () -> bulk(tls, origin, proxy, true))));
        }

        System.out.println();
        System.out.println("| measurement (medians) | direct | through mux | mux / direct |");
        System.out.println("|---|---:|---:|---:|");
        for (String[] r : rows) {
            System.out.println("| " + String.join(" | ", r) + " |");
        }
    }

    private static String[] row(String name, String format, double[] medians) {
        return new String[] {name, String.format(Locale.ROOT, format, medians[0]),
            String.format(Locale.ROOT, format, medians[1]), String.format(Locale.ROOT, "%.2f×", medians[2])};
    }

    private static double keepAlive(SSLContext tls, InetSocketAddress origin, InetSocketAddress proxy, int seconds)
            throws Exception {
        int connections = 16;
        LongAdder requests = new LongAdder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            futures.add(pool.submit(() -> {
                try (BenchClient client = BenchClient.open(tls, origin, proxy)) {
                    while (System.nanoTime() < deadline) {
                        client.get1k();
                        requests.increment();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return requests.sum() / ((System.nanoTime() - start) / 1e9);
    }

    private static double newTunnels(SSLContext tls, InetSocketAddress origin, InetSocketAddress proxy, int seconds)
            throws Exception {
        int threads = TUNNEL_THREADS;
        LongAdder tunnels = new LongAdder();
        LongAdder resumed = new LongAdder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            futures.add(pool.submit(() -> {
                // Each thread is one agent with its own TLS session cache, as separate containers
                // are. Threads sharing one JDK cache race for its single ticket: in a trial through
                // mux, whose tunnels take longer to set up, only 37 % of sessions resumed against
                // 83 % direct, so the two paths were measured doing different handshakes.
                SSLContext agent = SHARED_SESSION_CACHE ? tls : agentTls.get();
                while (System.nanoTime() < deadline) {
                    long opened = System.currentTimeMillis();
                    try (BenchClient client = BenchClient.open(agent, origin, proxy)) {
                        client.get1k();
                        if (client.sessionCreated() < opened) {
                            resumed.increment();
                        }
                    }
                    tunnels.increment();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        if (seconds == SECONDS && seconds != WARMUP_SECONDS) { // a measurement, not a warm-up
            System.out.printf(Locale.ROOT, "    (%s: %.1f %% of %d TLS sessions resumed)%n", proxy == null ? "direct" : "mux",
                    100.0 * resumed.sum() / tunnels.sum(), tunnels.sum());
        }
        return tunnels.sum() / ((System.nanoTime() - start) / 1e9);
    }

    /** p50 and p99 per-event delay in ms over 3 streams of 400 events (5 ms apart). */
    private static double[] sse(SSLContext tls, InetSocketAddress origin, InetSocketAddress proxy) throws Exception {
        int events = 400;
        long[] all = new long[events * 3];
        long[] delays = new long[events];
        try (BenchClient client = BenchClient.open(tls, origin, proxy)) {
            client.sse(50, new long[50]); // warm-up
            for (int run = 0; run < 3; run++) {
                client.sse(events, delays);
                System.arraycopy(delays, 0, all, run * events, events);
            }
        }
        Arrays.sort(all);
        return new double[] {all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6};
    }

    private static double bulk(SSLContext tls, InetSocketAddress origin, InetSocketAddress proxy, boolean upload)
            throws Exception {
        try (BenchClient client = BenchClient.open(tls, origin, proxy)) {
            long warm = upload ? client.upload(BULK_WARMUP) : client.download(BULK_WARMUP);
            long start = System.nanoTime();
            long moved = upload ? client.upload(BULK) : client.download(BULK);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (moved != BULK || warm != BULK_WARMUP) {
                throw new IllegalStateException("moved " + moved + " of " + BULK);
            }
            return moved / 1048576.0 / seconds;
        }
    }

    private static double idleTunnelRss(SSLContext tls, InetSocketAddress origin, InetSocketAddress proxy, long pid)
            throws Exception {
        for (int i = 0; i < 20; i++) { // load classes, sign the leaf, open the upstream connection
            try (BenchClient client = BenchClient.open(tls, origin, proxy)) {
                client.get1k();
            }
        }
        gc(pid);
        long before = rssKib(pid);
        List<BenchClient> idle = new ArrayList<>();
        try {
            for (int i = 0; i < IDLE_TUNNELS; i++) {
                BenchClient client = BenchClient.open(tls, origin, proxy);
                client.get1k();
                idle.add(client);
            }
            Thread.sleep(1000);
            gc(pid);
            long after = rssKib(pid);
            System.out.printf(Locale.ROOT, "proxy RSS: %d KiB before, %d KiB with %d idle tunnels%n", before, after,
                    IDLE_TUNNELS);
            return (after - before) / (double) IDLE_TUNNELS;
        } finally {
            for (BenchClient client : idle) {
                client.close();
            }
        }
    }

    private static void gc(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }
}
