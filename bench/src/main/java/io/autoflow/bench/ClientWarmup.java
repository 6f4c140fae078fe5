package io.autoflow.bench;

import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;

/**
 * Runs a few hundred streams against a canned in-process server before measuring. Without it the
 * first measured streams queue behind the client's own class loading and JIT (about 150 ms on a
 * small machine), which would be blamed on the system under test. The target sees none of it.
 */
final class ClientWarmup implements Stream.Listener {

    private static final int STREAMS = 400;
    private static final Buffer GATEWAY_BODY = Buffer.buffer(": stream open\n\nevent: progress\n"
            + "data: {\"state\":\"GENERATE_ANSWER\"}\n\ndata: {\"text\":\"w\"}\n\nevent: done\ndata: {}\n\n");
    private static final Buffer UPSTREAM_BODY = Buffer.buffer(
            "2:[{}]\n8:[{}]\n0:\"w\"\n2:[{\"finished_at\":\"w\"}]\n");

    private final Vertx vertx;
    private final Context[] loops;
    private final Format format;
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final Promise<Void> done = Promise.promise();

    ClientWarmup(Vertx vertx, Context[] loops, Format format) {
        this.vertx = vertx;
        this.loops = loops;
        this.format = format;
    }

    Future<Void> run() {
        Buffer canned = format == Format.GATEWAY ? GATEWAY_BODY : UPSTREAM_BODY;
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b ->
                req.response().putHeader("content-type", "text/event-stream").setChunked(true).end(canned)));
        // No keep-alive: every warm-up stream opens its own connection, as measured streams do.
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setMaxPoolSize(64));
        return server.listen(0, "127.0.0.1").compose(s -> {
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                    .setAbsoluteURI("http://127.0.0.1:" + s.actualPort() + "/warmup");
            for (int i = 0; i < STREAMS; i++) {
                Stream stream = new Stream(i, loops[i % loops.length], false, this);
                stream.context.runOnContext(v -> stream.launch(client, options, Buffer.buffer("{}")));
            }
            return done.future();
        }).eventually(v -> client.close().compose(x -> server.close()));
    }

    @Override
    public Format format() {
        return format;
    }

    @Override
    public void opened(Stream s) {
    }

    @Override
    public void closed(Stream s) {
    }

    @Override
    public void settled(Stream s) {
    }

    @Override
    public void finished(Stream s, String errorKind) {
        if (errorKind != null && failed.incrementAndGet() == 1) {
            System.err.println("client warm-up stream failed (" + errorKind + "); measuring anyway");
        }
        if (finished.incrementAndGet() == STREAMS) {
            done.complete();
        }
    }
}
