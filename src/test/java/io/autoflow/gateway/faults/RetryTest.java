package io.autoflow.gateway.faults;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import io.autoflow.gateway.e2e.GatewayClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.autoflow.gateway.faults.FaultyUpstream.ok;
import static io.autoflow.gateway.faults.FaultyUpstream.resetConnection;
import static io.autoflow.gateway.faults.FaultyUpstream.status;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which upstream failures the gateway retries (with autoflow.max-retries = 3, so 1 + 3 calls), what the
 * client gets once they are exhausted, and which failures are never retried.
 */
class RetryTest extends GatewayUnderFaults {

    private static final int MAX_RETRIES = 3;

    @Override
    protected void configure(Properties p) {
        p.put("autoflow.max-retries", Integer.toString(MAX_RETRIES));
    }

    static Stream<Arguments> retriedFailures() {
        return Stream.of(
                Arguments.of(status(500), 502, "upstream_error"),
                Arguments.of(status(502), 502, "upstream_error"),
                Arguments.of(resetConnection(), 502, "upstream_error"),
                Arguments.of(status(503), 503, "upstream_unavailable"),
                Arguments.of(status(429), 503, "upstream_unavailable"),
                Arguments.of(status(504), 504, "upstream_timeout"));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("retriedFailures")
    void aFailureThatPersistsIsRetriedThenAnswered(FaultyUpstream.Behaviour failure, int status, String code) {
        for (int i = 0; i <= MAX_RETRIES; i++) {
            upstream.then(failure);
        }
        String session = newSession();

        GatewayClient.Reply r = client.post("/api/rca/chat", chatBody(session, "Why are writes slow?"));

        assertAll(() -> assertError(r, status, code),
                () -> assertEquals(1 + MAX_RETRIES, upstream.calls(), "one call and " + MAX_RETRIES + " retries"));
        if (status == 503) {
            assertNotNull(r.header("Retry-After"), "503 tells the client when to come back");
        }
        assertEquals(1, new HashSet<>(upstream.bodies()).size(), "every retry asks the same: " + upstream.bodies());
        assertTurnRecorded(session, "Why are writes slow?", "failed");
    }

    @Test
    void aPassingFailureIsRetriedAway() {
        upstream.then(status(503), status(503), ok());

        GatewayClient.Reply r = client.post("/api/rca/chat", chatBody(null, "Is PD healthy?"));

        assertAll(() -> assertEquals(200, r.status(), r.body()),
                () -> assertEquals(3, upstream.calls(), "upstream calls"));
        assertEquals(FaultyUpstream.FULL_TEXT, r.json().path("text").asText(), r.body());
    }

    @Test
    void aRetryBeforeTheStreamBeganIsInvisibleToTheStreamingClient() throws Exception {
        upstream.then(resetConnection(), status(502), ok());

        GatewayClient.StreamReply s = client.stream("/api/rca/chat/stream", chatBody(null, "Hot regions?"), e -> { });

        assertAll(() -> assertEquals(200, s.status(), s.events().toString()),
                () -> assertEquals(3, upstream.calls(), "upstream calls"));
        assertEquals(FaultyUpstream.FULL_TEXT, s.text(), s.events().toString());
        assertEquals(1, s.named("done").size(), s.events().toString());
        assertTrue(s.events().stream().noneMatch(e -> e.data().contains("\"error\"")), s.events().toString());
    }

    @Test
    void aStreamThatFailsBeforeItBeganIsAnErrorAnswerNotAStream() {
        for (int i = 0; i <= MAX_RETRIES; i++) {
            upstream.then(status(500));
        }

        GatewayClient.Reply r = client.post("/api/rca/chat/stream", chatBody(null, "Hot regions?"));

        assertAll(() -> assertError(r, 502, "upstream_error"),
                () -> assertEquals(1 + MAX_RETRIES, upstream.calls(), "upstream calls"));
    }

    @Test
    void aShortRetryAfterIsWaitedForAndRetried() {
        upstream.then(status(429, Map.of("Retry-After", "1"), "{\"detail\":\"Too Many Requests\"}"), ok());

        GatewayClient.Reply r = client.post("/api/rca/chat", chatBody(null, "TiFlash lag?"));

        assertAll(() -> assertEquals(200, r.status(), r.body()),
                () -> assertEquals(2, upstream.calls(), "upstream calls"));
    }

    @ParameterizedTest(name = "upstream {0} with Retry-After 30")
    @ValueSource(ints = { 503, 429 })
    void aRetryAfterLongerThanTheLimitIsPassedOnNotWaitedFor(int upstreamStatus) {
        upstream.then(status(upstreamStatus, Map.of("Retry-After", "30"), "{\"detail\":\"busy\"}"), ok());

        GatewayClient.Reply r = client.post("/api/rca/chat", chatBody(null, "Busy?"));

        assertAll(() -> assertError(r, 503, "upstream_unavailable"),
                () -> assertEquals(1, upstream.calls(), "30 s is over autoflow.retry.max-retry-after (10 s): not retried"));
        assertEquals("30", r.header("Retry-After"), "the upstream's own Retry-After reaches the client");
    }

    @Test
    void anUpstreamValidationErrorIsTheClientsBadRequestAndNotRetried() {
        upstream.then(status(422, Map.of(), "{\"detail\":[{\"type\":\"value_error\",\"loc\":[\"body\",\"messages\"],"
                + "\"msg\":\"Value error, last message must be from user\",\"input\":[],\"ctx\":{\"error\":{}}}]}"));

        GatewayClient.Reply r = client.post("/api/rca/chat", chatBody(null, "Which TiDB version?"));

        assertAll(() -> assertError(r, 400, "invalid_request"),
                () -> assertEquals(1, upstream.calls(), "upstream calls"));
        assertTrue(r.json().path("error").path("message").asText().contains("last message must be from user"), r.body());
    }

    @ParameterizedTest(name = "upstream {0}")
    @ValueSource(ints = { 401, 403 })
    void aRefusedKeyIsAnUpstreamErrorNotRetriedAndTheKeyStaysSecret(int upstreamStatus) {
        upstream.then(status(upstreamStatus, Map.of(), upstreamStatus == 401 ? "{\"detail\":\"Unauthorized\"}"
                : "{\"detail\":\"Forbidden\"}"));
        String session = newSession();

        GatewayClient.Reply r = client.post("/api/rca/chat", chatBody(session, "Region balance?"));

        assertAll(() -> assertError(r, 502, "upstream_error"),
                () -> assertEquals(1, upstream.calls(), "a refused key stays refused: not retried"));
        assertEquals(List.of("Bearer " + UPSTREAM_KEY), upstream.authorizations(), "the gateway did send its key");
        assertFalse(r.body().contains(UPSTREAM_KEY), r.body());
        assertFalse(r.body().contains(UPSTREAM_KEY.substring(3, 20)), "not even part of it: " + r.body());
        assertTrue(r.headers().map().values().stream().flatMap(List::stream).noneMatch(v -> v.contains(UPSTREAM_KEY)),
                r.headers().toString());
        assertTurnRecorded(session, "Region balance?", "failed");
    }

    @Test
    void notFoundOnAFirstTurnIsAnUpstreamErrorAndNotRetried() {
        upstream.then(status(404, Map.of(), "{\"detail\":\"Not Found\"}"));

        GatewayClient.Reply r = client.post("/api/rca/chat", chatBody(null, "Where did it go?"));

        assertAll(() -> assertError(r, 502, "upstream_error"),
                () -> assertEquals(1, upstream.calls(), "upstream calls"));
    }
}
