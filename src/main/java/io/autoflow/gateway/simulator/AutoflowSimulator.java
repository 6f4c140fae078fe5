package io.autoflow.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.autoflow.gateway.simulator.ChatStore.MessageRecord;
import io.autoflow.gateway.simulator.ChatStore.SimChat;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An embedded Autoflow (tidb.ai) upstream: a real, non-blocking HTTP server on Vert.x that speaks the
 * API of {@code autoflow-api.md} under {@code /api/v1}. The gateway talks to it when no upstream URL is
 * configured, and tests use it as a real local upstream.
 * <p>
 * Endpoints: {@code POST /chats} (streaming data-stream answer or JSON with {@code "stream": false},
 * upstream 422/404 bodies), {@code GET /chats/{id}}, {@code DELETE /chats/{id}} (needs a Bearer, soft delete),
 * {@code POST /chat-messages/{id}/feedback}, {@code GET /healthz}, {@code GET /chat-engines},
 * {@code GET /users/me} (any Bearer is a valid key; none gives 401).
 * <p>
 * Trigger words in the last user message provoke upstream behaviours on cue:
 * <ul>
 *   <li>{@code [sim:error-mid-stream]}: after the first annotation a {@code 3:"..."} line ends the stream
 *       (as {@code error-mid-stream.stream}); with {@code "stream": false} a 500 with that message;</li>
 *   <li>{@code [sim:truncate]}: the stream ends after a few {@code 0:} parts, without FINISHED and final
 *       {@code 2:}; with {@code "stream": false} the partial content;</li>
 *   <li>{@code [sim:500]}: 500 {@code {"detail":"Internal Server Error"}} before any chat is created;</li>
 *   <li>{@code [sim:slow]}: 200 ms between text parts, whatever the settings say.</li>
 * </ul>
 * The answer itself is canned and deterministic: a short root-cause analysis about TiDB quoting the
 * question's first words, in word-sized {@code 0:} parts. {@link #start()} and {@link #stop()} block, so
 * call them from a non-event-loop thread.
 */
public final class AutoflowSimulator {

    private static final int BODY_LIMIT = 4 * 1024 * 1024;

    private final Vertx vertx;
    private final SimulatorSettings settings;
    private final Payloads payloads;
    private final ChatStore store = new ChatStore();
    private final ChatHandler chatHandler;
    private HttpServer server;
    private volatile int port = -1;

