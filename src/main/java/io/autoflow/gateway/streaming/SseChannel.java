package io.autoflow.gateway.streaming;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Server-Sent Events written straight to the Vert.x response, because Camel 4.18 buffers an InputStream
 * body. Writes never block: the relay writes from the event loop of the client's connection, pauses the upstream
 * when the client falls behind ({@link #backedUp()}) and resumes it from {@link #whenDrained}.
 */
public final class SseChannel {

    private final HttpServerResponse response;
    private final Duration stallTimeout;
    private final Vertx vertx;
    private volatile boolean gone;
    private volatile boolean open;
    private volatile String goneReason = "client closed the connection";
    private volatile Runnable onGone = () -> { };
    private long bytesWritten;

    public SseChannel(HttpServerResponse response, Duration stallTimeout, Vertx vertx) {
        this.response = response;
        this.stallTimeout = stallTimeout;
        this.vertx = vertx;
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

    /** Why the client is gone: it closed the connection, or it stopped reading. */
    public String goneReason() {
        return goneReason;
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
    }

    /** The client reads slower than the answer comes: the sender should pause until {@link #whenDrained}. */
    public boolean backedUp() {
        return response.writeQueueFull();
    }

    /** Back-pressure: runs resume once the client has read, or cuts the client off if it reads nothing for too long. */
    public void whenDrained(Runnable resume) {
        AtomicBoolean once = new AtomicBoolean();
        long stall = vertx.setTimer(stallTimeout.toMillis(), id -> {
            // Not once the answer ended some other way (the upstream failed, the client left).
            if (once.compareAndSet(false, true) && !response.ended() && !gone) {
                goneReason = "client read nothing for " + stallTimeout.toSeconds() + " s";
                response.reset();
                clientGone();
            }
        });
        Runnable drained = () -> {
            if (once.compareAndSet(false, true)) {
                vertx.cancelTimer(stall);
                resume.run();
            }
        };
        response.drainHandler(v -> drained.run());
        // It may have drained before the handler was set: then nothing would call it.
        if (!response.writeQueueFull()) {
            drained.run();
        }
    }

    private void clientGone() {
        if (!gone) {
            gone = true;
            onGone.run();
        }
    }
}
