package io.autoflow.gateway.chat;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.autoflow.gateway.api.ErrorCode;
import io.autoflow.gateway.api.GatewayException;
import io.vertx.core.Vertx;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Route step {@code one-turn-per-session}: a session answers one question at a time. Two questions sent at
 * once on a session without an upstream chat would each start an Autoflow chat, and the session would keep
 * only one of them; on a session with a chat they would interleave in it. The later question waits for the
 * earlier answer to end (as in a chat window), up to the longest an answer may take.
 *
 * <p>The chat route runs on the client connection's event loop, which must never block: a free session is
 * taken at once, and only a question that has to wait is handed to a worker thread, where the route then
 * goes on.
 */
public final class SessionTurns extends AsyncProcessorSupport {

    // Weak values: a session's permit lives while a turn holds or waits for it, and no longer.
    private final Cache<String, Semaphore> permits = Caffeine.newBuilder().weakValues().build();
    private final Duration longestWait;
    private final Vertx vertx;

    public SessionTurns(Duration longestWait, Vertx vertx) {
        this.longestWait = longestWait;
        this.vertx = vertx;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Semaphore permit = permits.get(ChatTurn.of(exchange).session().id(), id -> new Semaphore(1, true));
        // A zero wait, unlike tryAcquire(), keeps the fair order: it does not overtake a question already waiting.
        try {
            if (!take(permit, 0)) {
                awaitOnWorker(exchange, permit, callback);
                return false;
            }
            hold(exchange, permit);
        } catch (GatewayException e) {
            exchange.setException(e);
        }
        callback.done(true);
        return true;
    }

    private void awaitOnWorker(Exchange exchange, Semaphore permit, AsyncCallback callback) {
        vertx.executeBlocking(() -> {
            if (!take(permit, longestWait.toMillis())) {
                throw new GatewayException(ErrorCode.UPSTREAM_TIMEOUT, "An earlier question on this session was "
                        + "still being answered after " + longestWait.toSeconds() + " s");
            }
            hold(exchange, permit);
            return null;
        }, false).onComplete(waited -> {
            if (waited.failed()) {
                exchange.setException(waited.cause());
            }
            callback.done(false);
        });
    }

    private static boolean take(Semaphore permit, long waitMillis) {
        try {
            return permit.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(ErrorCode.UPSTREAM_TIMEOUT, "Interrupted while waiting for this session's "
                    + "earlier question");
        }
    }

    // Released when the exchange is done, whichever way it ends; the permit stays referenced till then.
    private static void hold(Exchange exchange, Semaphore permit) {
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                permit.release();
            }
        });
    }
}
