package io.autoflow.gateway.chat;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.autoflow.gateway.api.GatewayException;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.Header;

/**
 * Keeps a handle on each upstream call in flight, so the gateway can abort it from another thread: when
 * a deadline passes, the client goes, or the gateway shuts down, before or while Autoflow answers. Calls
 * are found by the request id the gateway sends upstream as {@code X-Request-Id}.
 */
public final class UpstreamCalls implements HttpClientConfigurer {

    public static final String CALL_ID = "X-Request-Id";

    private static final class Call {
        final ChatTurn turn;
        volatile ExecRuntime runtime;

        Call(ChatTurn turn) {
            this.turn = turn;
        }
    }

    private final Cache<String, Call> inFlight;

    public UpstreamCalls(Duration longestCall) {
        // Expiry only guards against a call never forgotten; forget() is the normal way out.
        this.inFlight = Caffeine.newBuilder().expireAfterWrite(longestCall.plusMinutes(1)).build();
    }

    /** Called as an attempt is prepared; the HTTP client attaches its connection handle when it runs. */
    public void track(ChatTurn turn) {
        inFlight.put(turn.requestId(), new Call(turn));
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addExecInterceptorFirst("gateway-call-handles", (request, scope, chain) -> {
            Header id = request.getFirstHeader(CALL_ID);
            Call call = id == null ? null : inFlight.getIfPresent(id.getValue());
            if (call != null) {
                call.runtime = scope.execRuntime;
            }
            return chain.proceed(request, scope);
        });
    }

    /** Closes the call's connection at once: a blocked connect or read fails instead of waiting. */
    public void abort(String callId) {
        Call call = inFlight.asMap().remove(callId);
        if (call != null && call.runtime != null) {
            call.runtime.discardEndpoint();
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
