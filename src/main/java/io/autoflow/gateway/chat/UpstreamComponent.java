package io.autoflow.gateway.chat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.autoflow.gateway.api.HttpExchanges;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.PfxOptions;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;

/**
 * The {@code upstream:} component behind the route's {@code call-autoflow} step ({@code
 * upstream:{{autoflow.chats-url}}}): POSTs the message body with the message's headers on Vert.x's HTTP client,
 * without holding a thread while Autoflow thinks or streams. The step completes when the response head has
 * arrived: an error's body or a JSON answer's whole body is then in the message as bytes, a streamed answer
 * as an {@link UpstreamStream} that {@code relay-stream} pumps to the client. HTTP/2 to Autoflow (ALPN on
 * https, or h2c when configured) carries many calls on one connection.
 */
public final class UpstreamComponent extends DefaultComponent {

    /** A JSON answer or an error is read whole; this bounds it (a long answer is a few hundred KiB). */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    /** {@code autoflow.http2}: {@code auto} (ALPN on https, HTTP/1.1 on http), {@code h2c}, or {@code off}. */
    public enum Http2 { AUTO, H2C, OFF }

    /**
     * Immutable settings, from {@code autoflow.connect-timeout}, {@code autoflow.pool-timeout},
     * {@code autoflow.pool.*}, {@code autoflow.http2} and {@code autoflow.trust-store*} (a PKCS#12 file whose
     * certificates are then the only ones trusted; null: the JVM's default trust).
     */
    public record Settings(Duration connectTimeout, Duration poolTimeout, int maxConnections, Http2 http2,
            String trustStore, String trustStorePassword) {

        public static Http2 http2(String value) {
            return Http2.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    private final Vertx vertx;
    private final Settings settings;
    private final UpstreamCalls calls;

    public UpstreamComponent(Vertx vertx, Settings settings, UpstreamCalls calls) {
        this.vertx = vertx;
        this.settings = settings;
        this.calls = calls;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new UpstreamEndpoint(uri, this, URI.create(remaining));
    }

    HttpClient client(URI target) {
        boolean tls = "https".equalsIgnoreCase(target.getScheme());
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) settings.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setTcpNoDelay(true);
        if (settings.trustStore() != null) {
            options.setTrustOptions(new PfxOptions().setPath(settings.trustStore())
                    .setPassword(settings.trustStorePassword()));
        }
        if (tls && settings.http2() != Http2.OFF) {
            // ALPN offers h2 and HTTP/1.1; Autoflow's server picks.
            options.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true);
        } else if (!tls && settings.http2() == Http2.H2C) {
            options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
        }
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(settings.maxConnections())
                .setHttp2MaxSize(settings.maxConnections());
        return vertx.createHttpClient(options, pool);
    }

    static final class UpstreamEndpoint extends DefaultEndpoint {

        private final URI target;
        private final VertxInternal vertx;
        private HttpClient client;

        UpstreamEndpoint(String uri, UpstreamComponent component, URI target) {
            super(uri, component);
            this.target = target;
            this.vertx = (VertxInternal) component.vertx;
        }

        @Override
        public UpstreamComponent getComponent() {
            return (UpstreamComponent) super.getComponent();
        }

        @Override
        public boolean isRemote() {
            return true;
        }

        @Override
        public Producer createProducer() {
            return new UpstreamProducer(this);
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException("upstream: only sends");
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            client = getComponent().client(target);
        }

        @Override
        protected void doStop() throws Exception {
            if (client != null) {
                client.close();
            }
            super.doStop();
        }
    }

    static final class UpstreamProducer extends DefaultAsyncProducer {

        private final UpstreamEndpoint endpoint;
        private final UpstreamCalls calls;
        private final long connectionWait;

