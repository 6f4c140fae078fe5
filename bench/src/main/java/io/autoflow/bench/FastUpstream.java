package io.autoflow.bench;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A fake Autoflow that answers as fast as possible, the baseline for gateway benchmarks. A question
 * may say {@code tokens=N} and {@code gap=MS} to get a longer or slower answer.
 * One verticle instance per event loop; each keeps its own caches, so nothing is shared or locked.
 */
public final class FastUpstream extends AbstractVerticle {

    private static final Pattern TOKENS = Pattern.compile("tokens=(\\d{1,7})");
    private static final Pattern GAP = Pattern.compile("gap=(\\d{1,7})");

    private final AutoflowBodies bodies;
    private final int port;
    private final int defaultTokens;
    private final int defaultGapMs;
    /** Answers by token count; only this verticle's event loop touches it. */
    private final Map<Integer, AutoflowBodies.Answer> answers = new HashMap<>();

    FastUpstream(AutoflowBodies bodies, int port, int defaultTokens, int defaultGapMs) {
        this.bodies = bodies;
        this.port = port;
        this.defaultTokens = defaultTokens;
        this.defaultGapMs = defaultGapMs;
    }

    public static void main(String[] argv) {
        Args args = new Args(argv, Set.of("port", "event-loops", "tokens", "gap-ms"));
        int port = args.integer("port", 18090);
        int loops = args.integer("event-loops", 1);
        int tokens = args.integer("tokens", 20);
        int gapMs = args.integer("gap-ms", 0);
        AutoflowBodies bodies = new AutoflowBodies();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        vertx.deployVerticle(() -> new FastUpstream(bodies, port, tokens, gapMs),
                        new DeploymentOptions().setInstances(loops))
                .compose(id -> new UpstreamWarmup(vertx, port).run())
                .onSuccess(v -> System.out.println("fast-upstream listening on " + port))
                .onFailure(e -> {
                    System.err.println("fast-upstream failed to start: " + e);
                    System.exit(1);
                });
    }

    @Override
    public void start(Promise<Void> started) {
        // Instances share the port (Vert.x balances accepted connections); a deep backlog absorbs ramps.
        vertx.createHttpServer(new HttpServerOptions().setPort(port).setAcceptBacklog(8192))
                .requestHandler(this::route)
                .listen()
                .<Void>mapEmpty()
                .onComplete(started);
    }

    private void route(HttpServerRequest req) {
        String path = req.path();
        if (req.method() == HttpMethod.POST && path.equals("/api/v1/chats")) {
            req.body().onSuccess(body -> chat(req, body));
        } else if (req.method() == HttpMethod.GET && path.equals("/api/v1/healthz")) {
            json(req.response(), 200, Buffer.buffer("{\"now\":\"" + Instant.now() + "\"}"));
        } else {
            json(req.response(), 404, Buffer.buffer("{\"detail\":\"Not Found\"}"));
        }
    }

    private void chat(HttpServerRequest req, Buffer body) {
        String chatId;
        String question;
        boolean stream;
        try {
            JsonObject json = body.toJsonObject();
            JsonArray messages = json.getJsonArray("messages");
            question = messages.getJsonObject(messages.size() - 1).getString("content", "");
            chatId = json.getString("chat_id");
            stream = json.getBoolean("stream", true);
        } catch (RuntimeException e) {
            // Bad JSON, missing or empty messages: Autoflow's 422, in short.
            json(req.response(), 422, Buffer.buffer(
                    "{\"detail\":[{\"type\":\"value_error\",\"loc\":[\"body\"],\"msg\":\"invalid request\"}]}"));
            return;
        }
        if (chatId == null) {
            chatId = UUID.randomUUID().toString();
        }
        int tokens = override(TOKENS, question, defaultTokens);
        int gapMs = override(GAP, question, defaultGapMs);
        AutoflowBodies.Answer answer = answers.computeIfAbsent(tokens, bodies::answer);
        if (stream) {
            stream(req.response(), chatId, answer, tokens, gapMs);
        } else {
            json(req.response(), 200, answer.json().render(chatId));
        }
    }

    private void stream(HttpServerResponse resp, String chatId, AutoflowBodies.Answer answer,
                        int tokens, int gapMs) {
        resp.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8");
        resp.write(bodies.startLine(chatId));
        resp.write(bodies.progressLines());
        if (gapMs <= 0 || tokens <= 1) {
            resp.write(answer.tokenLines());
            finish(resp, chatId, answer);
            return;
        }
        // The first token goes out at once, so time to first token measures the path, not the gap.
        resp.write(AutoflowBodies.tokenLine(1));
        long timer = vertx.setPeriodic(gapMs, new Drip(resp, chatId, answer, tokens));
        resp.closeHandler(v -> vertx.cancelTimer(timer));
    }

    private void finish(HttpServerResponse resp, String chatId, AutoflowBodies.Answer answer) {
        resp.write(bodies.finishedLine());
        resp.end(answer.finalLine().render(chatId));
    }

    /** Sends tokens 2..N, one per timer tick, then the end of the answer. */
    private final class Drip implements Handler<Long> {
        private final HttpServerResponse resp;
        private final String chatId;
        private final AutoflowBodies.Answer answer;
        private final int tokens;
        private int sent = 1;

        Drip(HttpServerResponse resp, String chatId, AutoflowBodies.Answer answer, int tokens) {
            this.resp = resp;
            this.chatId = chatId;
            this.answer = answer;
            this.tokens = tokens;
        }

        @Override
        public void handle(Long timerId) {
            resp.write(AutoflowBodies.tokenLine(++sent));
            if (sent >= tokens) {
                vertx.cancelTimer(timerId);
                finish(resp, chatId, answer);
            }
        }
    }

    private static int override(Pattern pattern, String text, int fallback) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : fallback;
    }

    private static void json(HttpServerResponse resp, int status, Buffer body) {
        resp.setStatusCode(status).putHeader("content-type", "application/json").end(body);
    }
}
