package io.autoflow.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoflow.gateway.autoflow.AnswerAssembler;
import io.autoflow.gateway.autoflow.AnswerAssembler.Outcome;
import io.autoflow.gateway.autoflow.Annotation;
import io.autoflow.gateway.autoflow.AutoflowEvent;
import io.autoflow.gateway.autoflow.ChatState;
import io.autoflow.gateway.autoflow.DataStreamReader;
import io.autoflow.gateway.autoflow.StreamError;
import io.autoflow.gateway.autoflow.TextPart;
import io.autoflow.gateway.simulator.SimulatorHttp.Timed;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.autoflow.gateway.simulator.SimulatorHttp.MAPPER;
import static io.autoflow.gateway.simulator.SimulatorHttp.chatBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator's streamed answers, read over real HTTP with the gateway's own DataStreamReader. */
class SimulatorStreamTest {

    private static Vertx vertx;
    private static AutoflowSimulator sim;
    private static SimulatorHttp http;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        sim = new AutoflowSimulator(vertx, SimulatorSettings.fast(), MAPPER);
        sim.start();
        http = new SimulatorHttp(sim.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        sim.stop();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static List<AutoflowEvent> events(List<Timed> timed) {
        return timed.stream().map(Timed::event).toList();
    }

    private static AnswerAssembler assemble(List<AutoflowEvent> events) {
        AnswerAssembler a = new AnswerAssembler();
        events.forEach(a::accept);
        return a;
    }

    @Test
    void streamFollowsTheBuiltInEngineOrder() throws Exception {
        String question = "Why is my TiDB cluster slow after the upgrade?";
        List<AutoflowEvent> ev = events(http.streamChat(chatBody(null, null, "user", question)));

        ChatState start = assertInstanceOf(ChatState.class, ev.get(0));
        assertFalse(start.finished());
        assertEquals("", start.assistantContent());
        UUID.fromString(start.chatId());
        assertEquals(start.userMessageId() + 1, start.assistantMessageId());

        String[] states = {"KG_RETRIEVAL", "REFINE_QUESTION", "REFINE_QUESTION", "SEARCH_RELATED_DOCUMENTS",
                "SOURCE_NODES", "GENERATE_ANSWER"};
        for (int i = 0; i < states.length; i++) {
            assertEquals(states[i], assertInstanceOf(Annotation.class, ev.get(1 + i)).state(), "event " + (1 + i));
        }
        assertEquals("", ((Annotation) ev.get(2)).message());
        assertTrue(((Annotation) ev.get(3)).message().startsWith(question), "second REFINE_QUESTION carries the rewrite");
        assertEquals(CannedAnswer.SOURCES, ((Annotation) ev.get(5)).sources());

        int finished = ev.size() - 2;
        assertEquals("FINISHED", assertInstanceOf(Annotation.class, ev.get(finished)).state());
        List<AutoflowEvent> texts = ev.subList(1 + states.length, finished);
        assertTrue(texts.size() > 20, "many text parts");
        texts.forEach(t -> assertInstanceOf(TextPart.class, t));

        ChatState last = assertInstanceOf(ChatState.class, ev.get(ev.size() - 1));
        String expected = CannedAnswer.text(question, 0);
        assertTrue(last.finished());
        assertEquals(expected, last.assistantContent());
        assertEquals(CannedAnswer.SOURCES, last.sources());
        assertEquals(start.chatId(), last.chatId());
        assertEquals(start.assistantMessageId(), last.assistantMessageId());

        AnswerAssembler a = assemble(ev);
        assertEquals(Outcome.COMPLETE, a.outcome());
        assertEquals(expected, a.text());
        assertTrue(a.text().contains("Why is my TiDB cluster slow"), "quotes the question's first words");
    }

    @Test
    void framingHeadersAndJsonShapesMatchTheUpstreamSample() throws Exception {
        HttpResponse<byte[]> r = http.client().send(http.request("/chats").header("content-type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                chatBody(null, true, "user", "TiDB 是什么? café 😀").toString())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("text/event-stream; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
        assertEquals("chunked", r.headers().firstValue("transfer-encoding").orElse(""));
        for (byte b : r.body()) {
            assertTrue(b > 0, "built-in engine escapes non-ASCII, so the body is pure ASCII");
        }
        String body = new String(r.body(), StandardCharsets.US_ASCII);
        assertTrue(body.endsWith("\n"));
        assertTrue(body.contains("\\u662f\\u4ec0\\u4e48? caf\\u00e9 \\ud83d\\ude00"), "lowercase \\uXXXX like Python");
        String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
        for (String line : lines) {
            assertTrue(line.matches("[0238]:\\S.*"), line);
        }

        List<String> sample = Files.readAllLines(Paths.get("..", "shared", "autoflow-vectors", "new-chat.stream"));
        assertSameKeys(sample.get(0), lines[0]);
        assertSameKeys(sample.get(sample.size() - 1), lines[lines.length - 1]);
        assertSameKeys(sample.get(5), lines[5]); // SOURCE_NODES
        assertEquals(sample.get(sample.size() - 2), lines[lines.length - 2]); // FINISHED, byte for byte

        AnswerAssembler a = assemble(readAll(r.body()));
        assertTrue(a.text().contains("TiDB 是什么? café 😀"), a.text());
    }

    /** Same keys in the same order at the levels the gateway reads. */
    private static void assertSameKeys(String expectedLine, String actualLine) throws Exception {
        JsonNode e = MAPPER.readTree(expectedLine.substring(2)).get(0);
        JsonNode a = MAPPER.readTree(actualLine.substring(2)).get(0);
        assertEquals(names(e), names(a));
        for (String field : List.of("chat", "user_message", "assistant_message")) {
            if (e.has(field)) {
                assertEquals(names(e.get(field)), names(a.get(field)), field);
            }
        }
        if (e.path("context").isArray()) {
            assertEquals(names(e.get("context").get(0)), names(a.get("context").get(0)));
        }
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<AutoflowEvent> readAll(byte[] body) throws Exception {
        List<AutoflowEvent> out = new ArrayList<>();
        try (DataStreamReader reader = new DataStreamReader(new java.io.ByteArrayInputStream(body), MAPPER)) {
            for (AutoflowEvent e = reader.next(); e != null; e = reader.next()) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void errorMidStreamTrigger() throws Exception {
        List<AutoflowEvent> ev = events(http.streamChat(chatBody(null, true, "user", "Boom [sim:error-mid-stream]")));
        assertEquals(3, ev.size());
        assertInstanceOf(ChatState.class, ev.get(0));
        assertEquals("KG_RETRIEVAL", assertInstanceOf(Annotation.class, ev.get(1)).state());
        assertEquals(new StreamError(StreamScript.GENERATION_ERROR), ev.get(2));
        assertEquals(Outcome.FAILED, assemble(ev).outcome());
    }

    @Test
    void truncateTrigger() throws Exception {
        List<AutoflowEvent> ev = events(http.streamChat(chatBody(null, true, "user", "Cut me off [sim:truncate]")));
        AnswerAssembler a = assemble(ev);
        assertEquals(Outcome.TRUNCATED, a.outcome());
        assertEquals(StreamScript.TRUNCATE_AFTER, ev.stream().filter(TextPart.class::isInstance).count());
        assertInstanceOf(TextPart.class, ev.get(ev.size() - 1));
        assertEquals(CannedAnswer.SOURCES, a.sources());
    }

    @Test
    void status500Trigger() {
        HttpResponse<String> r = http.postChat(chatBody(null, true, "user", "[sim:500] please"));
        assertEquals(500, r.statusCode());
        assertEquals("{\"detail\":\"Internal Server Error\"}", r.body());
    }

    @Test
    void slowTriggerPacesTokensAndClientCloseStopsTheStream() throws Exception {
        CompletableFuture<String> ended = new CompletableFuture<>();
        sim.onStreamEnd(ended::complete);
        try {
            HttpResponse<InputStream> r = http.openStream(chatBody(null, true, "user", "Take it slow [sim:slow]"));
            List<Long> arrivals = new ArrayList<>();
            String chatId;
            try (DataStreamReader reader = new DataStreamReader(r.body(), MAPPER)) {
                chatId = ((ChatState) reader.next()).chatId();
                while (arrivals.size() < 3) {
                    if (reader.next() instanceof TextPart) {
                        arrivals.add(System.nanoTime());
                    }
                }
            } // closing mid-stream drops the connection
            for (int i = 1; i < arrivals.size(); i++) {
                long gapMs = (arrivals.get(i) - arrivals.get(i - 1)) / 1_000_000;
                assertTrue(gapMs >= 150, "gap " + gapMs + " ms");
            }
            assertEquals("aborted", ended.get(10, TimeUnit.SECONDS));
            JsonNode chat = SimulatorHttp.json(http.get("/chats/" + chatId));
            JsonNode assistant = chat.get("messages").get(1);
            assertTrue(assistant.get("finished_at").isNull(), "an aborted answer is never finished");
        } finally {
            sim.onStreamEnd(reason -> { });
        }
    }

    @Test
    void tokensArriveProgressively() throws Exception {
        AutoflowSimulator paced = new AutoflowSimulator(vertx,
                new SimulatorSettings("127.0.0.1", 0, Duration.ofMillis(50), Duration.ofMillis(300)), MAPPER);
        paced.start();
        try {
            List<Timed> timed = new SimulatorHttp(paced.baseUrl()).streamChat(chatBody(null, true, "user", "Pace?"));
            List<Long> texts = timed.stream().filter(t -> t.event() instanceof TextPart).map(Timed::nanos).toList();
            long generate = timed.get(6).nanos(); // GENERATE_ANSWER
            int n = texts.size();
            long firstToLastMs = (texts.get(n - 1) - texts.get(0)) / 1_000_000;
            long beforeFirstMs = (texts.get(0) - generate) / 1_000_000;
            assertTrue(beforeFirstMs >= 200, "first token waits for firstTokenDelay: " + beforeFirstMs + " ms");
            assertTrue(firstToLastMs >= (n - 1) * 50L * 8 / 10,
                    n + " parts spread over only " + firstToLastMs + " ms");
            long spaced = 0;
            for (int i = 1; i < n; i++) {
                if (texts.get(i) - texts.get(i - 1) >= 25_000_000L) {
                    spaced++;
                }
            }
            assertTrue(spaced >= (n - 1) / 2, "parts arrive one by one, not in a burst: " + spaced + "/" + (n - 1));
            assertEquals(Outcome.COMPLETE, assemble(events(timed)).outcome());
        } finally {
            paced.stop();
        }
    }
}
