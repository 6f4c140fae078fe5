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
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String apiKey;

    public GatewayClient(CamelContext context) {
        this(context, null);
    }

    public GatewayClient(CamelContext context, String apiKey) {
        this("http://127.0.0.1:" + context.hasService(VertxPlatformHttpServer.class).getServer().actualPort(), apiKey);
    }

    private GatewayClient(String base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    public GatewayClient withKey(String key) {
        return new GatewayClient(base, key);
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

    /** Posts and reads the answer as SSE, event by event, as they arrive. */
    public StreamReply stream(String path, String json, Consumer<SseEvent> onEvent) throws Exception {
        HttpResponse<InputStream> response = http.send(request(path).header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofInputStream());
        List<SseEvent> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String event = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        SseEvent e = new SseEvent(event, data.toString(), System.nanoTime());
                        events.add(e);
                        onEvent.accept(e);
                    }
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        }
        return new StreamReply(response.statusCode(), response.headers(), events);
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
