package io.autoflow.gateway.observability;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Counts every API request once, when its exchange completes: the REST entry route names the endpoint
 * ({@code rest-chat-stream} is {@code chat-stream}), a bounded label. Streams complete when they end, so
 * their duration is the whole answer.
 */
public final class RequestMetrics extends EventNotifierSupport {

    public static final String RESPONSE_BYTES = "gateway.responseBytes";
    private static final String REST_PREFIX = "rest-";
    private static final String COUNTED = "gateway.requestCounted";
    private final GatewayMetrics metrics;

    public RequestMetrics(GatewayMetrics metrics) {
        this.metrics = metrics;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeCompletedEvent || event instanceof CamelEvent.ExchangeFailedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
        String route = exchange.getFromRouteId();
        // Copies (the circuit breaker's) complete too, correlated to the client's exchange: count only that
        // one, and once (the notifier can be told of the same completion twice).
        String correlation = exchange.getProperty(Exchange.CORRELATION_ID, String.class);
        if (route == null || !route.startsWith(REST_PREFIX)
                || correlation != null && !correlation.equals(exchange.getExchangeId())
                || exchange.getProperty(COUNTED) != null) {
            return;
        }
        exchange.setProperty(COUNTED, Boolean.TRUE);
        int status = exchange.isFailed() ? 500
                : exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        long bytes = exchange.getProperty(RESPONSE_BYTES, -1L, Long.class);
        long nanos = exchange.getClock().elapsed() * 1_000_000L;
        metrics.request(route.substring(REST_PREFIX.length()), status, nanos, bytes);
    }
}
