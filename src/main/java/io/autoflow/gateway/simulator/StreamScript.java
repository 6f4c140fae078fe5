package io.autoflow.gateway.simulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.autoflow.gateway.simulator.ChatStore.Turn;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Writes one streamed answer in the built-in engine's order and framing, pacing text parts with
 * Vert.x timers. Everything runs on the request's event loop, so no locking is needed; once the
 * client goes away the pending timer is cancelled and nothing more is written.
 */
final class StreamScript {

    static final String GENERATION_ERROR = "Encountered an error while processing the chat. Please try again later.";
    /** Text parts sent before a {@code [sim:truncate]} stream stops. */
    static final int TRUNCATE_AFTER = 5;

    private record Step(long delayMs, Supplier<String> line) {
    }

    private final Vertx vertx;
    private final HttpServerResponse response;
    private final Consumer<String> onEnd;
    private final Deque<Step> steps = new ArrayDeque<>();
    private long timerId = -1;
    private boolean stopped;

    StreamScript(Vertx vertx, HttpServerResponse response, Payloads payloads, ChatStore store, Turn turn,
                 ChatHandler.Triggers triggers, long firstTokenDelayMs, long tokenDelayMs, Consumer<String> onEnd) {
        this.vertx = vertx;
        this.response = response;
        this.onEnd = onEnd;
        plan(payloads, store, turn, triggers, firstTokenDelayMs, tokenDelayMs);
    }

    private void plan(Payloads p, ChatStore store, Turn turn, ChatHandler.Triggers triggers,
                      long firstDelay, long tokenDelay) {
        String start = p.line('2', p.dataPart(turn.chat(), turn.user(), turn.assistant()));
        now(() -> start);
        annotation(p, "KG_RETRIEVAL", "Identifying The Question's Intents and Perform Knowledge Graph Search", "");
        if (triggers.errorMidStream()) {
            now(() -> {
                store.fail(turn, GENERATION_ERROR);
                return p.line('3', GENERATION_ERROR);
            });
            return;
        }
        annotation(p, "REFINE_QUESTION", "Query Rewriting for Enhanced Information Retrieval", "");
        annotation(p, "REFINE_QUESTION", "", CannedAnswer.refined(turn.question()));
        annotation(p, "SEARCH_RELATED_DOCUMENTS", "Retrieving the Most Relevant Documents", "");
        String sources = p.line('8', p.annotation("SOURCE_NODES", "", p.sources(CannedAnswer.SOURCES), ""));
        now(() -> sources);
        annotation(p, "GENERATE_ANSWER", "Generating a Precise Answer with AI", "");

        String text = CannedAnswer.text(turn.question(), turn.earlierMessages());
        List<String> tokens = CannedAnswer.tokens(text);
        int count = triggers.truncate() ? Math.min(TRUNCATE_AFTER, tokens.size() - 1) : tokens.size();
        for (int i = 0; i < count; i++) {
            String line = p.line('0', tokens.get(i));
            steps.add(new Step(i == 0 ? firstDelay : tokenDelay, () -> line));
        }
        if (triggers.truncate()) {
            return;
        }
        annotation(p, "FINISHED", "", "");
        now(() -> {
            Turn done = store.finish(turn, text, CannedAnswer.SOURCES);
            return p.line('2', p.dataPart(done.chat(), done.user(), done.assistant()));
        });
    }

    private void annotation(Payloads p, String state, String display, String message) {
        String line = p.line('8', p.annotation(state, display, JsonNodeFactory.instance.nullNode(), message));
        now(() -> line);
    }

    private void now(Supplier<String> line) {
        steps.add(new Step(0, line));
    }

    /** Sends the status and headers at once, then plays the steps. Call on the request's event loop. */
    void start() {
        response.setStatusCode(200)
                .setChunked(true)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("x-content-type-options", "nosniff");
        response.closeHandler(v -> stop());
        response.exceptionHandler(e -> stop());
        response.writeHead();
        next();
    }

    private void next() {
        while (!stopped) {
            Step step = steps.poll();
            if (step == null) {
                stopped = true;
                if (!response.closed()) {
                    response.end();
                }
                onEnd.accept("completed");
                return;
            }
            if (step.delayMs() > 0) {
                timerId = vertx.setTimer(step.delayMs(), id -> {
                    timerId = -1;
                    if (write(step)) {
                        next();
                    }
                });
                return;
            }
            if (!write(step)) {
                return;
            }
        }
    }

    private boolean write(Step step) {
        if (stopped || response.closed()) {
            stop();
            return false;
        }
        response.write(step.line().get());
        return true;
    }

    /** The client went away: cancel the pending timer so nothing more is written. */
    private void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (timerId != -1) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
        onEnd.accept("aborted");
    }
}