    public AutoflowSimulator(Vertx vertx, SimulatorSettings settings, ObjectMapper mapper) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.payloads = new Payloads(Objects.requireNonNull(mapper, "mapper"));
        this.chatHandler = new ChatHandler(vertx, mapper, payloads, store, settings);
    }

    /** Starts listening; blocks up to 10 s. @return the bound port */
    public synchronized int start() {
        if (server != null) {
            throw new IllegalStateException("simulator already started");
        }
        HttpServer s = vertx.createHttpServer(new HttpServerOptions().setHost(settings.host()).setPort(settings.port()));
        s.requestHandler(router());
        try {
            s.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the simulator", e);
        } catch (Exception e) {
            s.close();
            throw new IllegalStateException("simulator could not listen on " + settings.host() + ":" + settings.port(), e);
        }
        server = s;
        port = s.actualPort();
        return port;
    }

    /** Stops listening and closes open connections (which cancels running streams); blocks up to 10 s. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("simulator did not stop cleanly", e);
        } finally {
            server = null;
            port = -1;
        }
    }

    /** {@code http://<host>:<port>/api/v1}; only valid while started. */
    public String baseUrl() {
        int p = port;
        if (p < 0) {
            throw new IllegalStateException("simulator not started");
        }
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return "http://" + host + ":" + p + "/api/v1";
    }

    /** Bodies of every {@code POST /chats} received, in order; a body that is not JSON is kept as a text node. */
    public List<JsonNode> receivedChatRequests() {
        return chatHandler.received();
    }

    public int chatRequestCount() {
        return chatHandler.requestCount();
    }

    /**
     * Soft-deletes a chat like {@code DELETE /chats/{id}} (later POSTs get 404), without the auth check.
     * Unknown or already deleted ids are ignored.
     *
     * @throws IllegalArgumentException if {@code chatId} is not a UUID
     */
    public void deleteChat(String chatId) {
        Object id = ChatRequestValidator.parseUuid(Objects.requireNonNull(chatId, "chatId"));
        if (!(id instanceof UUID uuid)) {
            throw new IllegalArgumentException("not a UUID");
        }
        store.softDelete(uuid);
    }

    /** Test hook: told "completed" or "aborted" (client closed mid-stream) when a streamed answer ends. */
    void onStreamEnd(Consumer<String> listener) {
        chatHandler.onStreamEnd(listener);
    }

    private Router router() {
        Router r = Router.router(vertx);
        String api = "/api/v1";
        // per route: a catch-all body route would turn unknown GET paths into 405 instead of 404
        r.post(api + "/chats").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)).handler(chatHandler);
        r.get(api + "/chats/:id").handler(this::getChat);
        r.delete(api + "/chats/:id").handler(this::deleteChat);
        r.post(api + "/chat-messages/:id/feedback").handler(this::feedback);
        r.get(api + "/healthz").handler(ctx ->
                json(ctx, 200, JsonNodeFactory.instance.objectNode().put("now", store.preciseNow().replace("Z", ""))));
        r.get(api + "/chat-engines").handler(this::chatEngines);
        r.get(api + "/users/me").handler(this::usersMe);
        r.errorHandler(404, ctx -> json(ctx, 404, Payloads.detail("Not Found")));
        r.errorHandler(405, ctx -> json(ctx, 405, Payloads.detail("Method Not Allowed")));
        r.errorHandler(500, ctx -> json(ctx, 500, Payloads.detail("Internal Server Error")));
        return r;
    }

    private void getChat(RoutingContext ctx) {
        SimChat chat = pathChat(ctx);
        if (chat == null) {
            return;
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("chat", payloads.chat(chat));
        ArrayNode messages = o.putArray("messages");
        for (MessageRecord m : chat.messages()) {
            messages.add(payloads.message(m));
        }
        json(ctx, 200, o);
    }

    private void deleteChat(RoutingContext ctx) {
        if (!hasBearer(ctx)) {
            json(ctx, 401, Payloads.detail("Unauthorized"));
            return;
        }
        SimChat chat = pathChat(ctx);
        if (chat != null) {
            store.softDelete(chat.id());
            ChatHandler.reply(ctx.response(), 200, "null");
        }
    }

    /** The chat named in the path, or null after replying 422 (not a UUID) or 404. */
    private SimChat pathChat(RoutingContext ctx) {
        String raw = ctx.pathParam("id");
        Object id = ChatRequestValidator.parseUuid(raw);
        if (!(id instanceof UUID uuid)) {
            ArrayNode loc = ChatRequestValidator.loc("path").add("chat_id");
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.putArray("detail").add(ChatRequestValidator.uuidError(loc, TextNode.valueOf(raw), (String) id));
            json(ctx, 422, body);
            return null;
        }
        SimChat chat = store.findActive(uuid);
        if (chat == null) {
            json(ctx, 404, Payloads.detail("Chat not found"));
        }
        return chat;
    }

    private void feedback(RoutingContext ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            json(ctx, 404, Payloads.detail("Chat message not found"));
            return;
        }
        if (store.findMessage(id) == null) {
            json(ctx, 404, Payloads.detail("Chat message not found"));
            return;
        }
        ChatHandler.reply(ctx.response(), 201, "null");
    }

    private void chatEngines(RoutingContext ctx) {
        int page = intParam(ctx, "page", 1);
        int size = intParam(ctx, "size", 50);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode items = o.putArray("items");
        if (page == 1) {
            items.add(payloads.engine("2025-05-12T08:00:00"));
        }
        o.put("total", 1);
        o.put("page", page);
        o.put("size", size);
        o.put("pages", 1);
        json(ctx, 200, o);
    }

    private void usersMe(RoutingContext ctx) {
        if (!hasBearer(ctx)) {
            json(ctx, 401, Payloads.detail("Unauthorized"));
            return;
        }
        ObjectNode u = JsonNodeFactory.instance.objectNode();
        u.put("id", "0196c3a0-0000-7000-8000-00000000a11c");
        u.put("email", "simulator@autoflow.local");
        u.put("is_active", true);
        u.put("is_superuser", false);
        u.put("is_verified", true);
        json(ctx, 200, u);
    }

    private static boolean hasBearer(RoutingContext ctx) {
        String h = ctx.request().getHeader("Authorization");
        return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) && !h.substring(7).isBlank();
    }

    private static int intParam(RoutingContext ctx, String name, int fallback) {
        String v = ctx.request().getParam(name);
        try {
            return v == null ? fallback : Math.max(1, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private void json(RoutingContext ctx, int status, JsonNode body) {
        ChatHandler.reply(ctx.response(), status, payloads.json(body));
    }
}
