package io.autoflow.gateway.faults;

import java.time.Duration;
import java.util.Properties;

import io.autoflow.gateway.e2e.GatewayClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.autoflow.gateway.faults.FaultyUpstream.hangBeforeHeaders;
import static io.autoflow.gateway.faults.FaultyUpstream.slowFirstByte;
import static io.autoflow.gateway.faults.FaultyUpstream.slowStream;
import static io.autoflow.gateway.faults.FaultyUpstream.stallAfterParts;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three upstream time limits: autoflow.timeout (1 s to the answer's first byte), autoflow.idle-timeout
 * (1 s longest gap between events), autoflow.total-timeout (4 s for the whole answer). Timeouts are never
 * retried, even with retries configured.
 */
class TimeoutTest extends GatewayUnderFaults {

    @Override
    protected void configure(Properties p) {
        p.put("autoflow.timeout", "1");
        p.put("autoflow.idle-timeout", "1");
        p.put("autoflow.total-timeout", "4");
        p.put("autoflow.connect-timeout", "1");
        p.put("autoflow.max-retries", "3");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "/api/rca/chat", "/api/rca/chat/stream" })
    void anUpstreamThatNeverAnswersIsA504AndNotRetried(String path) {
        upstream.then(hangBeforeHeaders(Duration.ofSeconds(20)));
        String session = newSession();

        GatewayClient.Reply r = client.post(path, chatBody(session, "Anyone there?"));

        assertAll(() -> assertError(r, 504, "upstream_timeout"),
                () -> assertEquals(1, upstream.calls(), "timeouts are not retried"));
        assertTurnRecorded(session, "Anyone there?", "failed");
    }

    @Test
    void aSlowStartWithinTheLimitIsAnsweredInFull() {
        upstream.then(slowFirstByte(Duration.ofMillis(250)));

        GatewayClient.Reply r = client.post("/api/rca/chat", chatBody(null, "Slow but fine?"));

        assertEquals(200, r.status(), r.body());
        assertEquals(FaultyUpstream.FULL_TEXT, r.json().path("text").asText(), r.body());
    }

    @Test
    void anAnswerWhoseFirstByteIsLateIsA504AndNotRetried() {
        upstream.then(slowFirstByte(Duration.ofSeconds(20)));

        GatewayClient.Reply r = client.post("/api/rca/chat", chatBody(null, "Headers only?"));

        assertAll(() -> assertError(r, 504, "upstream_timeout"),
                () -> assertEquals(1, upstream.calls(), "timeouts are not retried"));
    }

    @Test
    void aStreamThatStallsEndsWithATimeoutErrorEvent() throws Exception {
        upstream.then(stallAfterParts(3, Duration.ofSeconds(20)));
        String session = newSession();

        GatewayClient.StreamReply s = client.stream("/api/rca/chat/stream", chatBody(session, "Stall?"), e -> { });

        assertEndsWithError(s, "upstream_timeout");
        assertEquals("TiKV write stalls", s.text(), "what came before the stall was relayed: " + s.events());
        assertEquals(1, upstream.calls(), "a stream that began is never retried");
        assertEquals("TiKV write stalls", assertTurnRecorded(session, "Stall?", "failed"), "the partial text is kept");
    }

    @Test
    void aJsonAnswerThatStallsIsA504() {
        upstream.then(stallAfterParts(3, Duration.ofSeconds(20)));
        String session = newSession();

        GatewayClient.Reply r = client.post("/api/rca/chat", chatBody(session, "Stall?"));

        assertAll(() -> assertError(r, 504, "upstream_timeout"),
                () -> assertEquals(1, upstream.calls(), "a stream that began is never retried"));
        assertTurnRecorded(session, "Stall?", "failed");
    }

    @Test
    void aStreamThatTricklesPastTheTotalLimitIsCutOffWithATimeoutErrorEvent() throws Exception {
        // 60 parts 150 ms apart: never idle for 1 s, but 9 s in all, over the 4 s limit.
        upstream.then(slowStream(60, Duration.ofMillis(150)));
        String session = newSession();

        GatewayClient.StreamReply s = client.stream("/api/rca/chat/stream", chatBody(session, "Trickle?"), e -> { });

        assertEndsWithError(s, "upstream_timeout");
        assertFalse(s.textEvents().isEmpty(), "parts before the limit were relayed: " + s.events());
        assertTrue(upstream.awaitClientAbort(Duration.ofSeconds(5)), "the upstream answer is abandoned, not drained");
        assertEquals(1, upstream.calls());
        assertTrue(FaultyUpstream.slowText(60).startsWith(assertTurnRecorded(session, "Trickle?", "failed")));
    }

    @Test
    void aJsonAnswerThatTricklesPastTheTotalLimitIsA504() throws Exception {
        upstream.then(slowStream(60, Duration.ofMillis(150)));

        GatewayClient.Reply r = client.post("/api/rca/chat", chatBody(null, "Trickle?"));

        assertAll(() -> assertError(r, 504, "upstream_timeout"),
                () -> assertEquals(1, upstream.calls(), "upstream calls"));
        assertTrue(upstream.awaitClientAbort(Duration.ofSeconds(5)), "the upstream answer is abandoned, not drained");
    }
}
