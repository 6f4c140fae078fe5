package io.autoflow.gateway.chat;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;

/**
 * The one retry policy for calls to Autoflow, used by the {@code autoflow-call} route's error handler.
 * Only failures before any answer byte are retried: connection
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
        // The wait is a scheduled task, not a sleeping thread: failures arrive on the upstream client's event loop.
        policy.setAsyncDelayedRedelivery(true);
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
            if (!retryable(failure)) {
                return false;
            }
            waitAtLeastRetryAfter(exchange, failure, failedAttempts);
            return true;
        };
    }

    /**
     * Where Autoflow's Retry-After asks for longer than the backoff, the next attempt waits that long: Camel
     * reads the delay from this header, and the wait is a scheduled task, so no thread sleeps through it.
     */
    private void waitAtLeastRetryAfter(Exchange exchange, Throwable failure, int failedAttempts) {
        exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UpstreamRetryableException r && r.retryAfter() != null) {
                double backoff = settings.initialDelay().toMillis() * Math.pow(settings.multiplier(), failedAttempts - 1);
                long delay = (long) Math.min(backoff, settings.maxDelay().toMillis());
                exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, Math.max(delay, r.retryAfter().toMillis()));
                return;
            }
        }
    }

    boolean retryable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UpstreamRetryableException r) {
                return r.retryAfter() == null || r.retryAfter().compareTo(settings.maxRetryAfter()) <= 0;
            }
            if (t instanceof UpstreamAnswerException) {
                return false;
            }
            // UpstreamComponent reports every failure before an answer as one of these.
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException
                    || t instanceof SocketException) {
                return true;
            }
        }
        return false;
    }
}
