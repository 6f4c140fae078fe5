package io.autoflow.bench;

import java.net.ConnectException;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;

/**
 * One streamed request and its timings. Thousands exist at once, so it holds a few numbers and no
 * body. All its methods run on its own event-loop context, so its fields need no locking.
 */
final class Stream {

    /** Who counts what the streams do (the load run, or the client warm-up). */
    interface Listener {
        Format format();

        void opened(Stream s);

        void closed(Stream s);

        /** The stream got its first token, or ended without one. */
        void settled(Stream s);

        void finished(Stream s, String errorKind);
    }

    final int index;
    final Context context;
    /** Warm-up streams run the same way but are not recorded. */
    final boolean measured;
    private final Listener run;

    long startNanos;
    long firstTokenNanos;
    long endNanos;
    /** Format-specific: how far the body is towards a complete answer (see {@link Format#COMPLETE}). */
    int progress;
    long timeoutTimer = -1;
    private HttpClientRequest request;
    private String errorKind;
    private boolean open;
    private boolean done;

    Stream(int index, Context context, boolean measured, Listener run) {
        this.index = index;
        this.context = context;
        this.measured = measured;
        this.run = run;
    }

    boolean done() {
        return done;
    }

    /** Notes the first error; later ones are consequences of it. */
    void error(String kind) {
        if (errorKind == null) {
            errorKind = kind;
        }
    }

    /** Sends the request; call on {@link #context}, so the response's callbacks run there too. */
    void launch(HttpClient client, RequestOptions options, Buffer body) {
        if (done) {
            return; // the deadline passed before its turn
        }
        startNanos = System.nanoTime();
        client.request(options)
                .compose(req -> sent(req) ? req.send(body) : Future.failedFuture("aborted"))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        onResponse(ar.result());
                    } else {
                        onFailure(ar.cause());
                    }
                });
    }

    /** Keeps the request so a timeout can reset it; false (and reset) if the stream already timed out. */
    private boolean sent(HttpClientRequest request) {
        if (done) {
            request.reset();
            return false;
        }
        this.request = request;
        return true;
    }

    private void onResponse(HttpClientResponse resp) {
        if (done) {
            return; // timed out while waiting for the headers
        }
        open = true;
        run.opened(this);
        if (resp.statusCode() != 200) {
            error("status_" + resp.statusCode());
        }
        RecordParser lines = RecordParser.newDelimited("\n", resp);
        lines.handler(this::onLine);
        lines.exceptionHandler(this::onFailure);
        lines.endHandler(v -> finish());
    }

    private void onLine(Buffer line) {
        int n = line.length();
        if (n > 0 && line.getByte(n - 1) == '\r') {
            line = line.getBuffer(0, n - 1);
        }
        if (run.format().read(line, this) == Format.Line.TOKEN && firstTokenNanos == 0) {
            firstTokenNanos = System.nanoTime();
            run.settled(this);
        }
    }

    private void onFailure(Throwable e) {
        if (!open) {
            error(e instanceof ConnectException ? "connect_error" : "request_error");
        } else {
            error("reset");
        }
        finish();
    }

    /** Ends the stream now (the run's deadline passed): counts as a timeout and drops the connection. */
    void abort(String kind) {
        if (done) {
            return;
        }
        error(kind);
        HttpClientRequest r = request;
        finish();
        if (r != null) {
            r.reset();
        }
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        endNanos = System.nanoTime();
        request = null;
        if (errorKind == null && progress != Format.COMPLETE) {
            errorKind = "incomplete";
        }
        if (open) {
            open = false;
            run.closed(this);
        }
        if (firstTokenNanos == 0) {
            run.settled(this);
        }
        run.finished(this, errorKind);
    }
}
