package io.autoflow.bench;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * Load client for streamed answers: many concurrent long streams (memory and open-stream capacity)
 * or one stream at a time (time to first token without contention). Prints one JSON line.
 */
public final class StreamLoad implements Stream.Listener {

    private static final int EVENT_LOOPS = 2;
    private static final int WARM_UP = 20;
    private static final long SAMPLE_MS = 500;
    private static final long STALL_NANOS = 2_000_000_000L;

    private final Vertx vertx;
    private final Context[] loops;
    private final Format format;
    private final HttpClient client;
    private final RequestOptions request;
    private final Template body;
    private final MemoryProbe memory;
    private final Results results = new Results();
    private final int total;
    private final boolean sequential;
    private final long timeoutMs;
    private final Promise<Void> allDone = Promise.promise();
    private final AtomicInteger launched = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger openPeak = new AtomicInteger();
    private final AtomicInteger settled = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicLong lastSettleNanos = new AtomicLong();
    private volatile long startNanos;
    private volatile long endNanos;
    private volatile boolean allLaunched;
    private int ticks;

    StreamLoad(Vertx vertx, Context[] loops, Args args, int total, boolean sequential) {
        this.vertx = vertx;
        this.loops = loops;
        this.total = total;
        this.sequential = sequential;
        this.format = Format.parse(args.str("format", "gateway"));
        this.timeoutMs = args.integer("timeout-s", 300) * 1000L;
        this.body = Template.of(args.required("body"), "{{i}}");
        // One connection per concurrent stream; no idle timeout, a held stream may be silent for long.
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setMaxPoolSize(sequential ? 1 : total).setKeepAlive(true)
                .setConnectTimeout(10_000).setIdleTimeout(0));
        Map<String, String> headers = args.headers();
        headers.putIfAbsent("Content-Type", "application/json");
        this.request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(args.required("url"));
        headers.forEach(request::putHeader);
        // The metrics scrape gets its own client, so it never waits behind a stream for a connection.
        String metricsUrl = args.str("metrics-url", null);
        HttpClient metrics = metricsUrl == null ? null
                : vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(1).setConnectTimeout(10_000));
        this.memory = new MemoryProbe(args.integer("pid", 0), metrics, metricsUrl);
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("url", "body", "header", "streams", "ramp-per-sec", "sequential",
                "pid", "metrics-url", "timeout-s", "format"));
        boolean sequential = args.has("sequential");
        int total = sequential ? args.integer("sequential", 0) : args.integer("streams", 0);
        if (total <= 0) {
            throw new IllegalArgumentException("give --streams N or --sequential K, with N, K > 0");
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS));
        Context[] loops = eventLoops(vertx);
        StreamLoad load = new StreamLoad(vertx, loops, args, total, sequential);
        new ClientWarmup(vertx, loops, load.format).run().toCompletionStage().toCompletableFuture().get();
        int rampPerSec = args.integer("ramp-per-sec", 2000);
        if (rampPerSec <= 0) {
            throw new IllegalArgumentException("--ramp-per-sec must be > 0");
        }
        Future<JsonObject> report = sequential ? load.sequential() : load.concurrent(rampPerSec);
        System.out.println(report.toCompletionStage().toCompletableFuture().get().encode());
        System.out.flush();
        System.exit(0); // errors are in the JSON; closing thousands of connections politely is not needed
    }

    /** One context per event loop: a stream lives on one, so its state is never shared between threads. */
    private static Context[] eventLoops(Vertx vertx) throws Exception {
        Context[] contexts = new Context[EVENT_LOOPS];
        AtomicInteger next = new AtomicInteger();
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start() {
                contexts[next.getAndIncrement()] = context;
            }
        }, new DeploymentOptions().setInstances(EVENT_LOOPS)).toCompletionStage().toCompletableFuture().get();
        return contexts;
    }

    @Override
    public Format format() {
        return format;
    }

    private Future<JsonObject> concurrent(int rampPerSec) {
        Stream[] streams = new Stream[total];
        for (int i = 0; i < total; i++) {
            streams[i] = new Stream(i, loops[i % loops.length], true, this);
        }
        loops[0].runOnContext(v -> {
            begin();
            vertx.setPeriodic(10, new Ramp(streams, rampPerSec));
            long deadline = vertx.setTimer(timeoutMs, id -> {
                for (Stream s : streams) {
                    s.context.runOnContext(x -> s.abort("timeout"));
                }
            });
            allDone.future().onComplete(x -> vertx.cancelTimer(deadline));
        });
        return allDone.future().compose(v -> memory.pending()).map(v -> report("concurrent"));
    }

    /** Starts streams at the ramp rate, counted from the start so timer jitter does not slow it. */
    private final class Ramp implements Handler<Long> {
        private final Stream[] streams;
        private final int perSecond;
        private int started;

        Ramp(Stream[] streams, int perSecond) {
            this.streams = streams;
            this.perSecond = perSecond;
        }

        @Override
        public void handle(Long timerId) {
            long due = Math.min(total, 1 + (System.nanoTime() - startNanos) * perSecond / 1_000_000_000L);
            while (started < due) {
                Stream s = streams[started++];
                s.context.runOnContext(v -> launch(s));
            }
            if (started == total) {
                vertx.cancelTimer(timerId);
                allLaunched = true;
            }
        }
    }

    private Future<JsonObject> sequential() {
        loops[0].runOnContext(v -> {
            begin();
            next(0);
        });
        return allDone.future().map(v -> report("sequential"));
    }

    /** Sequential mode: stream {@code k} (the first WARM_UP are not recorded); the next starts when it ends. */
    private void next(int k) {
        if (k == WARM_UP) {
            startNanos = System.nanoTime();
        }
        if (k < WARM_UP + total) {
            launch(new Stream(k, loops[0], k >= WARM_UP, this));
        }
    }

    private void begin() {
        startNanos = System.nanoTime();
        lastSettleNanos.set(startNanos);
        vertx.setPeriodic(SAMPLE_MS, id -> tick());
    }

    /** Runs on the stream's context; the stream's own callbacks then stay on it. */
    private void launch(Stream s) {
        launched.incrementAndGet();
        if (sequential) {
            s.timeoutTimer = vertx.setTimer(timeoutMs, id -> s.abort("timeout"));
        }
        s.launch(client, request, body.render(Integer.toString(s.index)));
    }

    @Override
    public void opened(Stream s) {
        if (s.measured) {
            openPeak.accumulateAndGet(open.incrementAndGet(), Math::max);
        }
    }

    @Override
    public void closed(Stream s) {
        if (s.measured) {
            open.decrementAndGet();
        }
    }

    /** When every stream got its first token or ended without one, every stream has been open. */
    @Override
    public void settled(Stream s) {
        if (!s.measured) {
            return;
        }
        lastSettleNanos.set(System.nanoTime());
        if (settled.incrementAndGet() == total && !sequential) {
            memory.snapshot();
        }
    }

    @Override
    public void finished(Stream s, String errorKind) {
        if (s.timeoutTimer >= 0) {
            vertx.cancelTimer(s.timeoutTimer);
        }
        if (s.measured) {
            results.record(s, errorKind);
            if (finished.incrementAndGet() == total) {
                endNanos = System.nanoTime();
                allDone.tryComplete();
            }
        }
        if (sequential) {
            s.context.runOnContext(v -> next(s.index + 1)); // after the connection went back to the pool
        }
    }

    /** Every 500 ms: memory sample, progress every 5 s, and the fallback "all open" snapshot. */
    private void tick() {
        memory.sample();
        if (++ticks % 10 == 0) {
            System.err.printf("[%ds] launched=%d open=%d peak=%d first_or_ended=%d ok=%d errors=%d%n",
                    ticks / 2, launched.get(), open.get(), openPeak.get(), settled.get(),
                    results.ok(), results.errors());
        }
        // If some stream never gets a token, take the snapshot once nothing has settled for a while.
        if (!sequential && allLaunched && open.get() > 0
                && System.nanoTime() - lastSettleNanos.get() > STALL_NANOS) {
            memory.snapshot();
        }
    }

    private JsonObject report(String mode) {
        JsonObject out = new JsonObject().put("mode", mode).put("streams", total);
        results.counts(out);
        out.put("open_peak", openPeak.get());
        results.latencies(out);
        memory.into(out);
        out.put("wall_s", Math.round((endNanos - startNanos) / 1e6) / 1000.0);
        return out;
    }
}
