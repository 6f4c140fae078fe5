package io.autoflow.gateway.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;

/** A real HTTP client for the gateway under test, on the random port camel-main bound. */
public final class GatewayClient {

    /** One SSE event as a client sees it, with the time it arrived. */
    public record SseEvent(String event, String data, long arrivedNanos) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(data);
            } catch (IOException e) {
                throw new AssertionError("SSE data is not JSON: " + data, e);
            }
        }
    }

    public record Reply(int status, java.net.http.HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("body is not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http;
    private final String base;
    private final String apiKey;

    public GatewayClient(CamelContext context) {
        this(context, null);
    }

    public GatewayClient(CamelContext context, String apiKey) {
        this("http://127.0.0.1:" + context.hasService(VertxPlatformHttpServer.class).getServer().actualPort(), apiKey);
    }

    private GatewayClient(String base, String apiKey) {
        // HTTP/1.1 as browsers (deep-chat) and reverse proxies speak to a plain-HTTP server; the JDK's default
        // would upgrade to h2c, which they never do. withVersion switches.
        this(base, apiKey, HttpClient.Version.HTTP_1_1);
    }

    private GatewayClient(String base, String apiKey, HttpClient.Version version) {
        this.base = base;
        this.apiKey = apiKey;
        this.http = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public GatewayClient withKey(String key) {
        return new GatewayClient(base, key, http.version());
    }

    /** The same client speaking another HTTP version (HTTP_2 means h2c upgrade on plain HTTP). */
    public GatewayClient withVersion(HttpClient.Version version) {
        return new GatewayClient(base, apiKey, version);
    }

    public String base() {
        return base;
    }

    public Reply get(String path) {
        return send(request(path).GET());
    }

    public Reply delete(String path) {
        return send(request(path).DELETE());
    }

    public Reply post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply postBytes(String path, byte[] body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /**
     * Any call with extra request headers given as name/value pairs, e.g.
     * {@code send("POST", "/api/rca/chat", json, "X-Request-Id", "abc")}; a null body sends none.
     */
    public Reply send(String method, String path, String json, String... headers) {
        HttpRequest.Builder b = request(path);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return send(b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * Reads the SSE answer until {@code stopAfter} accepts an event, then hangs up (closes the body, as a
     * browser tab that navigates away); reads to the end if it never does.
     */
    public StreamReply streamUntil(String path, String json, Predicate<SseEvent> stopAfter) throws Exception {
        HttpResponse<InputStream> response = http.send(request(path).header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofInputStream());
        List<SseEvent> events = new ArrayList<>();
        try (InputStream body = response.body()) {
            readEvents(body, e -> {
                events.add(e);
                return stopAfter.test(e);
            });
        }
        return new StreamReply(response.statusCode(), response.headers(), events);
    }

    /** Posts and reads the answer as SSE, event by event, as they arrive. */
    public StreamReply stream(String path, String json, Consumer<SseEvent> onEvent) throws Exception {
        return streamUntil(path, json, e -> {
            onEvent.accept(e);
            return false;
        });
    }

    /** Parses SSE from {@code in}, stamping each event on arrival, until the end or {@code handler} says stop. */
    private static void readEvents(InputStream in, Predicate<SseEvent> handler) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String event = null;
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data.length() > 0 && handler.test(new SseEvent(event, data.toString(), System.nanoTime()))) {
                    return;
                }
                event = null;
                data.setLength(0);
            } else if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ")) {
                if (data.length() > 0) {
                    data.append('\n');
                }
                data.append(line.substring(6));
            }
        }
    }

    public record StreamReply(int status, java.net.http.HttpHeaders headers, List<SseEvent> events) {
        public String text() {
            StringBuilder sb = new StringBuilder();
            for (SseEvent e : events) {
                if (e.event() == null && e.json().has("text")) {
                    sb.append(e.json().get("text").asText());
                }
            }
            return sb.toString();
        }

        public List<SseEvent> named(String name) {
            return events.stream().filter(e -> name.equals(e.event())).toList();
        }

        /** The unnamed {@code data: {"text": ...}} events, as deep-chat renders them. */
        public List<SseEvent> textEvents() {
            return events.stream().filter(e -> e.event() == null && e.json().has("text")).toList();
        }

        public SseEvent last() {
            return events.isEmpty() ? null : events.get(events.size() - 1);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b;
    }

    private Reply send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> r = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
