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
 * properties: {@code bench.seconds} (per measurement, default 10), {@code bench.warmupSeconds} (keep-alive
 * and new tunnels through the proxy before measuring, default 15), {@code bench.bulkMb} (default
 * 512), {@code bench.idleTunnels} (default 1000), {@code bench.proxyJvmArgs}.
 */
public final class ProxyBenchmark {
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    private static final long BULK = Long.getLong("bench.bulkMb", 512) * 1024 * 1024;
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmupSeconds", 15);
    private static final long BULK_WARMUP = 256L << 20;
    private static final int IDLE_TUNNELS = Integer.getInteger("bench.idleTunnels", 1000);

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

    private static void run(SSLContext tls, InetSocketAddress origin, InetSocketAddress proxy, long proxyPid)
            throws Exception {
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s; %d s per measurement%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), SECONDS);
        // warm both paths (JIT, leaf cache, upstream pool). The proxy JVM starts cold and its
        // per-tunnel code reaches C2 only after ~10 s of new tunnels; a shorter warm-up measured
        // mostly the proxy's JIT compiler (perf: ~45 % of its CPU in C2 during a 10 s run).
        keepAlive(tls, origin, null, 3);
        keepAlive(tls, origin, proxy, WARMUP_SECONDS);
        newTunnels(tls, origin, null, 2);
        newTunnels(tls, origin, proxy, WARMUP_SECONDS);

        if ("keepalive".equals(System.getProperty("bench.only"))) {
            System.out.printf(Locale.ROOT, "keep-alive through mux: %.0f requests/s%n", keepAlive(tls, origin, proxy,
                    SECONDS));
            return;
        }
        if ("newtunnels".equals(System.getProperty("bench.only"))) {
            double direct = newTunnels(tls, origin, null, SECONDS);
            double proxied = newTunnels(tls, origin, proxy, SECONDS);
            System.out.printf(Locale.ROOT, "new tunnels direct %.0f /s, through mux %.0f /s: %.2f×%n", direct, proxied,
                    proxied / direct);
            return;
        }
        if ("bulk".equals(System.getProperty("bench.only"))) {
            for (boolean upload : new boolean[] {false, true}) {
                double direct = bulk(tls, origin, null, upload);
                double proxied = bulk(tls, origin, proxy, upload);
                System.out.printf(Locale.ROOT, "bulk %s direct %.0f MB/s, through mux %.0f MB/s: %.2f×%n",
                        upload ? "upload" : "download", direct, proxied, proxied / direct);
            }
            return;
        }
        List<String[]> rows = new ArrayList<>();
        double kaDirect = keepAlive(tls, origin, null, SECONDS);
        double kaProxy = keepAlive(tls, origin, proxy, SECONDS);
        rows.add(row("keep-alive requests/s (16 conns, 1 KiB)", kaDirect, kaProxy, "%.0f"));
        double ntDirect = newTunnels(tls, origin, null, SECONDS);
        double ntProxy = newTunnels(tls, origin, proxy, SECONDS);
        rows.add(row("new tunnels/s (CONNECT+TLS+1 request, 8 threads)", ntDirect, ntProxy, "%.0f"));
        double[] sseDirect = sse(tls, origin, null);
        double[] sseProxy = sse(tls, origin, proxy);
        rows.add(row("SSE per-event delay p50 (ms)", sseDirect[0], sseProxy[0], "%.3f"));
        rows.add(row("SSE per-event delay p99 (ms)", sseDirect[1], sseProxy[1], "%.3f"));
        double downDirect = bulk(tls, origin, null, false);
        double downProxy = bulk(tls, origin, proxy, false);
        rows.add(row("bulk download MB/s (" + BULK / (1024 * 1024) + " MB)", downDirect, downProxy, "%.0f"));
        double upDirect = bulk(tls, origin, null, true);
        double upProxy = bulk(tls, origin, proxy, true);
        rows.add(row("bulk upload MB/s (" + BULK / (1024 * 1024) + " MB)", upDirect, upProxy, "%.0f"));

        System.out.println();
        System.out.println("| measurement | direct | through mux | mux / direct |");
        System.out.println("|---|---:|---:|---:|");
        for (String[] r : rows) {
            System.out.println("| " + String.join(" | ", r) + " |");
        }
    }

    private static String[] row(String name, double direct, double proxied, String format) {
        return new String[] {name, String.format(Locale.ROOT, format, direct),
            String.format(Locale.ROOT, format, proxied), String.format(Locale.ROOT, "%.2f×", proxied / direct)};
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
        int threads = 8;
        LongAdder tunnels = new LongAdder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    try (BenchClient client = BenchClient.open(tls, origin, proxy)) {
                        client.get1k();
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
