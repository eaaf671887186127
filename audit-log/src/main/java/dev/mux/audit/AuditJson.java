package dev.mux.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The one place that knows the JSON shape of a record: field names, formats, defaults. */
final class AuditJson {

    static final String SCHEMA_VERSION = "schema_version";
    static final String TIMESTAMP = "timestamp";
    static final String SESSION_ID = "session_id";
    static final String CLIENT = "client";
    static final String METHOD = "method";
    static final String HOST = "host";
    static final String SERVICE = "service";
    static final String PORT = "port";
    static final String PATH = "path";
    static final String RULE = "rule";
    static final String AUTH_INJECTED = "auth_injected";
    static final String DECISION = "decision";
    static final String RESPONSE_CODE = "response_code";
    static final String DURATION_MS = "duration_ms";
    static final String BYTES_IN = "bytes_in";
    static final String BYTES_OUT = "bytes_out";
    static final String ERROR = "error";
    static final String CORRELATION_ID = "correlation_id";
    /** Only on the writer's own gap lines: how many records it lost just before this point. */
    static final String DROPPED_RECORDS = "dropped_records";

    private static final DateTimeFormatter TIMESTAMP_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final long MIN_FAST_EPOCH_DAY = LocalDate.of(0, 1, 1).toEpochDay();
    private static final long MAX_FAST_EPOCH_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    // Field names encoded once, so the generator copies bytes instead of encoding each name per record.
    private static final SerializedString SCHEMA_VERSION_NAME = new SerializedString(SCHEMA_VERSION);
    private static final SerializedString TIMESTAMP_NAME = new SerializedString(TIMESTAMP);
    private static final SerializedString SESSION_ID_NAME = new SerializedString(SESSION_ID);
    private static final SerializedString CLIENT_NAME = new SerializedString(CLIENT);
    private static final SerializedString METHOD_NAME = new SerializedString(METHOD);
    private static final SerializedString HOST_NAME = new SerializedString(HOST);
    private static final SerializedString SERVICE_NAME = new SerializedString(SERVICE);
    private static final SerializedString PORT_NAME = new SerializedString(PORT);
    private static final SerializedString PATH_NAME = new SerializedString(PATH);
    private static final SerializedString RULE_NAME = new SerializedString(RULE);
    private static final SerializedString AUTH_INJECTED_NAME = new SerializedString(AUTH_INJECTED);
    private static final SerializedString DECISION_NAME = new SerializedString(DECISION);
    private static final SerializedString RESPONSE_CODE_NAME = new SerializedString(RESPONSE_CODE);
    private static final SerializedString DURATION_MS_NAME = new SerializedString(DURATION_MS);
    private static final SerializedString BYTES_IN_NAME = new SerializedString(BYTES_IN);
    private static final SerializedString BYTES_OUT_NAME = new SerializedString(BYTES_OUT);
    private static final SerializedString ERROR_NAME = new SerializedString(ERROR);
    private static final SerializedString CORRELATION_ID_NAME = new SerializedString(CORRELATION_ID);
    private static final SerializedString DROPPED_RECORDS_NAME = new SerializedString(DROPPED_RECORDS);

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private AuditJson() {}

