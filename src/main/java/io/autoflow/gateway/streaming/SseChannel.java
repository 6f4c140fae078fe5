package io.autoflow.gateway.streaming;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Server-Sent Events written straight to the Vert.x response, because Camel 4.18 buffers an InputStream
 * body. Writes come from the route's worker thread; Vert.x's HTTP/1 response is safe to use from it.
 */
public final class SseChannel {

    private final HttpServerResponse response;
    private final Duration stallTimeout;
    private volatile boolean gone;
    private volatile boolean open;
    private volatile Runnable onGone = () -> { };
    private long bytesWritten;

    public SseChannel(HttpServerResponse response, Duration stallTimeout) {
        this.response = response;
        this.stallTimeout = stallTimeout;
        response.closeHandler(v -> clientGone());
        response.exceptionHandler(e -> clientGone());
    }

    /** Runs (once, on a Vert.x thread) when the client goes: used to abort the upstream read at once. */
    public void onGone(Runnable action) {
        this.onGone = action;
        if (gone) {
            action.run();
        }
    }

    public boolean isOpen() {
        return open;
    }

    public boolean isGone() {
        return gone || response.closed();
    }

    /** Sends the status and headers; called once, when the upstream has accepted the question. */
    public synchronized void open(Map<String, String> headers) throws ClientGoneException {
        if (open) {
            return;
        }
        if (isGone()) {
            throw new ClientGoneException("client closed the connection before the answer started");
        }
        response.setStatusCode(200);
        response.setChunked(true);
        response.putHeader("Content-Type", "text/event-stream; charset=utf-8");
        response.putHeader("Cache-Control", "no-cache");
        response.putHeader("X-Accel-Buffering", "no");
        headers.forEach(response::putHeader);
        open = true;
        // An SSE comment: flushes the headers so the client sees the stream start before the first token.
        write(": stream open\n\n");
    }

    public void send(String event) throws ClientGoneException {
        write(event);
    }

    /** Bytes of events written so far (the answer's size for metrics). */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** Ends the stream; the client's EventSource or deep-chat treats the close as the end of the answer. */
    public void end() {
        // Ended even when the client is gone: Camel's own response writer skips an ended response only.
        if (!response.ended()) {
            try {
                response.end();
            } catch (IllegalStateException alreadyEnded) {
                // ended concurrently; nothing left to do
            }
        }
    }

    private void write(String event) throws ClientGoneException {
        if (isGone()) {
            throw new ClientGoneException("client closed the connection");
        }
        Buffer bytes = Buffer.buffer(event);
        bytesWritten += bytes.length();
        response.write(bytes);
        if (response.writeQueueFull()) {
            awaitDrain();
        }
    }

    /** Back-pressure: wait for the client to read, and cut it off if it reads nothing for too long. */
    private void awaitDrain() throws ClientGoneException {
        CountDownLatch drained = new CountDownLatch(1);
        response.drainHandler(v -> drained.countDown());
        try {
            if (response.writeQueueFull() && !drained.await(stallTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                response.reset();
                clientGone();
                throw new ClientGoneException("client read nothing for " + stallTimeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientGoneException("interrupted while waiting for the client to read");
        }
    }

    private void clientGone() {
        if (!gone) {
            gone = true;
            onGone.run();
        }
    }
}
