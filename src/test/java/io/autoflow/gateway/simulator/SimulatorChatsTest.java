package io.autoflow.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoflow.gateway.autoflow.AnswerAssembler;
import io.autoflow.gateway.autoflow.ChatState;
import io.autoflow.gateway.simulator.SimulatorHttp.Timed;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.autoflow.gateway.simulator.SimulatorHttp.MAPPER;
import static io.autoflow.gateway.simulator.SimulatorHttp.chatBody;
import static io.autoflow.gateway.simulator.SimulatorHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chat lifecycle, errors and JSON endpoints of the simulator over real HTTP. */
class SimulatorChatsTest {

    private static final Path VECTORS = Paths.get("..", "shared", "autoflow-vectors");

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

    private static AnswerAssembler answer(JsonNode body) throws Exception {
        AnswerAssembler a = new AnswerAssembler();
        for (Timed t : http.streamChat(body)) {
            a.accept(t.event());
        }
        return a;
    }

    private static ChatState firstState(JsonNode body) throws Exception {
        return (ChatState) http.streamChat(body).get(0).event();
    }

    @Test
    void continuationWithChatIdUsesServerSideHistory() throws Exception {
        AnswerAssembler first = answer(chatBody(null, true, "user", "What is TiDB?"));
        String chatId = first.chatId();

        // earlier entries of messages are ignored once a chat_id is given
        JsonNode follow = chatBody(chatId, true, "user", "ignored", "assistant", "ignored too",
                "user", "Does it support foreign keys?");
        ChatState start = firstState(follow);
        assertEquals(chatId, start.chatId());
        assertEquals(first.assistantMessageId() + 1, start.userMessageId());

        JsonNode chat = json(http.get("/chats/" + chatId));
        assertEquals(chatId, chat.get("chat").get("id").asText());
        assertEquals("What is TiDB?", chat.get("chat").get("title").asText());
        JsonNode messages = chat.get("messages");
        assertEquals(4, messages.size());
        String[] roles = {"user", "assistant", "user", "assistant"};
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 1, messages.get(i).get("ordinal").asInt());
            assertEquals(roles[i], messages.get(i).get("role").asText());
            assertTrue(messages.get(i).get("id").asLong() > (i == 0 ? 0 : messages.get(i - 1).get("id").asLong()));
        }
        assertEquals("Does it support foreign keys?", messages.get(2).get("content").asText());
        assertEquals(CannedAnswer.text("Does it support foreign keys?", 2), messages.get(3).get("content").asText());
        assertTrue(messages.get(3).get("content").asText().contains("2 earlier messages"));
    }

    @Test
    void newChatStoresAllButTheLastMessageAsHistory() throws Exception {
        AnswerAssembler a = answer(chatBody(null, true, "user", "hi", "assistant", "hello", "user", "Why slow?"));
        assertEquals(CannedAnswer.text("Why slow?", 2), a.text());
        JsonNode messages = json(http.get("/chats/" + a.chatId())).get("messages");
        assertEquals(List.of("hi", "hello", "Why slow?", a.text()),
                List.of(messages.get(0).get("content").asText(), messages.get(1).get("content").asText(),
                        messages.get(2).get("content").asText(), messages.get(3).get("content").asText()));
        assertEquals(4, messages.get(3).get("ordinal").asInt());
    }

    @Test
    void unknownAndDeletedChatIdsGive404() throws Exception {
        UUID unknown = UUID.randomUUID();
        HttpResponse<String> r = http.postChat(chatBody(unknown.toString().toUpperCase(), true, "user", "hi"));
        assertEquals(404, r.statusCode());
        assertEquals("{\"detail\":\"chat #" + unknown + " is not found\"}", r.body());

        String chatId = answer(chatBody(null, true, "user", "to delete")).chatId();
        assertEquals(401, http.delete("/chats/" + chatId).statusCode());
        HttpResponse<String> deleted = http.delete("/chats/" + chatId, "Authorization", "Bearer ta-test");
        assertEquals(200, deleted.statusCode());
        assertEquals("null", deleted.body());
        assertEquals("{\"detail\":\"chat #" + chatId + " is not found\"}",
                http.postChat(chatBody(chatId, true, "user", "again")).body());
        assertEquals(404, http.get("/chats/" + chatId).statusCode());

        String other = answer(chatBody(null, true, "user", "helper delete")).chatId();
        sim.deleteChat(other);
        assertEquals(404, http.postChat(chatBody(other, false, "user", "again")).statusCode());
    }

    @Test
    void validationErrorsMatchTheUpstreamBodies() throws Exception {
        List<String> expected = Files.readAllLines(VECTORS.resolve("validation-errors.jsonl"), StandardCharsets.UTF_8);
        assertUnprocessable(expected.get(0), chatBody(null, true).toString());
        assertUnprocessable(expected.get(1), chatBody(null, true, "assistant", "hi").toString());
        assertUnprocessable(expected.get(2), chatBody("abc", true, "user", "hi").toString());

        assertEquals("Value error, role must be either 'user' or 'assistant'",
                unprocessable(chatBody(null, true, "system", "be nice", "user", "hi")).get("msg").asText());
        JsonNode badRole = unprocessable(chatBody(null, true, "robot", "hi"));
        assertEquals("enum", badRole.get("type").asText());
        assertEquals("[\"body\",\"messages\",0,\"role\"]", badRole.get("loc").toString());
        assertEquals("Value error, message content cannot be empty",
                unprocessable(chatBody(null, true, "user", "")).get("msg").asText());
        assertEquals("Value error, message content cannot exceed 1000 characters",
                unprocessable(chatBody(null, true, "user", "x".repeat(10_001))).get("msg").asText());
        assertEquals(200, http.postChat(chatBody(null, false, "user", "x".repeat(10_000))).statusCode());

        HttpResponse<String> badJson = http.postJson("/chats", "{\"messages\": [");
        assertEquals(422, badJson.statusCode());
        JsonNode item = json(badJson).get("detail").get(0);
        assertEquals("json_invalid", item.get("type").asText());
        assertEquals("JSON decode error", item.get("msg").asText());
        assertEquals("body", item.get("loc").get(0).asText());
        assertEquals(List.of("type", "loc", "msg", "input", "ctx"), names(item));
        assertEquals("uuid_parsing", unprocessable(chatBody("not-a-uuid-at-all", true, "user", "hi")).get("type").asText());
    }

    private static void assertUnprocessable(String expectedBody, String requestBody) {
        HttpResponse<String> r = http.postJson("/chats", requestBody);
        assertEquals(422, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        assertEquals(expectedBody, r.body());
    }

    private static JsonNode unprocessable(JsonNode body) {
        HttpResponse<String> r = http.postChat(body);
        assertEquals(422, r.statusCode(), r.body());
        JsonNode item = json(r).get("detail").get(0);
        assertTrue(item.has("type") && item.has("loc") && item.has("msg") && item.has("input"), r.body());
        return item;
    }

    @Test
    void nonStreamingAnswerIsJsonShapedLikeTheSample() throws Exception {
        HttpResponse<String> r = http.postChat(chatBody(null, false, "user", "Why are writes slow?"));
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        JsonNode body = json(r);
        JsonNode sample = MAPPER.readTree(VECTORS.resolve("non-stream-response.json").toFile());
        assertEquals(names(sample), names(body));
        assertEquals(sample.get("sources"), body.get("sources"));
        assertEquals(CannedAnswer.text("Why are writes slow?", 0), body.get("content").asText());
        assertTrue(body.get("message_id").isIntegralNumber());
        assertTrue(body.get("trace").isTextual());
        String chatId = body.get("chat_id").asText();
        JsonNode messages = json(http.get("/chats/" + chatId)).get("messages");
        assertEquals(body.get("message_id").asLong(), messages.get(1).get("id").asLong());
        assertTrue(messages.get(1).get("finished_at").isTextual());

        ChatState next = firstState(chatBody(chatId, null, "user", "And reads?"));
        assertEquals(chatId, next.chatId());
    }

    @Test
    void defaultsStreamAndUnknownEngine() {
        JsonNode body = chatBody(null, null, "user", "hi");
        ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("chat_engine", "no-such-engine");
        HttpResponse<String> r = http.postChat(body);
        assertEquals(200, r.statusCode());
        assertEquals("text/event-stream; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
        assertTrue(r.body().startsWith("2:[{\"chat\":{"));
    }

    @Test
    void receivedRequestsAreRecordedInOrder() {
        Vertx own = Vertx.vertx();
        AutoflowSimulator s = new AutoflowSimulator(own, SimulatorSettings.fast(), MAPPER);
        s.start();
        try {
            SimulatorHttp h = new SimulatorHttp(s.baseUrl());
            JsonNode a = chatBody(null, false, "user", "one");
            JsonNode b = chatBody(null, true, "assistant", "invalid");
            h.postChat(a);
            h.postChat(b);
            h.postJson("/chats", "not json");
            assertEquals(3, s.chatRequestCount());
            List<JsonNode> got = s.receivedChatRequests();
            assertEquals(List.of(a, b, MAPPER.getNodeFactory().textNode("not json")), got);
        } finally {
            s.stop();
            own.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Test
    void otherEndpoints() {
        assertTrue(json(http.get("/healthz")).get("now").isTextual());

        JsonNode engines = json(http.get("/chat-engines?page=1&size=10"));
        assertEquals(List.of("items", "total", "page", "size", "pages"), names(engines));
        JsonNode engine = engines.get("items").get(0);
        assertEquals("default", engine.get("name").asText());
        assertTrue(engine.get("is_default").asBoolean() && engine.get("is_public").asBoolean());

        HttpResponse<String> anonymous = http.get("/users/me");
        assertEquals(401, anonymous.statusCode());
        assertEquals("{\"detail\":\"Unauthorized\"}", anonymous.body());
        JsonNode me = json(http.get("/users/me", "Authorization", "Bearer ta-" + "a".repeat(50)));
        assertEquals(List.of("id", "email", "is_active", "is_superuser", "is_verified"), names(me));

        assertEquals(404, http.get("/chats/" + UUID.randomUUID()).statusCode());
        assertEquals(422, http.get("/chats/abc").statusCode());
        HttpResponse<String> missing = http.get("/nope");
        assertEquals(404, missing.statusCode());
        assertEquals("{\"detail\":\"Not Found\"}", missing.body());
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