        UpstreamProducer(UpstreamEndpoint endpoint) {
            super(endpoint);
            this.endpoint = endpoint;
            this.calls = endpoint.getComponent().calls;
            Settings settings = endpoint.getComponent().settings;
            // The wait for a pooled connection, plus connecting when a new one is needed.
            this.connectionWait = settings.poolTimeout().plus(settings.connectTimeout()).toMillis();
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            Message message = exchange.getMessage();
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                    .setAbsoluteURI(endpoint.target.toString()).setConnectTimeout(connectionWait);
            message.getHeaders().forEach((name, value) -> {
                if (value != null && !name.regionMatches(true, 0, "Camel", 0, 5)) {
                    options.putHeader(name, value.toString());
                }
            });
            String callId = message.getHeader(UpstreamCalls.CALL_ID, String.class);
            Buffer body = Buffer.buffer(message.getBody(byte[].class));
            boolean streaming = exchange.getProperty(ChatTurn.STREAMING, false, Boolean.class);
            // The whole call runs on one event loop: Vert.x drops a response's chunks that arrive before its
            // handlers are set, and only a listener running on the request's own context sets them in time.
            ContextInternal context = callContext(exchange);
            context.runOnContext(v -> endpoint.client.request(options)
                    .compose(request -> {
                        if (!calls.attach(callId, request)) {
                            request.reset();
                            return Future.failedFuture(new SocketException("the call was aborted"));
                        }
                        return request.send(body);
                    })
                    .onComplete(sent -> {
                        if (sent.failed()) {
                            exchange.setException(transportFailure(sent.cause()));
                            callback.done(false);
                        } else {
                            answered(exchange, sent.result(), streaming, callback);
                        }
                    }));
            return false;
        }

        /**
         * The client's own connection's event loop when there is one (retries included): the answer is
         * written there, so the relay then writes without waking another loop. Else (a caller other than
         * platform-http) any event loop.
         */
        private ContextInternal callContext(Exchange exchange) {
            HttpServerRequest client = HttpExchanges.request(exchange);
            if (client instanceof HttpServerRequestInternal internal
                    && internal.context() instanceof ContextInternal context && context.isEventLoopContext()) {
                return context;
            }
            return endpoint.vertx.createEventLoopContext();
        }

        // The announced length, so the body is gathered without growing (and copying) its buffer; capped, as a
        // length is only a claim.
        private static int sizeHint(HttpClientResponse response) {
            String length = response.getHeader("Content-Length");
            try {
                return length == null ? 0 : (int) Math.min(Math.max(Long.parseLong(length.trim()), 0L), 1024 * 1024L);
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        private static void answered(Exchange exchange, HttpClientResponse response, boolean streaming,
                AsyncCallback callback) {
            Message message = exchange.getMessage();
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, response.statusCode());
            String retryAfter = response.getHeader("Retry-After");
            if (retryAfter != null) {
                message.setHeader("Retry-After", retryAfter);
            }
            ChatTurn turn = ChatTurn.of(exchange);
            // From the head on, the idle and total deadlines apply, not the first byte's.
            turn.watch().headersReceived();
            if (streaming && response.statusCode() == 200) {
                message.setBody(new UpstreamStream(response, exchange));
                callback.done(false);
                return;
            }
            int expected = sizeHint(response);
            Buffer body = expected > 0 ? Buffer.buffer(expected) : Buffer.buffer();
            response.handler(chunk -> {
                turn.watch().eventReceived();
                if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                    response.request().reset(0, new IOException("Autoflow's answer is over " + MAX_BODY_BYTES + " bytes"));
                } else {
                    body.appendBuffer(chunk);
                }
            });
            response.exceptionHandler(failure -> {
                exchange.setException(AnswerRelay.readFailure(turn, failure));
                callback.done(false);
            });
            response.endHandler(end -> {
                message.setBody(body.getBytes());
                callback.done(false);
            });
        }
    }

    /** Failures before an answer, as the java.net exceptions the retry policy and the error mapping know. */
    static IOException transportFailure(Throwable failure) {
        if (failure instanceof io.netty.channel.ConnectTimeoutException
                || failure instanceof java.util.concurrent.TimeoutException) {
            HttpConnectTimeoutException timeout = new HttpConnectTimeoutException("no connection to Autoflow in time");
            timeout.initCause(failure);
            return timeout;
        }
        // A TLS failure (an untrusted certificate) stays one: retrying it would not help.
        if (failure instanceof UnknownHostException || failure instanceof ConnectException
                || failure instanceof SocketException || failure instanceof javax.net.ssl.SSLException) {
            return (IOException) failure;
        }
        SocketException closed = new SocketException("the connection to Autoflow closed before its answer");
        closed.initCause(failure);
        return closed;
    }
}