    /** A UTF-8 generator for {@link #write} and {@link #writeGap}, which end every line with '\n'. */
    static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator generator = FACTORY.createGenerator(out);
        generator.setRootValueSeparator(null);
        generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return generator;
    }

    static void write(JsonGenerator g, AuditRecord r) throws IOException {
        g.writeStartObject();
        g.writeFieldName(SCHEMA_VERSION_NAME);
        g.writeNumber(r.schemaVersion());
        writeTimestamp(g, r.timestamp());
        writeNullable(g, SESSION_ID_NAME, r.sessionId());
        writeNullable(g, CLIENT_NAME, r.client());
        writeNullable(g, METHOD_NAME, r.method());
        writeNullable(g, HOST_NAME, r.host());
        writeNullable(g, SERVICE_NAME, r.host());
        g.writeFieldName(PORT_NAME);
        g.writeNumber(r.port());
        writeNullable(g, PATH_NAME, r.path());
        writeNullable(g, RULE_NAME, r.rule());
        g.writeFieldName(AUTH_INJECTED_NAME);
        g.writeBoolean(r.authInjected());
        g.writeFieldName(DECISION_NAME);
        g.writeString(r.decision());
        g.writeFieldName(RESPONSE_CODE_NAME);
        g.writeNumber(r.responseCode());
        g.writeFieldName(DURATION_MS_NAME);
        g.writeNumber(r.durationMs());
        g.writeFieldName(BYTES_IN_NAME);
        g.writeNumber(r.bytesIn());
        g.writeFieldName(BYTES_OUT_NAME);
        g.writeNumber(r.bytesOut());
        writeNullable(g, ERROR_NAME, r.error());
        writeNullable(g, CORRELATION_ID_NAME, r.correlationId());
        g.writeEndObject();
        g.writeRaw('\n');
    }

    static void writeGap(JsonGenerator g, Instant timestamp, long dropped) throws IOException {
        g.writeStartObject();
        g.writeFieldName(SCHEMA_VERSION_NAME);
        g.writeNumber(AuditRecord.CURRENT_SCHEMA_VERSION);
        writeTimestamp(g, timestamp);
        g.writeFieldName(DROPPED_RECORDS_NAME);
        g.writeNumber(dropped);
        g.writeEndObject();
        g.writeRaw('\n');
    }

    /**
     * Writes {@code uuuu-MM-dd'T'HH:mm:ss.SSS'Z'} by hand for years 0-9999 (what
     * {@link #TIMESTAMP_FORMAT} would print, without its per-call allocations); other years go
     * through the formatter for its sign and width rules.
     */
    private static void writeTimestamp(JsonGenerator g, Instant timestamp) throws IOException {
        g.writeFieldName(TIMESTAMP_NAME);
        long epochSecond = timestamp.getEpochSecond();
        long epochDay = Math.floorDiv(epochSecond, 86_400L);
        if (epochDay < MIN_FAST_EPOCH_DAY || epochDay > MAX_FAST_EPOCH_DAY) {
            g.writeString(TIMESTAMP_FORMAT.format(timestamp));
            return;
        }
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400L);
        char[] text = new char[24];
        digits(text, 0, date.getYear(), 4);
        text[4] = '-';
        digits(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, date.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, secondOfDay / 3600, 2);
        text[13] = ':';
        digits(text, 14, secondOfDay / 60 % 60, 2);
        text[16] = ':';
        digits(text, 17, secondOfDay % 60, 2);
        text[19] = '.';
        digits(text, 20, timestamp.getNano() / 1_000_000, 3);
        text[23] = 'Z';
        g.writeString(text, 0, text.length);
    }

    private static void digits(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The record as the file holds it: one compact JSON object and its '\n'. */
    static String line(AuditRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = generator(out)) {
            write(g, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the target is in memory
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void writeNullable(JsonGenerator g, SerializedString name, String value) throws IOException {
        g.writeFieldName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeString(value);
        }
    }

    /** What one line held: a record, or the writer's note that records were dropped. */
    sealed interface Line permits RecordLine, GapLine {}

    record RecordLine(AuditRecord record) implements Line {}

    record GapLine(long droppedRecords) implements Line {}

    /**
     * Parses one line. Unknown fields are ignored, so newer writers can add fields; records
     * without {@code schema_version} are read as version 0 (the design document's format, where
     * {@code service} names the host and the decision follows from {@code auth_injected}).
     *
     * @throws MalformedLineException naming what is wrong, never quoting the line
     */
    static Line parse(byte[] bytes, int offset, int length) {
        try (JsonParser p = FACTORY.createParser(bytes, offset, length)) {
            return parse(p);
        } catch (IOException e) {
            throw new MalformedLineException("not valid JSON");
        }
    }

    private static Line parse(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new MalformedLineException("not a JSON object");
        }
        Integer schemaVersion = null;
        Instant timestamp = null;
        String sessionId = null, client = null, method = null, host = null, service = null, path = null;
        String rule = null, decision = null, error = null, correlationId = null;
        int port = 0, responseCode = 0;
        long durationMs = 0, bytesIn = 0, bytesOut = 0;
        Long dropped = null;
        boolean authInjected = false;
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case SCHEMA_VERSION -> schemaVersion = intNumber(p, name);
                case TIMESTAMP -> timestamp = timestamp(p);
                case SESSION_ID -> sessionId = string(p, name);
                case CLIENT -> client = string(p, name);
                case METHOD -> method = string(p, name);
                case HOST -> host = string(p, name);
                case SERVICE -> service = string(p, name);
                case PORT -> port = intNumber(p, name);
                case PATH -> path = string(p, name);
                case RULE -> rule = string(p, name);
                case AUTH_INJECTED -> authInjected = bool(p, name);
                case DECISION -> decision = string(p, name);
                case RESPONSE_CODE -> responseCode = intNumber(p, name);
                case DURATION_MS -> durationMs = number(p, name);
                case BYTES_IN -> bytesIn = number(p, name);
                case BYTES_OUT -> bytesOut = number(p, name);
                case ERROR -> error = string(p, name);
                case CORRELATION_ID -> correlationId = string(p, name);
                case DROPPED_RECORDS -> dropped = number(p, name);
                default -> {
                    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                        p.skipChildren();
                    }
                }
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new MalformedLineException("not a JSON object");
        }
        if (p.nextToken() != null) {
            throw new MalformedLineException("text after the JSON object");
        }
        if (timestamp == null) {
            throw new MalformedLineException("no " + TIMESTAMP);
        }
        if (dropped != null) {
            return new GapLine(dropped);
        }
        if (host == null) {
            host = service;
        }
        if (decision == null) {
            if (schemaVersion != null) {
                throw new MalformedLineException("no " + DECISION);
            }
            decision = authInjected ? AuditDecision.INJECT.json() : AuditDecision.PASS.json();
        }
        return new RecordLine(new AuditRecord(schemaVersion == null ? 0 : schemaVersion, timestamp, sessionId,
                client, method, host, port, path, rule, authInjected, decision, responseCode, durationMs,
                bytesIn, bytesOut, error, correlationId));
    }

    private static String string(JsonParser p, String name) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw new MalformedLineException(name + ": " + t + " (expected: a string or null)");
        }
        return p.getText();
    }

    private static long number(JsonParser p, String name) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new MalformedLineException(name + ": " + p.currentToken() + " (expected: an integer)");
        }
        try {
            return p.getLongValue();
        } catch (IOException e) {
            throw new MalformedLineException(name + ": out of range (expected: a 64-bit integer)");
        }
    }

    private static int intNumber(JsonParser p, String name) throws IOException {
        long value = number(p, name);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new MalformedLineException(name + ": " + value + " (expected: 0-" + Integer.MAX_VALUE + ")");
        }
        return (int) value;
    }

    private static boolean bool(JsonParser p, String name) {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
            throw new MalformedLineException(name + ": " + t + " (expected: true or false)");
        }
        return t == JsonToken.VALUE_TRUE;
    }

    private static Instant timestamp(JsonParser p) throws IOException {
        String text = string(p, TIMESTAMP);
        if (text == null) {
            throw new MalformedLineException(TIMESTAMP + ": null (expected: RFC 3339)");
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedLineException(TIMESTAMP + ": not RFC 3339 (expected: e.g. 2026-01-31T12:00:00.000Z)");
        }
    }

    /** A line that is not a usable record; the message says why without quoting it. */
    static final class MalformedLineException extends RuntimeException {
        MalformedLineException(String reason) {
            super(reason, null, false, false);
        }
    }
}
