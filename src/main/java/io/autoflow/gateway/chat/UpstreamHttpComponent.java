package io.autoflow.gateway.chat;

import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.client5.http.socket.ConnectionSocketFactory;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.config.Registry;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;

/**
 * camel-http with smaller connection buffers. HttpClient gives every connection an 8 KiB input and an 8 KiB
 * output buffer, and an open stream holds its connection for the whole answer: at thousands of streams that
 * is a quarter of the heap each stream costs. Reads larger than 512 bytes bypass the input buffer anyway, and
 * the request is written once, so small buffers cost no extra system calls on the hot path.
 */
public final class UpstreamHttpComponent extends HttpComponent {

    private final int bufferSize;

    public UpstreamHttpComponent(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    /** As camel-http's own, with a connection factory of our buffer size. */
    @Override
    protected HttpClientConnectionManager createConnectionManager(Registry<ConnectionSocketFactory> registry,
            int maxTotalConnections, int connectionsPerRoute, SocketConfig socketConfig) {
        ManagedHttpClientConnectionFactory connections = ManagedHttpClientConnectionFactory.builder()
                .http1Config(Http1Config.custom().setBufferSize(bufferSize).build())
                .build();
        PoolingHttpClientConnectionManager manager = new PoolingHttpClientConnectionManager(registry,
                PoolConcurrencyPolicy.STRICT, TimeValue.ofMilliseconds(getConnectionTimeToLive()), connections);
        int maxTotal = maxTotalConnections != 0 ? maxTotalConnections : getMaxTotalConnections();
        if (maxTotal > 0) {
            manager.setMaxTotal(maxTotal);
        }
        manager.setDefaultSocketConfig(socketConfig);
        int perRoute = connectionsPerRoute != 0 ? connectionsPerRoute : getConnectionsPerRoute();
        if (perRoute > 0) {
            manager.setDefaultMaxPerRoute(perRoute);
        }
        return manager;
    }
}
