package io.autoflow.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Sends FastUpstream a few thousand requests of each kind before it reports ready. A cold JVM answers the
 * first burst of a ramp hundreds of milliseconds late, which would be charged to the gateway.
 * Runs on one context, so its counters need no locking.
 */
final class UpstreamWarmup {

    private static final int REQUESTS = 6000;
    private static final int IN_FLIGHT = 32;
    private static final Buffer STREAMED = Buffer.buffer(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"warm-up tokens=20 gap=0\"}],\"stream\":true,\"chat_id\":null}");
    private static final Buffer DRIPPED = Buffer.buffer(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"warm-up tokens=3 gap=1\"}],\"chat_id\":null}");
    private static final Buffer WHOLE = Buffer.buffer(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"warm-up tokens=20\"}],\"stream\":false,\"chat_id\":null}");

    private final Context context;
    private final HttpClient client;
    private final RequestOptions options;
    private final Promise<Void> done = Promise.promise();
    private int issued;
    private int completed;

    UpstreamWarmup(Vertx vertx, int port) {
        this.context = vertx.getOrCreateContext();
        // No keep-alive: each request opens a connection, as each measured stream does.
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setMaxPoolSize(IN_FLIGHT));
        this.options = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI("http://127.0.0.1:" + port + "/api/v1/chats");
    }

    Future<Void> run() {
        context.runOnContext(v -> {
            for (int i = 0; i < IN_FLIGHT; i++) {
                next();
            }
        });
        return done.future().eventually(v -> client.close());
    }

    private void next() {
        if (issued == REQUESTS) {
            return;
        }
        Buffer body = switch (issued++ % 3) {
            case 0 -> STREAMED;
            case 1 -> DRIPPED;
            default -> WHOLE;
        };
        client.request(options)
                .compose(req -> req.send(body))
                .compose(HttpClientResponse::body)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        done.tryFail(ar.cause());
                    } else if (++completed == REQUESTS) {
                        done.complete();
                    } else {
                        next();
                    }
                });
    }
}
