package io.autoflow.gateway.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoflow.gateway.e2e.GatewayClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bad input never gives a 5xx: seeded random and mutated bodies, content types and methods against the
 * API, with a good upstream behind it, so every valid body is answered 200/201. Each case is checked for:
 * status below 500, no stack trace in the body, and the contract's error body on every 4xx.
 */
class BadInputFuzzTest extends GatewayUnderFaults {

    private static final long SEED = 20261123L;
    private static final int CASES = 300;
    private static final String[] CONTENT_TYPES = { "application/json", "application/json", "application/json",
            "application/json", "application/json", "application/json; charset=utf-8", null, "text/plain",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "application/xml" };
    private static final String PIECES = "abcXYZ 019_-,:;!?'\"\\/{}[]\t\n\u0000\u001f\u00e9\u4e2d\ud83d\ude00\u202e";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Random random;
    private String sessionId;

    @Override
    protected void configure(Properties p) {
        p.put("gateway.session.max", "5000");
    }

    @BeforeEach
    void seed() {
        random = new Random(SEED);
        sessionId = newSession();
    }

    /** One generated request: what it is, and whether a correct gateway must accept it. */
    private record Case(String method, String path, String contentType, byte[] body, boolean valid, String label) {
    }

    @Test
    void randomAndMutatedBodiesNeverGive5xx() throws Exception {
        Map<String, List<String>> violations = new TreeMap<>();
        int valid = 0;
        for (int i = 0; i < CASES; i++) {
            Case c = nextBodyCase();
            valid += c.valid() ? 1 : 0;
            check(i, c, violations);
        }
        assertTrue(valid >= CASES / 10, "the generator also sends valid requests: " + valid);
        report(violations);
    }

    @Test
    void wrongMethodsNeverGive5xxAndAnswerWithTheErrorBody() throws Exception {
        Map<String, List<String>> violations = new TreeMap<>();
        int i = 0;
        for (Case c : wrongMethodCases()) {
            check(i++, c, violations);
        }
        report(violations);
    }

    @Test
    void wrongMethodsAre405() throws Exception {
        Map<String, List<String>> violations = new TreeMap<>();
        for (Case c : wrongMethodCases()) {
            HttpResponse<String> r = send(c);
            if (r.statusCode() != 405) {
                violations.computeIfAbsent("status " + r.statusCode() + " instead of 405", k -> new ArrayList<>())
                        .add(c.method() + " " + c.path());
            }
        }
        report(violations);
    }

    /**
     * Found by the fuzz above (case "escapes"): a JSON-escaped lone surrogate is valid JSON, so the question is
     * accepted, but it must not break the turn, nor every later turn of its session that replays the history.
     */
    @Test
    void aLoneSurrogateInTheQuestionIsNeverA5xxNorPoisonsItsSession() {
        String session = newSession();
        String lone = "{\"session_id\":\"" + session + "\",\"message\":\"why \\ud800 slow\"}";

        GatewayClient.Reply first = client.post("/api/rca/chat", lone);
        GatewayClient.Reply stream = client.post("/api/rca/chat/stream", lone);
        GatewayClient.Reply after = client.post("/api/rca/chat", chatBody(session, "And now a plain question?"));

        assertAll(() -> assertTrue(first.status() < 500, "JSON answer: " + first.status() + " " + first.body()),
                () -> assertTrue(stream.status() < 500, "stream: " + stream.status() + " " + stream.body()),
                () -> assertEquals(200, after.status(), "the next plain question in that session: " + after.body()));
    }

