package io.autoflow.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoflow.gateway.autoflow.AutoflowEvent;
import io.autoflow.gateway.autoflow.DataStreamReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A small java.net.http client for the simulator tests. */
final class SimulatorHttp {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** An event and when it was read, for pacing assertions. */
    record Timed(AutoflowEvent event, long nanos) {
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String baseUrl;

    SimulatorHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    HttpClient client() {
        return client;
    }

    static ObjectNode chatBody(String chatId, Boolean stream, String... rolesAndContents) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode messages = body.putArray("messages");
        for (int i = 0; i < rolesAndContents.length; i += 2) {
            messages.addObject().put("role", rolesAndContents[i]).put("content", rolesAndContents[i + 1]);
        }
        if (chatId != null) {
            body.put("chat_id", chatId);
        }
        if (stream != null) {
            body.put("stream", stream);
        }
        return body;
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    }

    HttpResponse<String> postJson(String path, String body) {
        return send(request(path).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postChat(JsonNode body) {
        return postJson("/chats", body.toString());
    }

    HttpResponse<InputStream> openStream(JsonNode body) {
        return send(request("/chats").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = request(path).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String path, String... headers) {
        HttpRequest.Builder b = request(path).DELETE();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Streams a chat answer and returns every event with its arrival time. */
    List<Timed> streamChat(JsonNode body) throws IOException {
        HttpResponse<InputStream> response = openStream(body);
        if (response.statusCode() != 200) {
            throw new AssertionError("status " + response.statusCode());
        }
        List<Timed> out = new ArrayList<>();
        try (DataStreamReader reader = new DataStreamReader(response.body(), MAPPER)) {
            for (AutoflowEvent e = reader.next(); e != null; e = reader.next()) {
                out.add(new Timed(e, System.nanoTime()));
            }
        }
        return out;
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
