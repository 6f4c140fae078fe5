package io.autoflow.gateway.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoflow.gateway.simulator.AutoflowSimulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Shared assertions of the end-to-end tests: what the contract promises a client sees. */
public final class Expect {

    private Expect() {
    }

    /**
     * The contract's error answer: the status, {@code {"error": {"code", "message", "request_id"}}} and an
     * {@code X-Request-Id} header equal to the body's request id.
     */
    static JsonNode error(GatewayClient.Reply reply, int status, String code) {
        assertEquals(status, reply.status(), reply.body());
        JsonNode error = reply.json().path("error");
        assertTrue(error.isObject(), "error body: " + reply.body());
        assertEquals(code, error.path("code").asText(), reply.body());
        assertTrue(error.path("message").isTextual() && !error.path("message").asText().isBlank(), reply.body());
        assertTrue(error.path("request_id").isTextual() && !error.path("request_id").asText().isBlank(), reply.body());
        assertEquals(error.path("request_id").asText(), reply.header("X-Request-Id"),
                "the X-Request-Id header names the same request as the body");
        assertTrue(reply.header("Content-Type").startsWith("application/json"), reply.header("Content-Type"));
        return error;
    }

    /** The chat requests the simulator received whose newest message is {@code question}, oldest first. */
    static List<JsonNode> upstreamRequestsFor(AutoflowSimulator simulator, String question) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : simulator.receivedChatRequests()) {
            JsonNode messages = r.path("messages");
            if (messages.size() > 0 && question.equals(messages.get(messages.size() - 1).path("content").asText())) {
                out.add(r);
            }
        }
        return out;
    }

    /** The last chat request the simulator received for {@code question}; fails if there is none. */
    static JsonNode upstreamRequestFor(AutoflowSimulator simulator, String question) {
        List<JsonNode> all = upstreamRequestsFor(simulator, question);
        assertFalse(all.isEmpty(), "the upstream never got the question: " + question);
        return all.get(all.size() - 1);
    }

    /** The session's messages as [role, content, status] for readable failure messages. */
    static List<List<String>> messages(JsonNode session) {
        List<List<String>> out = new ArrayList<>();
        for (JsonNode m : session.path("messages")) {
            assertNotNull(m.get("created_at"), "every message has created_at: " + m);
            out.add(List.of(m.path("role").asText(), m.path("content").asText(), m.path("status").asText()));
        }
        return out;
    }

    /**
     * Polls {@code probe} until {@code done} accepts its value, for effects that happen on the server after
     * the client's call returned. Bounded; fails with {@code what} and the last value seen.
     */
    public static <T> T eventually(Supplier<T> probe, Predicate<T> done, Duration limit, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                fail("not within " + limit.toSeconds() + " s: " + what + "; last seen: " + last);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            last = probe.get();
        }
        return last;
    }
}
