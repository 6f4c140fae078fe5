package io.autoflow.gateway.e2e;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoflow.gateway.Application;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /api/rca/chat/stream as deep-chat and other SSE clients see it, with a visibly paced upstream. */
@CamelMainTest(mainClass = Application.class, properties = { "camel.server.port=0", "camel.management.port=0",
        "autoflow.simulator.token-delay=0.05", "autoflow.simulator.first-token-delay=0.05",
        "gateway.rate-limit.burst=1000", "gateway.rate-limit.per-minute=6000" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingTest {

    private static final long TOKEN_DELAY_NANOS = Duration.ofMillis(50).toNanos();
    private static final String QUESTION = "Why did p99 latency jump after the TiDB upgrade?";
    /** The simulator's text parts: word-sized, each with its leading whitespace. */
    private static final Pattern PART = Pattern.compile("\\s*\\S+");

    @BeanInject
    CamelContext context;

    private GatewayClient client;
    private GatewayClient.StreamReply answer;

    @BeforeEach
    void client() {
        client = new GatewayClient(context);
    }

    /** One complete streamed answer, shared by the tests that only read it. */
    private synchronized GatewayClient.StreamReply answer() throws Exception {
        if (answer == null) {
            answer = client.stream("/api/rca/chat/stream", "{\"message\":\"" + QUESTION + "\"}", e -> { });
        }
        return answer;
    }

    @Test
    void answersWithAnEventStreamAndItsHeaders() throws Exception {
        GatewayClient.StreamReply s = answer();

        assertEquals(200, s.status());
        assertTrue(s.header("Content-Type").startsWith("text/event-stream"), s.header("Content-Type"));
        assertEquals("no-cache", s.header("Cache-Control"));
        assertEquals("no", s.header("X-Accel-Buffering"));
        assertFalse(s.header("X-Session-Id").isBlank());
        assertFalse(s.header("X-Request-Id").isBlank());
    }

    @Test
    void eachTextPartIsItsOwnEventAndTheyArriveAsTheUpstreamSendsThem() throws Exception {
        List<GatewayClient.SseEvent> texts = answer().textEvents();
        int n = texts.size();
        assertTrue(n > 20, "a canned answer has many parts: " + n);

        List<String> parts = new ArrayList<>();
        texts.forEach(e -> parts.add(e.json().path("text").asText()));
        assertEquals(split(answer().text()), parts, "one data event per upstream text part, unchanged");

        long span = texts.get(n - 1).arrivedNanos() - texts.get(0).arrivedNanos();
        long paced = (n - 1) * TOKEN_DELAY_NANOS;
        assertTrue(span >= paced / 2, "the parts arrive spread over the answer (span " + span / 1_000_000
                + " ms for " + n + " parts paced " + TOKEN_DELAY_NANOS / 1_000_000 + " ms apart), not in one go");
        int spacedOut = 0;
        for (int i = 1; i < n; i++) {
            if (texts.get(i).arrivedNanos() - texts.get(i - 1).arrivedNanos() >= TOKEN_DELAY_NANOS / 2) {
                spacedOut++;
            }
        }
        assertTrue(spacedOut >= (n - 1) / 2, "most parts arrive on their own, not batched: " + spacedOut + " of "
                + (n - 1) + " gaps are at least half the upstream's pacing");
    }

    @Test
    void theStreamedTextEqualsTheJsonAnswerToTheSameQuestion() throws Exception {
        GatewayClient.Reply json = client.post("/api/rca/chat", "{\"message\":\"" + QUESTION + "\"}");

        assertEquals(200, json.status(), json.body());
        assertEquals(json.json().path("text").asText(), answer().text());
    }

    @Test
    void progressSourcesAndADoneEventThatDeepChatDoesNotRender() throws Exception {
        GatewayClient.StreamReply s = answer();
        List<String> states = new ArrayList<>();
        s.named("progress").forEach(e -> states.add(e.json().path("state").asText()));
        assertTrue(states.containsAll(List.of("KG_RETRIEVAL", "REFINE_QUESTION", "SEARCH_RELATED_DOCUMENTS",
                "SOURCE_NODES", "GENERATE_ANSWER", "FINISHED")), states.toString());
        List<GatewayClient.SseEvent> sources = s.named("sources");
        assertFalse(sources.isEmpty(), s.events().toString());
        JsonNode listed = sources.get(0).json().path("sources");
        assertTrue(listed.size() > 0, sources.get(0).data());
        listed.forEach(src -> assertTrue(src.has("name") && src.has("source_uri"), src.toString()));

        GatewayClient.SseEvent done = s.last();
        assertEquals("done", done.event(), "the last event ends the answer: " + s.events());
        assertEquals(1, s.named("done").size());
        JsonNode d = done.json();
        assertEquals(s.header("X-Session-Id"), d.path("session_id").asText(), done.data());
        assertFalse(d.path("message_id").asText().isBlank(), done.data());
        assertTrue(d.path("sources").size() > 0, done.data());
        assertTrue(d.path("usage").path("completion_tokens").asInt() > 0, done.data());
        assertTrue(d.path("usage").path("total_tokens").asInt() > 0, done.data());
        for (GatewayClient.SseEvent e : s.events()) {
            if (e.event() != null) {
                assertFalse(e.json().has("text") || e.json().has("error") || e.json().has("html"),
                        "deep-chat ignores event names, so it would render this: " + e);
            }
        }
        int firstText = s.events().indexOf(s.textEvents().get(0));
        int generate = -1;
        for (int i = 0; i < s.events().size(); i++) {
            if ("GENERATE_ANSWER".equals(s.events().get(i).json().path("state").asText())) {
                generate = i;
            }
        }
        assertTrue(generate >= 0 && generate < firstText, "progress comes as it happens: " + s.events());
    }

    @Test
    void theSessionRecordsTheStreamedAnswer() throws Exception {
        GatewayClient.StreamReply s = answer();
        JsonNode session = client.get("/api/rca/session/" + s.header("X-Session-Id")).json();
        List<List<String>> messages = Expect.messages(session);
        assertEquals(List.of(List.of("user", QUESTION, "complete"), List.of("assistant", s.text(), "complete")),
                messages);
    }

    @Test
    void aFailureMidStreamEndsWithAnErrorEventAndIsRecorded() throws Exception {
        GatewayClient.StreamReply s = client.stream("/api/rca/chat/stream",
                "{\"message\":\"Analyse this [sim:error-mid-stream]\"}", e -> { });

        assertEquals(200, s.status(), "the stream had begun");
        assertEndsWithErrorEvent(s);
        assertFalse(s.named("progress").isEmpty(), "what came before the failure was relayed: " + s.events());
        JsonNode session = client.get("/api/rca/session/" + s.header("X-Session-Id")).json();
        List<List<String>> messages = Expect.messages(session);
        assertEquals(2, messages.size(), session.toString());
        assertEquals("failed", messages.get(1).get(2), session.toString());
    }

    @Test
    void aTruncatedUpstreamStreamEndsWithAnErrorEvent() throws Exception {
        GatewayClient.StreamReply s = client.stream("/api/rca/chat/stream",
                "{\"message\":\"Cut me off [sim:truncate]\"}", e -> { });

        assertEquals(200, s.status());
        assertFalse(s.textEvents().isEmpty(), "the parts before the cut were relayed: " + s.events());
        assertEndsWithErrorEvent(s);
        JsonNode session = client.get("/api/rca/session/" + s.header("X-Session-Id")).json();
        List<List<String>> messages = Expect.messages(session);
        assertEquals("failed", messages.get(messages.size() - 1).get(2), session.toString());
        assertEquals(s.text(), messages.get(messages.size() - 1).get(1), "the partial text the client saw");
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void aClientThatHangsUpLeavesAnInterruptedTurnWithThePartialAnswer(HttpClient.Version version) throws Exception {
        int[] texts = { 0 };
        GatewayClient.StreamReply s = client.withVersion(version).streamUntil("/api/rca/chat/stream",
                "{\"message\":\"Take your time [sim:slow]\"}", e -> e.event() == null && ++texts[0] == 3);
        assertEquals(3, s.textEvents().size(), "hung up after three parts: " + s.events());
        String seen = s.text();
        String sessionId = s.header("X-Session-Id");
        assertNotNull(sessionId);

        JsonNode session = Expect.eventually(() -> client.get("/api/rca/session/" + sessionId).json(),
                j -> j.path("message_count").asInt() == 2, Duration.ofSeconds(10),
                "the gateway records the interrupted turn after the client hung up");

        List<List<String>> messages = Expect.messages(session);
        assertEquals("assistant", messages.get(1).get(0));
        assertEquals("interrupted", messages.get(1).get(2), session.toString());
        String partial = messages.get(1).get(1);
        assertTrue(partial.startsWith(seen), "the partial answer holds what the client saw: " + session);
        assertFalse(partial.contains("[^2]:"), "but not the whole answer: " + session);
    }

    private static void assertEndsWithErrorEvent(GatewayClient.StreamReply s) {
        GatewayClient.SseEvent last = s.last();
        assertNotNull(last, "no events");
        assertEquals(null, last.event(), "an unnamed data event, so deep-chat shows it: " + last);
        assertTrue(last.json().path("error").isTextual() && !last.json().path("error").asText().isBlank(),
                last.data());
        assertTrue(s.named("done").isEmpty(), "a failed answer has no done event: " + s.events());
        assertEquals(1, s.events().stream().filter(e -> e.json().has("error")).count(), s.events().toString());
    }

    private static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = PART.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
