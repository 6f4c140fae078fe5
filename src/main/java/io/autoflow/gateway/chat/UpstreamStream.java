package io.autoflow.gateway.chat;

import io.vertx.core.http.HttpClientResponse;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Autoflow's streamed answer as the {@code call-autoflow} step leaves it in the message body: the response
 * head has arrived and the body waits, paused, for the {@code relay-stream} step. If the exchange ends
 * before the body was read to its end, the call is reset so its connection (or HTTP/2 stream) is freed.
 */
public final class UpstreamStream {

    private final HttpClientResponse response;
    private volatile boolean ended;

    UpstreamStream(HttpClientResponse response, Exchange exchange) {
        this.response = response;
        response.pause();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                abort();
            }
        });
    }

    public HttpClientResponse response() {
        return response;
    }

    /**
     * Frees the connection (HTTP/1.1) or the stream (HTTP/2) instead of reading the rest; nothing once the
     * body was read to its end, when resetting would close a connection the pool could reuse.
     */
    public void abort() {
        if (!ended) {
            response.request().reset();
        }
    }

    /** The body was read to its end: the connection goes back to the pool as it is. */
    public void ended() {
        ended = true;
    }
}
