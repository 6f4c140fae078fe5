package io.autoflow.gateway.chat;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.autoflow.gateway.api.GatewayException;
import io.vertx.core.http.HttpClientRequest;

/**
 * Keeps a handle on each upstream call in flight, so the gateway can abort it from another thread: when
 * a deadline passes, the client goes, or the gateway shuts down, before or while Autoflow answers. Calls
 * are found by the request id the gateway sends upstream as {@code X-Request-Id}.
 */
public final class UpstreamCalls {

    public static final String CALL_ID = "X-Request-Id";

    private static final class Call {
        final ChatTurn turn;
        private HttpClientRequest request;
        private boolean aborted;

        Call(ChatTurn turn) {
            this.turn = turn;
        }

        synchronized boolean attach(HttpClientRequest sent) {
            request = sent;
            return !aborted;
        }

        void abort() {
            HttpClientRequest sent;
            synchronized (this) {
                aborted = true;
                sent = request;
            }
            if (sent != null) {
                // HTTP/1.1: closes the connection; HTTP/2: resets only this call's stream.
                sent.reset();
            }
        }
    }

    private final Cache<String, Call> inFlight;

    public UpstreamCalls(Duration longestCall) {
        // Expiry only guards against a call never forgotten; forget() is the normal way out.
        this.inFlight = Caffeine.newBuilder().expireAfterWrite(longestCall.plusMinutes(1)).build();
    }

    /** Called as an attempt is prepared; the client attaches its request once it has a connection. */
    public void track(ChatTurn turn) {
        inFlight.put(turn.requestId(), new Call(turn));
    }

    /** @return false when the call was aborted while it waited for a connection: the caller resets it */
    public boolean attach(String callId, HttpClientRequest request) {
        Call call = callId == null ? null : inFlight.getIfPresent(callId);
        return call == null || call.attach(request);
    }

    /** Ends the call at once: a pending connect or read fails instead of waiting. */
    public void abort(String callId) {
        // Kept until forget(): a request still waiting for its connection must find itself aborted.
        Call call = inFlight.getIfPresent(callId);
        if (call != null) {
            call.abort();
        }
    }

    /** Ends every call in flight, telling each turn why (used when shutdown's grace period is over). */
    public int abortAll(GatewayException reason) {
        int aborted = 0;
        for (String id : inFlight.asMap().keySet()) {
            Call call = inFlight.getIfPresent(id);
            if (call != null) {
                call.turn.abort(reason);
                abort(id);
                aborted++;
            }
        }
        return aborted;
    }

    public void forget(String callId) {
        inFlight.invalidate(callId);
    }
}
