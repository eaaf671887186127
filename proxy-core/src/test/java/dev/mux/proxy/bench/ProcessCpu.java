package dev.mux.proxy.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time (user + system) of a process from {@code /proc/<pid>/stat}, so the benchmark can say
 * how many cores each side used during a measurement: on a 2-core machine the proxy and the load
 * program compete for the same CPU, and the split explains the ratios.
 */
final class ProcessCpu {
    /** USER_HZ: the unit of utime and stime, 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final long pid;
    private final long startTicks;
    private final long startNanos;

    private ProcessCpu(long pid) {
        this.pid = pid;
        this.startTicks = ticks(pid);
        this.startNanos = System.nanoTime();
    }

    static ProcessCpu start(long pid) {
        return new ProcessCpu(pid);
    }

    /** Cores used since {@link #start}: CPU seconds divided by wall seconds (2.0 = both of 2 cores). */
    double cores() {
        double cpuSeconds = (ticks(pid) - startTicks) / TICKS_PER_SECOND;
        return cpuSeconds / ((System.nanoTime() - startNanos) / 1e9);
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // fields after the command name, which is in parentheses and may contain spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
