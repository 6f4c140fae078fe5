package io.autoflow.bench;

import java.util.TreeMap;

import org.HdrHistogram.Histogram;

import io.vertx.core.json.JsonObject;

/**
 * Outcomes of the measured streams. Both event loops finish streams, so methods are synchronized;
 * that happens once per stream, far too rarely to contend.
 */
final class Results {

    /** One hour in microseconds: longer values are clamped rather than rejected. */
    private static final long MAX_MICROS = 3_600_000_000L;

    private final Histogram ttft = new Histogram(MAX_MICROS, 3);
    private final Histogram duration = new Histogram(MAX_MICROS, 3);
    private final TreeMap<String, Integer> errorKinds = new TreeMap<>();
    private int ok;
    private int errors;

    /** Records a finished stream; {@code errorKind} null means success. */
    synchronized void record(Stream s, String errorKind) {
        if (errorKind != null) {
            errors++;
            errorKinds.merge(errorKind, 1, Integer::sum);
            return;
        }
        ok++;
        ttft.recordValue(micros(s.firstTokenNanos - s.startNanos));
        duration.recordValue(micros(s.endNanos - s.startNanos));
    }

    synchronized int ok() {
        return ok;
    }

    synchronized int errors() {
        return errors;
    }

    /** Adds ok, errors and error_kinds to the report. */
    synchronized void counts(JsonObject out) {
        JsonObject kinds = new JsonObject();
        errorKinds.forEach((kind, count) -> kinds.put(kind, count));
        out.put("ok", ok).put("errors", errors).put("error_kinds", kinds);
    }

    /** Adds ttft_ms and duration_ms (of successful streams) to the report. */
    synchronized void latencies(JsonObject out) {
        out.put("ttft_ms", new JsonObject()
                .put("p50", millis(ttft, 50)).put("p90", millis(ttft, 90))
                .put("p99", millis(ttft, 99)).put("max", millis(ttft, 100)));
        out.put("duration_ms", new JsonObject().put("p50", millis(duration, 50)).put("p99", millis(duration, 99)));
    }

    private static long micros(long nanos) {
        return Math.max(0, Math.min(MAX_MICROS, nanos / 1_000));
    }

    /** A percentile in milliseconds with microsecond digits, or null when nothing was recorded. */
    private static Double millis(Histogram h, double percentile) {
        if (h.getTotalCount() == 0) {
            return null;
        }
        long micros = percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
        return micros / 1000.0;
    }
}
