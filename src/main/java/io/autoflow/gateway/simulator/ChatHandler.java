package io.autoflow.gateway.simulator;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.autoflow.gateway.simulator.ChatRequestValidator.Message;
import io.autoflow.gateway.simulator.ChatRequestValidator.Valid;
import io.autoflow.gateway.simulator.ChatStore.SimChat;
import io.autoflow.gateway.simulator.ChatStore.Turn;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** {@code POST /api/v1/chats}: validation, chat lookup or creation, then a streamed or a JSON answer. */
final class ChatHandler implements Handler<RoutingContext> {

    /** Trigger words in the last user message that provoke upstream failures on cue. */
    record Triggers(boolean errorMidStream, boolean truncate, boolean fail500, boolean slow) {
        static Triggers of(String question) {
            return new Triggers(question.contains("[sim:error-mid-stream]"), question.contains("[sim:truncate]"),
                    question.contains("[sim:500]"), question.contains("[sim:slow]"));
        }
    }

    static final long SLOW_TOKEN_DELAY_MS = 200;

    private final Vertx vertx;
    private final ObjectReader reader;
    private final Payloads payloads;
    private final ChatStore store;
    private final SimulatorSettings settings;
    private final List<JsonNode> received = new ArrayList<>();
    private final AtomicInteger requestCount = new AtomicInteger();
    private volatile Consumer<String> streamEndListener = reason -> { };

    ChatHandler(Vertx vertx, ObjectMapper mapper, Payloads payloads, ChatStore store, SimulatorSettings settings) {
        this.vertx = vertx;
        // Python's json.loads refuses "{} x"; Jackson accepts it unless told otherwise.
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.payloads = payloads;
        this.store = store;
        this.settings = settings;
    }

    List<JsonNode> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    int requestCount() {
        return requestCount.get();
    }

    /** Test hook: told "completed" or "aborted" (client gone) when a streamed answer ends. */
    void onStreamEnd(Consumer<String> listener) {
        streamEndListener = listener;
    }

    @Override
    public void handle(RoutingContext ctx) {
        requestCount.incrementAndGet();
        String body = ctx.body().asString();
        JsonNode json;
        try {
            json = reader.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            record(TextNode.valueOf(body));
            JsonLocation loc = e.getLocation();
            reply(ctx.response(), 422, payloads.json(errors(
                    ChatRequestValidator.jsonInvalid(loc == null ? 0 : Math.max(0, loc.getCharOffset())))));
            return;
        }
        record(json);
        ArrayNode errors = JsonNodeFactory.instance.arrayNode();
        Valid valid = ChatRequestValidator.validate(json, errors);
        if (valid == null) {
            reply(ctx.response(), 422, payloads.json(errors(errors)));
            return;
        }
        List<Message> messages = valid.messages();
        String question = messages.get(messages.size() - 1).content();
        Triggers triggers = Triggers.of(question);
        if (triggers.fail500()) {
            reply(ctx.response(), 500, payloads.json(Payloads.detail("Internal Server Error")));
            return;
        }
        SimChat chat;
        if (valid.chatId() != null) {
            // with a chat id the server rebuilds history itself and ignores earlier request messages
            chat = store.findActive(valid.chatId());
            if (chat == null) {
                reply(ctx.response(), 404, payloads.json(Payloads.detail("chat #" + valid.chatId() + " is not found")));
                return;
            }
        } else {
            chat = store.create(title(question));
            for (Message m : messages.subList(0, messages.size() - 1)) {
                store.appendHistory(chat, m.role(), m.content());
            }
        }
        Turn turn = store.startTurn(chat, question);
        long firstDelay = settings.firstTokenDelay().toMillis();
        long tokenDelay = triggers.slow() ? SLOW_TOKEN_DELAY_MS : settings.tokenDelay().toMillis();
        if (valid.stream()) {
            new StreamScript(vertx, ctx.response(), payloads, store, turn, triggers, firstDelay, tokenDelay,
                    reason -> streamEndListener.accept(reason)).start();
        } else {
            answerAsJson(ctx.response(), turn, triggers, firstDelay, tokenDelay);
        }
    }

    /** {@code "stream": false}: the server drains its own stream first, so the reply takes as long. */
    private void answerAsJson(HttpServerResponse response, Turn turn, Triggers triggers, long firstDelay,
                              long tokenDelay) {
        String text = CannedAnswer.text(turn.question(), turn.earlierMessages());
        List<String> tokens = CannedAnswer.tokens(text);
        int count = triggers.truncate() ? Math.min(StreamScript.TRUNCATE_AFTER, tokens.size() - 1) : tokens.size();
        long delay = triggers.errorMidStream() || count == 0 ? 0 : firstDelay + (count - 1) * tokenDelay;
        Runnable respond = () -> {
            if (triggers.errorMidStream()) {
                store.fail(turn, StreamScript.GENERATION_ERROR);
                reply(response, 500, payloads.json(Payloads.detail(StreamScript.GENERATION_ERROR)));
                return;
            }
            String content = String.join("", tokens.subList(0, count));
            if (!triggers.truncate()) {
                store.finish(turn, content, CannedAnswer.SOURCES);
            }
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("chat_id", turn.chat().id().toString());
            o.put("message_id", turn.assistant().id());
            o.put("content", content);
            o.put("trace", turn.assistant().traceUrl());
            o.set("sources", payloads.sources(CannedAnswer.SOURCES));
            reply(response, 200, payloads.json(o));
        };
        if (delay <= 0) {
            respond.run();
        } else {
            long timer = vertx.setTimer(delay, id -> respond.run());
            response.closeHandler(v -> vertx.cancelTimer(timer));
        }
    }

    private void record(JsonNode body) {
        synchronized (received) {
            received.add(body);
        }
    }

    private static ObjectNode errors(ArrayNode items) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("detail", items);
        return o;
    }

    private static String title(String question) {
        int max = 100;
        return question.codePointCount(0, question.length()) <= max
                ? question : question.substring(0, question.offsetByCodePoints(0, max));
    }

    static void reply(HttpServerResponse response, int status, String json) {
        if (response.closed() || response.ended()) {
            return;
        }
        response.setStatusCode(status).putHeader("content-type", "application/json").end(json);
    }
}
