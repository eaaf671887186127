package dev.mux.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.time.Instant;

/**
 * Not a test: measures the record encoder alone, as the writer thread uses it (one generator over
 * a reused in-memory buffer, flushed per record).
 * {@code java -cp <test classpath> dev.mux.audit.AuditJsonEncodeThroughput [records]}.
 */
public final class AuditJsonEncodeThroughput {

    private AuditJsonEncodeThroughput() {}

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
        AuditRecord[] records = new AuditRecord[1024];
        for (int i = 0; i < records.length; i++) {
            // distinct timestamps, as a live proxy's records have
            records[i] = AuditRecord.builder().timestamp(Instant.ofEpochMilli(TestRecords.T0.toEpochMilli() + i * 7L))
                    .sessionId("session-1").client("172.17.0.2:51234").method("POST").host("api.anthropic.com")
                    .port(443).path("/v1/messages").rule("anthropic").authInjected(true)
                    .decision(AuditDecision.INJECT).responseCode(200).durationMs(1234).bytesIn(2048)
                    .bytesOut(65536).correlationId("bench-" + i).build();
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
        JsonGenerator generator = AuditJson.generator(buffer);
        for (int run = 0; run < 5; run++) { // the first runs warm the JIT up
            long bytes = 0;
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                if ((i & 1023) == 0) {
                    bytes += buffer.size();
                    buffer.reset();
                }
                AuditJson.write(generator, records[i & 1023]);
                generator.flush();
            }
            long elapsed = System.nanoTime() - start;
            System.out.printf("run %d: %,d records: %.0f ns/record (%,.0f records/s, %.1f MB/s)%n", run, total,
                    (double) elapsed / total, total / (elapsed / 1e9), bytes / (elapsed / 1e9) / 1e6);
        }
    }
}
