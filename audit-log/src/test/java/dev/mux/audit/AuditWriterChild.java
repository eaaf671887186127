package dev.mux.audit;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Run in a child JVM by {@link AuditWriterCrashIntegrationTest}: writes numbered records as
 * fast as it can until it is killed. Prints READY once records have reached the file.
 */
public final class AuditWriterChild {

    private AuditWriterChild() {}

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        String prefix = args[1];
        AuditWriter writer = AuditWriter.builder(file)
                .maxFileBytes(Long.parseLong(args[2]))
                .keepFiles(1000)
                .flushInterval(Duration.ofMillis(10))
                .build();
        writer.write(TestRecords.numbered(prefix + "-0"));
        writer.flush();
        System.out.println("READY");
        System.out.flush();
        for (long i = 1; ; i++) {
            writer.write(TestRecords.numbered(prefix + "-" + i));
            if ((i & 0xFFFF) == 0) {
                Thread.onSpinWait();
            }
        }
    }
}