    private List<Case> wrongMethodCases() {
        String s = "/api/rca/session/" + sessionId;
        Map<String, List<String>> allowed = Map.of("/api/rca/chat", List.of("POST"), "/api/rca/chat/stream",
                List.of("POST"), "/api/rca/session", List.of("POST"), s, List.of("GET", "DELETE"), s + "/reset",
                List.of("POST"), "/api/rca/sessions", List.of("GET"), "/api/rca/health", List.of("GET"));
        List<Case> out = new ArrayList<>();
        for (String path : new TreeMap<>(allowed).keySet()) {
            for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
                if (!allowed.get(path).contains(method)) {
                    byte[] body = random.nextBoolean() ? new byte[0] : validChat().getBytes(StandardCharsets.UTF_8);
                    out.add(new Case(method, path, body.length == 0 ? null : "application/json", body, false,
                            "wrong method"));
                }
            }
        }
        return out;
    }

    private void check(int i, Case c, Map<String, List<String>> violations) throws Exception {
        HttpResponse<String> r = send(c);
        String what = "#" + i + " " + c.method() + " " + c.path() + " [" + c.label() + ", " + c.contentType() + "] "
                + abbreviate(new String(c.body(), StandardCharsets.UTF_8)) + " -> " + r.statusCode() + " "
                + abbreviate(r.body());
        String body = r.body() == null ? "" : r.body();
        if (r.statusCode() >= 500) {
            violations.computeIfAbsent("HTTP " + r.statusCode(), k -> new ArrayList<>()).add(what);
        }
        if (body.contains("Exception") || body.contains("at io.") || body.contains("at org.")) {
            violations.computeIfAbsent("stack trace or exception name in the body", k -> new ArrayList<>()).add(what);
        }
        if (c.valid() && r.statusCode() / 100 != 2) {
            violations.computeIfAbsent("valid request refused", k -> new ArrayList<>()).add(what);
        }
        if (r.statusCode() >= 400 && !isErrorBody(r)) {
            violations.computeIfAbsent("HTTP " + r.statusCode() + " without the contract's error body "
                    + "{\"error\":{code,message,request_id}}", k -> new ArrayList<>()).add(what);
        }
    }

    private static boolean isErrorBody(HttpResponse<String> r) {
        try {
            JsonNode e = FaultyUpstream.MAPPER.readTree(r.body()).path("error");
            return e.path("code").isTextual() && !e.path("code").asText().isBlank() && e.path("message").isTextual()
                    && e.path("request_id").isTextual() && !e.path("request_id").asText().isBlank();
        } catch (Exception notJson) {
            return false;
        }
    }

    private static void report(Map<String, List<String>> violations) {
        if (violations.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        violations.forEach((kind, cases) -> {
            sb.append('\n').append(kind).append(": ").append(cases.size()).append(" case(s), e.g.");
            cases.stream().limit(5).forEach(c -> sb.append("\n    ").append(c));
        });
        fail(sb.toString());
    }

    private HttpResponse<String> send(Case c) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(client.base() + c.path()))
                .timeout(Duration.ofSeconds(30))
                .method(c.method(), HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (c.contentType() != null) {
            b.header("Content-Type", c.contentType());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    // ---- generators (all draw from the one seeded Random, so a failing case number is reproducible) ----

    private static final String[] KINDS = { "valid", "valid", "unknown fields", "truncated", "wrong types",
            "huge string", "nested junk", "invalid UTF-8", "empty", "scalar", "array", "random bytes", "mutated",
            "escapes", "session ids", "metadata" };

    private Case nextBodyCase() {
        int endpoint = random.nextInt(100);
        String path = endpoint < 40 ? "/api/rca/chat" : endpoint < 55 ? "/api/rca/chat/stream"
                : endpoint < 90 ? "/api/rca/session" : "/api/rca/session/" + sessionId + "/reset";
        boolean chat = path.startsWith("/api/rca/chat");
        String contentType = CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
        int kind = random.nextInt(KINDS.length);
        String good = chat ? (random.nextBoolean() ? validChat() : validDeepChat()) : validSession();
        byte[] body = switch (kind) {
            case 0, 1 -> utf8(good);
            case 2 -> utf8(good.substring(0, good.length() - 1) + (good.equals("{}") ? "" : ",") + "\"zz_unknown\":"
                    + junk(3) + ",\"__proto__\":{}}");
            case 3 -> utf8(good.substring(0, random.nextInt(good.length())));
            case 4 -> utf8(wrongTypes(chat));
            case 5 -> utf8("{\"message\":\"" + "a".repeat(new int[] { 10_001, 200_000, 1_100_000 }[random.nextInt(3)])
                    + "\",\"engine\":\"" + "e".repeat(random.nextInt(2) * 300) + "\"}");
            case 6 -> {
                int depth = 1 + random.nextInt(3000);
                yield utf8("{\"message\":\"hi\",\"metadata\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
            }
            case 7 -> concat(utf8("{\"message\":\"bad "), java.util.Arrays.copyOfRange(new byte[] { (byte) 0xC3,
                    (byte) 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, random.nextInt(3), 7),
                    utf8("\",\"engine\":\"x\"}"));
            case 8 -> new byte[0];
            case 9 -> utf8(pick("42", "-1e999", "NaN", "null", "true", "\"message\"", "0x10", "1e400"));
            case 10 -> utf8(random.nextBoolean() ? "[]" : "[" + validChat() + "]");
            case 11 -> {
                byte[] noise = new byte[random.nextInt(512)];
                random.nextBytes(noise);
                yield noise;
            }
            case 12 -> mutate(utf8(good));
            case 13 -> utf8("{\"message\":\"q " + pick("\\ud800", "\\udfff\\ud800", "\\u0000", "\\uffff",
                    "\\ud83d\\ude00", "\\\\\\\"") + "\",\"session_id\":null}");
            case 14 -> utf8("{\"message\":\"hi\",\"session_id\":" + FaultyUpstream.MAPPER.valueToTree(pick("", " ",
                    "../../etc/passwd", "%2e%2e", "x".repeat(5000), "\u4e2d\u6587", "null", sessionId.toUpperCase(),
                    sessionId + "x")) + "}");
            default -> utf8(metadata());
        };
        boolean json = contentType != null && contentType.startsWith("application/json");
        // The reset endpoint reads no body: it has no valid/invalid bodies, only the general checks.
        return new Case("POST", path, contentType, body, kind <= 2 && json && !path.endsWith("/reset"), KINDS[kind]);
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private String validChat() {
        return "{\"message\":" + FaultyUpstream.MAPPER.valueToTree("Why " + text(1 + random.nextInt(60)) + "?")
                + (random.nextBoolean() ? ",\"temperature\":" + random.nextInt(3) : "")
                + (random.nextBoolean() ? ",\"max_tokens\":" + (1 + random.nextInt(4000)) : "") + "}";
    }

    private String validDeepChat() {
        return "{\"messages\":[{\"role\":\"user\",\"text\":" + FaultyUpstream.MAPPER.valueToTree("Why " + text(20))
                + "}]}";
    }

    private String validSession() {
        return random.nextBoolean() ? "{}" : "{\"engine\":\"default\",\"metadata\":{\"cluster\":"
                + FaultyUpstream.MAPPER.valueToTree(text(10)) + "}}";
    }

    private String wrongTypes(boolean chat) {
        String[] values = { "1", "-0.5", "true", "[]", "{}", "[\"a\"]", "{\"text\":\"x\"}", "1.5e3", "\"\"", "\"3\"" };
        String v = values[random.nextInt(values.length)];
        String[] fields = chat ? new String[] { "message", "session_id", "engine", "temperature", "max_tokens",
                "stream", "messages" } : new String[] { "engine", "metadata" };
        String field = fields[random.nextInt(fields.length)];
        return chat && !field.equals("message") && !field.equals("messages")
                ? "{\"message\":\"hi\",\"" + field + "\":" + v + "}" : "{\"" + field + "\":" + v + "}";
    }

    private String metadata() {
        StringBuilder sb = new StringBuilder("{\"metadata\":{");
        int n = random.nextInt(50);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append('"').append("k").append(i).append("x".repeat(random.nextInt(200)))
                    .append("\":").append(random.nextInt(4) == 0 ? junk(2) : "\"" + "v".repeat(random.nextInt(1500)) + "\"");
        }
        return sb.append("}}").toString();
    }

    private String junk(int depth) {
        if (depth == 0) {
            return random.nextBoolean() ? Integer.toString(random.nextInt()) : FaultyUpstream.MAPPER.valueToTree(text(5)).toString();
        }
        return random.nextBoolean() ? "[" + junk(depth - 1) + "," + junk(depth - 1) + "]"
                : "{\"a\":" + junk(depth - 1) + ",\"b\":null}";
    }

    /** Random text that is valid inside a JSON string once encoded; never forms "Exception" or "at io.". */
    private String text(int n) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < n) {
            int i = random.nextInt(PIECES.length());
            sb.append(Character.isHighSurrogate(PIECES.charAt(i)) ? PIECES.substring(i, i + 2)
                    : Character.isLowSurrogate(PIECES.charAt(i)) ? "z" : String.valueOf(PIECES.charAt(i)));
        }
        return sb.toString();
    }

    private byte[] mutate(byte[] in) {
        byte[] out = in.clone();
        for (int k = 1 + random.nextInt(4); k > 0; k--) {
            out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        String flat = s.replace("\n", "\\n").replace("\r", "\\r");
        return flat.length() <= 160 ? flat : flat.substring(0, 160) + "...(" + s.length() + " chars)";
    }
}
