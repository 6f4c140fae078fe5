package io.autoflow.gateway.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A real local HTTP server that speaks Autoflow's protocol ({@code /api/v1/chats}, {@code /healthz}) and
 * misbehaves on cue. Each {@code POST /chats} takes the next {@link Behaviour} of a FIFO script, or the
 * default when the script is empty. Answers really stream: chunked, each line written and flushed on its
 * own, on a thread of their own, with real pauses between them.
 */
public final class FaultyUpstream implements AutoCloseable {

    /** How one call to {@code POST /chats} is answered; its name shows in test names and messages. */
    public record Behaviour(String name, Script script) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The body of a behaviour: writes the answer through {@link Call}. */
    @FunctionalInterface
    public interface Script {
        void play(Call call) throws Exception;
    }

    public static final List<String> PARTS = List.of("TiKV", " write", " stalls", " come", " from", " its",
            " flow", " control", ".");
    public static final String FULL_TEXT = String.join("", PARTS);
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2));
    private final ExecutorService callThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "faulty-upstream-call");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Behaviour> script = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Behaviour> fallback = new AtomicReference<>(ok());
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
    private final List<String> versions = new CopyOnWriteArrayList<>();
    private final List<Integer> connectionIds = new CopyOnWriteArrayList<>();
    private volatile CompletableFuture<Void> clientAbort = new CompletableFuture<>();
    private final HttpServer server;
    private final boolean tls;

    private FaultyUpstream(HttpServerOptions options) {
        // Vert.x answers HTTP/1.1 and, on the same port, HTTP/2 (h2c in the clear, h2 by ALPN over TLS).
        tls = options.isSsl();
        server = vertx.createHttpServer(options).requestHandler(this::handle);
        await(server.listen(0, "127.0.0.1"));
    }

    public static FaultyUpstream start() {
        return new FaultyUpstream(new HttpServerOptions());
    }

    /** Over TLS with this PKCS#12 key store's certificate, offering h2 and HTTP/1.1 by ALPN. */
    public static FaultyUpstream startTls(java.nio.file.Path keyStore, String password) {
        return new FaultyUpstream(new HttpServerOptions().setSsl(true).setUseAlpn(true)
                .setKeyCertOptions(new PfxOptions().setPath(keyStore.toString()).setPassword(password)));
    }

    public String baseUrl() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + server.actualPort() + "/api/v1";
    }

    /** Appends behaviours to the script: the next calls get them, in order. */
    public FaultyUpstream then(Behaviour... next) {
        script.addAll(List.of(next));
        return this;
    }

    /** The behaviour for calls when the script is empty (at first {@link #ok()}). */
    public FaultyUpstream byDefault(Behaviour behaviour) {
        fallback.set(behaviour);
        return this;
    }

    /** Forgets the script, the observations and any default: a clean upstream for the next test. */
    public void reset() {
        script.clear();
        fallback.set(ok());
        calls.set(0);
        bodies.clear();
        authorizations.clear();
        headers.clear();
        versions.clear();
        connectionIds.clear();
        clientAbort = new CompletableFuture<>();
    }

    /** {@code POST /chats} calls received so far. */
    public int calls() {
        return calls.get();
    }

    /** The request bodies of those calls, in order. */
    public List<String> bodies() {
        return List.copyOf(bodies);
    }

    /** Their {@code Authorization} headers ("" when none). */
    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    /**
     * All request headers of those calls, in order: names in lower case, a header sent more than once as its
     * values joined by {@code ", "}.
     */
    public List<Map<String, String>> headers() {
        return List.copyOf(headers);
    }

    /** The HTTP version of each call, in order ("HTTP_1_1", "HTTP_2"). */
    public List<String> versions() {
        return List.copyOf(versions);
    }

    /** How many different connections the calls since the last reset came on. */
    public long connectionsUsed() {
        return connectionIds.stream().distinct().count();
    }

    /** Waits until a client closed its connection while an answer was still being written to it. */
    public boolean awaitClientAbort(Duration limit) throws InterruptedException {
        try {
            clientAbort.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        callThreads.shutdownNow();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // test teardown: nothing more to do
        }
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.equals("/api/v1/healthz")) {
            request.response().putHeader("Content-Type", "application/json")
                    .end("{\"now\":\"" + Instant.now() + "\"}");
        } else if (path.equals("/api/v1/chats") && request.method().name().equals("POST")) {
            request.body().onSuccess(body -> {
                calls.incrementAndGet();
                bodies.add(body.toString());
                authorizations.add(request.getHeader("Authorization") == null ? "" : request.getHeader("Authorization"));
                Map<String, String> received = new java.util.TreeMap<>();
                request.headers().forEach(h -> received.merge(h.getKey().toLowerCase(java.util.Locale.ROOT),
                        h.getValue(), (a, b) -> a + ", " + b));
                headers.add(java.util.Collections.unmodifiableMap(received));
                versions.add(request.version().name());
                connectionIds.add(System.identityHashCode(request.connection()));
                Behaviour next = script.poll();
                Behaviour behaviour = next != null ? next : fallback.get();
                Call call = new Call(request, body.toString());
                callThreads.execute(() -> call.play(behaviour));
            });
        } else {
            request.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                    .end("{\"detail\":\"Not Found\"}");
        }
    }

    /** One call being answered: the blocking writes a behaviour is made of. */
    public final class Call {
        private final HttpServerRequest request;
        private final HttpServerResponse response;
        private final CompletableFuture<Void> abort = clientAbort;
        private final String question;
        private final String chatId = UUID.randomUUID().toString();
        private final CountDownLatch gone = new CountDownLatch(1);
        private volatile boolean finished;

        Call(HttpServerRequest request, String body) {
            this.request = request;
            this.response = request.response();
            this.question = questionOf(body);
            response.closeHandler(v -> {
                gone.countDown();
                if (!finished) {
                    abort.complete(null);
                }
            });
        }

        void play(Behaviour behaviour) {
            try {
                behaviour.script().play(this);
            } catch (Exception e) {
                drop();
            }
        }

        /** 200 and the headers of a streamed (chunked) answer, sent at once. */
        public void streamHead() {
            response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8");
            write(response.writeHead());
        }

        /** Writes one data-stream line and waits until it is on the wire; false once the client is gone. */
        public boolean line(String line) {
            return write(response.write(line + "\n"));
        }

        public boolean lines(List<String> lines) {
            return lines.stream().allMatch(this::line);
        }

        /** Waits, as a slow upstream does; returns early, with false, when the client leaves. */
        public boolean pause(Duration d) throws InterruptedException {
            return !gone.await(d.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Ends the answer normally. */
        public void end() {
            finished = true;
            write(response.end());
        }

        /** A whole response with a fixed-length body. */
        public void reply(int status, Map<String, String> headers, String body) {
            finished = true;
            response.setStatusCode(status);
            headers.forEach(response::putHeader);
            write(response.end(body == null ? "" : body));
        }

        /** Closes the connection, whatever was sent so far. */
        public void drop() {
            finished = true;
            request.connection().close();
        }

        public List<String> opening() {
            return List.of(chatLine(false, ""), note("KG_RETRIEVAL", null), note("REFINE_QUESTION", null),
                    note("SEARCH_RELATED_DOCUMENTS", null), sourcesNote(), note("GENERATE_ANSWER", null));
        }

        public List<String> closing(String fullText) {
            return List.of(note("FINISHED", null), chatLine(true, fullText));
        }

        private boolean write(Future<Void> written) {
            CompletableFuture<Void> f = written.toCompletionStage().toCompletableFuture();
            while (true) {
                try {
                    f.get(50, TimeUnit.MILLISECONDS);
                    return true;
                } catch (java.util.concurrent.TimeoutException e) {
                    if (gone.getCount() == 0) {
                        return false;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } catch (java.util.concurrent.ExecutionException e) {
                    return false;
                }
            }
        }

        /** A {@code 2:} line: the chat and both messages, as Autoflow sends first (open) and last (finished). */
        private String chatLine(boolean done, String content) {
            ObjectNode state = MAPPER.createObjectNode();
            state.putObject("chat").put("id", chatId).put("title", question).put("engine_id", 1)
                    .put("created_at", "2025-05-12T08:15:42");
            message(state.putObject("user_message"), 60033, "user", question, done);
            ObjectNode assistant = message(state.putObject("assistant_message"), 60034, "assistant", content, done);
            if (done) {
                assistant.set("sources", sources());
            }
            return "2:" + MAPPER.createArrayNode().add(state);
        }

        private ObjectNode message(ObjectNode m, int id, String role, String content, boolean done) {
            m.put("id", id).put("role", role).put("content", content).put("chat_id", chatId)
                    .put("created_at", "2025-05-12T08:15:42");
            if (done) {
                m.put("finished_at", "2025-05-12T08:16:05.123456Z");
            } else {
                m.putNull("finished_at");
            }
            return m;
        }
    }

    // ---- behaviours ---------------------------------------------------------------------------------------

    /** One step of a scripted answer; false when the client is gone and the answer should stop. */
    @FunctionalInterface
    private interface Step {
        boolean run(Call c) throws Exception;
    }

    /** A good answer of {@link #PARTS}, with {@code extra} done before part {@code at} (-1: before any event). */
    private static Behaviour good(String name, int at, Step extra) {
        return new Behaviour(name, c -> {
            c.streamHead();
            if (at < 0 && !extra.run(c) || !c.lines(c.opening())) {
                return;
            }
            for (int i = 0; i < PARTS.size(); i++) {
                if (i == at && !extra.run(c) || !c.line(text(PARTS.get(i)))) {
                    return;
                }
            }
            if (c.lines(c.closing(FULL_TEXT))) {
                c.end();
            }
        });
    }

    /** A complete, good streamed answer of {@link #PARTS}, as {@code new-chat.stream} is built. */
    public static Behaviour ok() {
        return good("ok", Integer.MAX_VALUE, c -> true);
    }

    /** Sends the headers at once, then nothing for {@code d}, then a good answer. */
    public static Behaviour slowFirstByte(Duration d) {
        return good("slow first byte " + d, -1, c -> c.pause(d));
    }

    /** Headers, the opening and {@code n} text parts, then silence for {@code d}; then the rest, if anyone listens. */
    public static Behaviour stallAfterParts(int n, Duration d) {
        return good("stall after " + n + " parts for " + d, n, c -> c.pause(d));
    }

    /** A good answer with one line in the middle that is not {@code <code>:<json>} (a proxy's HTML). */
    public static Behaviour malformedLine() {
        return good("malformed line", 2, c -> c.line("<html><body><h1>502 Bad Gateway</h1></body></html>"));
    }

    /** Text parts, then a clean end of the body without FINISHED and the final {@code 2:}. */
    public static Behaviour truncated() {
        return new Behaviour("truncated", c -> {
            c.streamHead();
            if (c.lines(c.opening()) && c.lines(PARTS.subList(0, 4).stream().map(FaultyUpstream::text).toList())) {
                c.end();
            }
        });
    }

    /** As {@code error-mid-stream.stream}: the opening {@code 2:}, one annotation, then a {@code 3:} line. */
    public static Behaviour errorMidStream() {
        return new Behaviour("error mid-stream", c -> {
            c.streamHead();
            if (c.lines(List.of(c.opening().get(0), note("KG_RETRIEVAL", null),
                    "3:\"Encountered an error while processing the chat. Please try again later.\""))) {
                c.end();
            }
        });
    }

    public static Behaviour status(int code) {
        return status(code, Map.of(), "{\"detail\":\"" + (code >= 500 ? "Internal Server Error" : "HTTP " + code) + "\"}");
    }

    /** A whole non-streamed answer: {@code code} with these headers and JSON body. */
    public static Behaviour status(int code, Map<String, String> headers, String body) {
        return new Behaviour("status " + code + (headers.isEmpty() ? "" : " " + headers), c -> {
            Map<String, String> all = new java.util.LinkedHashMap<>(headers);
            all.putIfAbsent("Content-Type", "application/json");
            c.reply(code, all, body);
        });
    }

    /** Reads the request, then says nothing at all for {@code d} (no status line), then closes. */
    public static Behaviour hangBeforeHeaders(Duration d) {
        return new Behaviour("hang before headers " + d, c -> {
            if (c.pause(d)) {
                c.drop();
            }
        });
    }

    /** Reads the request and closes the connection without any response. */
    public static Behaviour resetConnection() {
        return new Behaviour("reset connection", Call::drop);
    }

    /** {@code parts} text parts ("p0 ", "p1 ", ...) with {@code gap} before each, then a good end. */
    public static Behaviour slowStream(int parts, Duration gap) {
        return new Behaviour("slow stream " + parts + " x " + gap, c -> {
            c.streamHead();
            if (!c.lines(c.opening())) {
                return;
            }
            for (int i = 0; i < parts; i++) {
                if (!c.pause(gap) || !c.line(text("p" + i + " "))) {
                    return;
                }
            }
            if (c.lines(c.closing(slowText(parts)))) {
                c.end();
            }
        });
    }

    /** Big text parts as fast as the reader takes them, up to {@code maxBytes}: for back-pressure tests. */
    public static Behaviour flood(int partChars, long maxBytes) {
        return new Behaviour("flood", c -> {
            c.streamHead();
            String part = text("x".repeat(partChars));
            if (!c.lines(c.opening())) {
                return;
            }
            for (long sent = 0; sent < maxBytes; sent += part.length()) {
                if (!c.line(part)) {
                    return;
                }
            }
            c.end();
        });
    }

    /** The text the client sees of {@link #slowStream}'s first {@code n} parts. */
    public static String slowText(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("p").append(i).append(' ');
        }
        return sb.toString();
    }

    // ---- lines ------------------------------------------------------------------------------------------

    static String text(String part) {
        return "0:" + MAPPER.valueToTree(part);
    }

    static String note(String state, JsonNode context) {
        ObjectNode n = MAPPER.createObjectNode().put("state", state).put("display", state.replace('_', ' '));
        n.set("context", context);
        n.put("message", "");
        return "8:" + MAPPER.createArrayNode().add(n);
    }

    private static String sourcesNote() {
        return note("SOURCE_NODES", sources());
    }

    private static ArrayNode sources() {
        ArrayNode s = MAPPER.createArrayNode();
        s.addObject().put("id", 8247).put("name", "TiKV Flow Control")
                .put("source_uri", "https://docs.pingcap.com/tidb/stable/tikv-configuration-file");
        return s;
    }

    private static String questionOf(String body) {
        try {
            JsonNode messages = MAPPER.readTree(body).path("messages");
            return messages.path(messages.size() - 1).path("content").asText("");
        } catch (Exception e) {
            return "";
        }
    }

    private static void await(Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the faulty upstream could not start", e);
        }
    }

    /** A port nothing listens on (bound, read, closed). */
    public static int deadPort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
