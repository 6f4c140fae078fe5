package io.autoflow.gateway.chat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;

/**
 * The one retry policy for calls to Autoflow, used by the {@code autoflow-call} route's error handler
 * (HttpClient's own retries are off). Only failures before any answer byte are retried: connection
 * refused, reset or timed out while connecting, no response, 429 and 5xx. Never another 4xx, never a
 * read timeout, never a stream that already began (those arrive as {@link UpstreamAnswerException}).
 */
public final class UpstreamRetry {

    /** Immutable settings, from {@code autoflow.max-retries} and {@code autoflow.retry.*}. */
    public record Settings(int maxRetries, Duration initialDelay, double multiplier, Duration maxDelay,
            Duration maxRetryAfter) {
    }

    private final Settings settings;

    public UpstreamRetry(Settings settings) {
        this.settings = settings;
    }

    /** Exponential backoff with Camel's collision avoidance (±15 % jitter) between attempts. */
    public RedeliveryPolicy redeliveryPolicy() {
        RedeliveryPolicy policy = new RedeliveryPolicy();
        policy.setMaximumRedeliveries(settings.maxRetries());
        policy.setRedeliveryDelay(settings.initialDelay().toMillis());
        policy.setUseExponentialBackOff(true);
        policy.setBackOffMultiplier(settings.multiplier());
        policy.setMaximumRedeliveryDelay(settings.maxDelay().toMillis());
        policy.setUseCollisionAvoidance(true);
        policy.setRetryAttemptedLogLevel(org.apache.camel.LoggingLevel.WARN);
        policy.setLogStackTrace(false);
        policy.setLogRetryStackTrace(false);
        policy.setLogExhausted(false);
        policy.setLogHandled(false);
        return policy;
    }

    /** {@code retryWhileRef}: is this failure safe and worth one more attempt? */
    public Predicate retryWhile() {
        return exchange -> {
            // Camel counts the attempt that just failed before asking, so the first ask sees 1.
            int failedAttempts = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
            if (failedAttempts > settings.maxRetries()) {
                return false;
            }
            ChatTurn turn = ChatTurn.of(exchange);
            if (turn != null && (turn.abortReason() != null
                    || turn.channel() != null && (turn.channel().isOpen() || turn.channel().isGone()))) {
                return false;
            }
            Throwable failure = exchange.getException() != null ? exchange.getException()
                    : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            return retryable(failure);
        };
    }

    /** {@code onRedeliveryRef}: waits out the upstream's Retry-After where it asks for longer than the backoff. */
    public Processor honourRetryAfter() {
        return exchange -> {
            Throwable failure = exchange.getException() != null ? exchange.getException()
                    : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            if (failure instanceof UpstreamRetryableException r && r.retryAfter() != null) {
                long waited = exchange.getIn().getHeader(Exchange.REDELIVERY_DELAY, 0L, Long.class);
                long extra = r.retryAfter().toMillis() - waited;
                if (extra > 0) {
                    Thread.sleep(extra);
                }
            }
        };
    }

    boolean retryable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UpstreamRetryableException r) {
                return r.retryAfter() == null || r.retryAfter().compareTo(settings.maxRetryAfter()) <= 0;
            }
            if (t instanceof UpstreamAnswerException) {
                return false;
            }
            if (t instanceof ConnectException || t instanceof ConnectTimeoutException
                    || t instanceof NoHttpResponseException) {
                return true;
            }
            if (t instanceof SocketException && !(t instanceof java.net.SocketTimeoutException)) {
                return true;
            }
            if (t instanceof IOException && t.getClass().getName().startsWith("org.apache.hc.")
                    && !(t instanceof java.net.SocketTimeoutException)) {
                return t.getMessage() != null && t.getMessage().toLowerCase().contains("reset");
            }
        }
        return false;
    }
}
