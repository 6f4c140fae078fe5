package io.autoflow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * Creates many gateway sessions (for session-store memory tests) with a fixed number of requests in
 * flight, and writes their ids one per line. Everything runs on one event loop, so no locking.
 */
public final class SessionSeeder {

    private static final Buffer EMPTY_JSON = Buffer.buffer("{}");
    private static final int ERRORS_SHOWN = 5;

    private final HttpClient client;
    private final RequestOptions request;
    private final int count;
    private final List<String> ids;
    private final Promise<Void> done = Promise.promise();
    private int issued;
    private int completed;
    private int errors;

    SessionSeeder(Vertx vertx, Args args) {
        this.count = args.integer("count", 0);
        this.ids = new ArrayList<>(count);
        int concurrency = args.integer("concurrency", 64);
        // Keep-alive: each of the `concurrency` connections carries request after request.
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setMaxPoolSize(concurrency).setKeepAlive(true).setConnectTimeout(10_000));
        this.request = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(args.required("base").replaceAll("/+$", "") + "/api/rca/session")
                .putHeader("Content-Type", "application/json");
        args.headers().forEach(request::putHeader);
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("base", "count", "concurrency", "header", "out"));
        Path out = Path.of(args.required("out"));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        SessionSeeder seeder = new SessionSeeder(vertx, args);
        long start = System.nanoTime();
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> seeder.start(args.integer("concurrency", 64)));
        seeder.done.future().toCompletionStage().toCompletableFuture().get();
        double wall = Math.round((System.nanoTime() - start) / 1e6) / 1000.0;
        Files.write(out, seeder.ids);
        System.out.println(new JsonObject().put("created", seeder.ids.size()).put("errors", seeder.errors)
                .put("wall_s", wall).encode());
        System.out.flush();
        System.exit(0);
    }

    private void start(int concurrency) {
        if (count <= 0) {
            done.complete();
        }
        for (int i = 0; i < Math.min(concurrency, count); i++) {
            next();
        }
    }

    /** Sends one request; its completion sends the next, so `concurrency` stay in flight. */
    private void next() {
        if (issued == count) {
            return;
        }
        issued++;
        client.request(request)
                .compose(req -> req.send(EMPTY_JSON))
                .compose(this::sessionId)
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        ids.add(ar.result());
                    } else if (++errors <= ERRORS_SHOWN) {
                        System.err.println("session create failed: " + ar.cause().getMessage());
                    }
                    if (++completed == count) {
                        done.complete();
                    } else {
                        next();
                    }
                });
    }

    private Future<String> sessionId(HttpClientResponse resp) {
        return resp.body().compose(body -> {
            if (resp.statusCode() != 201) {
                return Future.failedFuture("status " + resp.statusCode() + ": " + body);
            }
            String id = body.toJsonObject().getString("session_id");
            return id == null ? Future.failedFuture("no session_id in " + body) : Future.succeededFuture(id);
        });
    }
}
