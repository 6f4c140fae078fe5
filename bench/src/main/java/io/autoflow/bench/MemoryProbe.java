package io.autoflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * The gateway's memory: resident set size from {@code /proc/<pid>/status}, heap from its Prometheus
 * metrics. Either source is optional; what was not measured is reported as null.
 */
final class MemoryProbe {

    private static final String HEAP_LINE = "jvm_memory_used_bytes{area=\"heap\"";
    private static final double MIB = 1024 * 1024;

    private final Path status;
    private final HttpClient metrics;
    private final RequestOptions metricsRequest;
    private final AtomicBoolean snapshotTaken = new AtomicBoolean();
    private final Promise<Void> snapshotDone = Promise.promise();
    private Double rssPeak;
    private volatile Double rssAtAllOpen;
    private volatile Double heapAtAllOpen;

    /** {@code pid} 0 and a null {@code metrics} client mean "not measured". */
    MemoryProbe(int pid, HttpClient metrics, String metricsUrl) {
        this.status = pid > 0 ? Path.of("/proc", Integer.toString(pid), "status") : null;
        this.metrics = metrics;
        this.metricsRequest = metrics == null ? null
                : new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(metricsUrl).setIdleTimeout(10_000);
    }

    /** Samples the resident size and keeps the maximum (called every 500 ms). */
    synchronized void sample() {
        Double rss = rssMiB();
        if (rss != null && (rssPeak == null || rss > rssPeak)) {
            rssPeak = rss;
        }
    }

    /** Takes the one "all streams open" sample; later calls do nothing. */
    void snapshot() {
        if (!snapshotTaken.compareAndSet(false, true)) {
            return;
        }
        sample();
        rssAtAllOpen = rssMiB();
        if (metrics == null) {
            snapshotDone.complete();
            return;
        }
        metrics.request(metricsRequest)
                .compose(req -> req.send())
                .compose(HttpClientResponse::body)
                .onSuccess(body -> heapAtAllOpen = heapMiB(body))
                .onFailure(e -> System.err.println("metrics fetch failed: " + e))
                .onComplete(ar -> snapshotDone.tryComplete());
    }

    /** Completes when a started snapshot has its heap figure (or failed to get it). */
    Future<Void> pending() {
        return snapshotTaken.get() ? snapshotDone.future() : Future.succeededFuture();
    }

    synchronized void into(JsonObject out) {
        out.put("rss_peak_mib", round(rssPeak)).put("rss_at_all_open_mib", round(rssAtAllOpen))
                .put("heap_used_at_all_open_mib", round(heapAtAllOpen));
    }

    /** VmRSS of the process, or null when not asked for or the process is gone. A tiny procfs read. */
    private Double rssMiB() {
        if (status == null) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** Sums the heap pools' {@code jvm_memory_used_bytes}; the value follows the closing brace. */
    private static Double heapMiB(Buffer body) {
        double bytes = 0;
        boolean found = false;
        for (String line : body.toString().split("\n")) {
            if (line.startsWith(HEAP_LINE)) {
                String value = line.substring(line.lastIndexOf('}') + 1).trim().split("\\s+")[0];
                bytes += Double.parseDouble(value);
                found = true;
            }
        }
        return found ? bytes / MIB : null;
    }

    private static Double round(Double mib) {
        return mib == null ? null : Math.round(mib * 10) / 10.0;
    }
}
