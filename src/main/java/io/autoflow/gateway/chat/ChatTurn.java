package io.autoflow.gateway.chat;

import java.time.Instant;
import java.util.UUID;

import io.autoflow.gateway.api.ChatRequest;
import io.autoflow.gateway.api.GatewayException;
import io.autoflow.gateway.autoflow.AnswerAssembler;
import io.autoflow.gateway.session.Session;
import io.autoflow.gateway.streaming.SseChannel;
import org.apache.camel.Exchange;

/**
 * One question and its answer as it moves through the pipeline. Kept as a single exchange property so
 * the circuit breaker's exchange copy shares it with the original.
 */
public final class ChatTurn {

    public static final String PROPERTY = "chatTurn";
    /** Whether the answer streams, as a plain property for the route's choice: reading chatTurn.streaming
     *  there runs the bean language, which introspects ChatTurn on every request (seen in a profile). */
    public static final String STREAMING = "streaming";

    /** How the turn ended, as the session records it. */
    public enum Status { PENDING, COMPLETE, INTERRUPTED, FAILED }

    private final String requestId;
    private final String clientId;
    private final ChatRequest request;
    private final SseChannel channel;
    private final String messageId = "msg_" + UUID.randomUUID().toString().replace("-", "");
    private final Instant startedAt;
    private final long startNanos = System.nanoTime();
    private volatile Session session;
    private volatile boolean sessionCreated;
    private volatile AnswerAssembler answer = new AnswerAssembler();
    private volatile int promptTokens;
    private volatile int completionTokens;
    private volatile long firstTokenNanos = -1;
    private volatile Status status = Status.PENDING;
    private volatile String failure;
    private volatile boolean recorded;
    private volatile GatewayException abortReason;
    private volatile UpstreamDeadlines.Watch watch;

    public ChatTurn(String requestId, String clientId, ChatRequest request, SseChannel channel, Instant startedAt) {
        this.requestId = requestId;
        this.clientId = clientId;
        this.request = request;
        this.channel = channel;
        this.startedAt = startedAt;
    }

    public static ChatTurn of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, ChatTurn.class);
    }

    public String requestId() {
        return requestId;
    }

    public String clientId() {
        return clientId;
    }

    public ChatRequest request() {
        return request;
    }

    /** The client's SSE channel; null for JSON answers. */
    public SseChannel channel() {
        return channel;
    }

    public String messageId() {
        return messageId;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    public Session session() {
        return session;
    }

    public void session(Session value, boolean created) {
        this.session = value;
        this.sessionCreated |= created;
    }

    public void session(Session value) {
        this.session = value;
    }

    public boolean sessionCreated() {
        return sessionCreated;
    }

    public AnswerAssembler answer() {
        return answer;
    }

    /** A recovered turn asks again from scratch: what the lost chat streamed does not count. */
    public void restartAnswer() {
        answer = new AnswerAssembler();
        firstTokenNanos = -1;
    }

    public int promptTokens() {
        return promptTokens;
    }

    public void promptTokens(int value) {
        promptTokens = value;
    }

    /** Counted once, when the turn is recorded; the answer's usage and the metrics read it. */
    public int completionTokens() {
        return completionTokens;
    }

    public void completionTokens(int value) {
        completionTokens = value;
    }

    public void firstToken() {
        if (firstTokenNanos < 0) {
            firstTokenNanos = System.nanoTime() - startNanos;
        }
    }

    /** Nanoseconds from the request to the first answer text, or -1 when none came. */
    public long firstTokenNanos() {
        return firstTokenNanos;
    }

    public Status status() {
        return status;
    }

    public String failure() {
        return failure;
    }

    public void complete() {
        status = Status.COMPLETE;
    }

    public void interrupted(String why) {
        status = Status.INTERRUPTED;
        failure = why;
    }

    public void failed(String why) {
        status = Status.FAILED;
        failure = why;
    }

    /**
     * The gateway aborted the upstream call (a deadline passed, or it is shutting down); the client is
     * told this reason rather than the read failure the abort causes. The first reason wins.
     */
    public synchronized void abort(GatewayException reason) {
        if (abortReason == null) {
            abortReason = reason;
        }
    }

    public GatewayException abortReason() {
        return abortReason;
    }

    /** The deadlines of the current attempt; a new attempt replaces (and closes) the previous one. */
    public void watch(UpstreamDeadlines.Watch value) {
        UpstreamDeadlines.Watch previous = watch;
        if (previous != null) {
            previous.close();
        }
        watch = value;
    }

    public UpstreamDeadlines.Watch watch() {
        return watch;
    }

    /** True the first time only, so a turn is written to its session once whichever path ends it. */
    public synchronized boolean markRecorded() {
        if (recorded) {
            return false;
        }
        recorded = true;
        return true;
    }
}
