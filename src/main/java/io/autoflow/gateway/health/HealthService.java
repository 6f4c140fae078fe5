package io.autoflow.gateway.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.autoflow.gateway.api.HttpExchanges;
import io.autoflow.gateway.chat.UpstreamBreaker;
import io.autoflow.gateway.session.SessionStore;
import org.apache.camel.Exchange;

/**
 * The gateway's HealthStatus: the upstream (its {@code /healthz}, probed at most once per cache period
 * so health checks never flood Autoflow), the circuit breaker, the session store, and the simulator.
 */
public final class HealthService {

    public enum Status { Healthy, Degraded, Unhealthy }

    public record Check(String name, Status status, String message, long durationMs) {
    }

    /** Immutable settings, from {@code gateway.health.*}. */
    public record Settings(Duration probeTimeout, Duration cachePeriod, int maxSessions) {
    }

    private final String baseUrl;
    private final boolean simulator;
    private final UpstreamBreaker breaker;
    private final SessionStore sessions;
    private final Settings settings;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final HttpClient http;
    private final LoadingCache<String, Check> upstreamProbe;

    public HealthService(String baseUrl, boolean simulator, UpstreamBreaker breaker, SessionStore sessions,
            Settings settings, ObjectMapper mapper, Clock clock) {
        this.baseUrl = baseUrl;
        this.simulator = simulator;
        this.breaker = breaker;
        this.sessions = sessions;
        this.settings = settings;
        this.mapper = mapper;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.probeTimeout()).build();
        this.upstreamProbe = Caffeine.newBuilder().expireAfterWrite(settings.cachePeriod()).build(k -> probe());
    }

    public void respond(Exchange exchange) throws JsonProcessingException {
        List<Check> checks = checks();
        Status overall = Status.Healthy;
        for (Check c : checks) {
            if (c.status().compareTo(overall) > 0) {
                overall = c.status();
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", overall.name());
        body.put("checks", checks.stream().map(c -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", c.name());
            view.put("status", c.status().name());
            view.put("message", c.message());
            view.put("duration_ms", c.durationMs());
            return view;
        }).toList());
        body.put("timestamp", clock.instant().toString());
        HttpExchanges.json(exchange, overall == Status.Unhealthy ? 503 : 200, mapper.writeValueAsString(body));
    }

    public List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        checks.add(upstreamProbe.get("upstream"));
        checks.add(breakerCheck());
        checks.add(sessionCheck());
        if (simulator) {
            checks.add(new Check("simulator", Status.Degraded,
                    "The upstream is the EMBEDDED AUTOFLOW SIMULATOR: answers are canned. Set TIDB_AI_BASE_URL "
                            + "to use tidb.ai or a self-hosted Autoflow.", 0));
        }
        return checks;
    }

    private Check breakerCheck() {
        return switch (breaker.state()) {
            case CLOSED -> new Check("circuit_breaker", Status.Healthy, "closed: calls to Autoflow flow", 0);
            case HALF_OPEN -> new Check("circuit_breaker", Status.Degraded,
                    "half-open: probing whether Autoflow has recovered", 0);
            default -> new Check("circuit_breaker", Status.Degraded, breaker.state().name().toLowerCase()
                    + ": calls to Autoflow fail fast for " + breaker.retryAfter().toSeconds() + " s more", 0);
        };
    }

    private Check sessionCheck() {
        int size = sessions.size();
        Status status = size >= settings.maxSessions() ? Status.Degraded : Status.Healthy;
        return new Check("session_store", status, size + " of " + settings.maxSessions() + " sessions in use", 0);
    }

    private Check probe() {
        long start = System.nanoTime();
        String target = simulator ? "the embedded simulator" : "Autoflow";
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/healthz"))
                    .timeout(settings.probeTimeout()).GET().build(), HttpResponse.BodyHandlers.discarding());
            long ms = (System.nanoTime() - start) / 1_000_000;
            return response.statusCode() == 200
                    ? new Check("upstream", Status.Healthy, target + " answers /healthz", ms)
                    : new Check("upstream", Status.Unhealthy,
                            target + " answered /healthz with HTTP " + response.statusCode(), ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check("upstream", Status.Unhealthy, "health probe interrupted", 0);
        } catch (Exception e) {
            long ms = (System.nanoTime() - start) / 1_000_000;
            return new Check("upstream", Status.Unhealthy, target + " cannot be reached: "
                    + e.getClass().getSimpleName(), ms);
        }
    }
}
