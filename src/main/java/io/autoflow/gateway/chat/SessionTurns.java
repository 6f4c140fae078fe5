package io.autoflow.gateway.chat;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.autoflow.gateway.api.ErrorCode;
import io.autoflow.gateway.api.GatewayException;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Route step {@code one-turn-per-session}: a session answers one question at a time. Two questions sent at
 * once on a session without an upstream chat would each start an Autoflow chat, and the session would keep
 * only one of them; on a session with a chat they would interleave in it. The later question waits for the
 * earlier answer to end (as in a chat window), up to the longest an answer may take.
 */
public final class SessionTurns {

    // Weak values: a session's permit lives while a turn holds or waits for it, and no longer.
    private final Cache<String, Semaphore> permits = Caffeine.newBuilder().weakValues().build();
    private final Duration longestWait;

    public SessionTurns(Duration longestWait) {
        this.longestWait = longestWait;
    }

    public void acquire(Exchange exchange) throws InterruptedException {
        ChatTurn turn = ChatTurn.of(exchange);
        Semaphore permit = permits.get(turn.session().id(), id -> new Semaphore(1, true));
        if (!permit.tryAcquire(longestWait.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new GatewayException(ErrorCode.UPSTREAM_TIMEOUT, "An earlier question on this session was still "
                    + "being answered after " + longestWait.toSeconds() + " s");
        }
        // Released when the exchange is done, whichever way it ends; the permit stays referenced till then.
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                permit.release();
            }
        });
    }
}
