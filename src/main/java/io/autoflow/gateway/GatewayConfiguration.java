package io.autoflow.gateway;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoflow.gateway.api.ChatRequestParser;
import io.autoflow.gateway.api.ClientIdentity;
import io.autoflow.gateway.api.ErrorResponder;
import io.autoflow.gateway.api.HttpFallbacks;
import io.autoflow.gateway.api.TrustedProxies;
import io.autoflow.gateway.lifecycle.GatewayLifecycle;
import io.autoflow.gateway.observability.GatewayEvents;
import io.autoflow.gateway.observability.GatewayMetrics;
import io.autoflow.gateway.observability.Redactor;
import io.autoflow.gateway.observability.RequestMetrics;
import io.autoflow.gateway.observability.RouteTimers;
import io.autoflow.gateway.observability.TraceContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.autoflow.gateway.api.SessionApi;
import io.autoflow.gateway.chat.AnswerRelay;
import io.autoflow.gateway.chat.AnswerViews;
import io.autoflow.gateway.chat.AutoflowRequests;
import io.autoflow.gateway.chat.BreakerGate;
import io.autoflow.gateway.chat.ChatIntake;
import io.autoflow.gateway.chat.ChatResponder;
import io.autoflow.gateway.chat.ClientThrottle;
import io.autoflow.gateway.chat.ConcurrencyGuard;
import io.autoflow.gateway.ratelimit.ConcurrencyLimits;
import io.autoflow.gateway.chat.SessionEnricher;
import io.autoflow.gateway.chat.SessionRecovery;
import io.autoflow.gateway.chat.SessionTurns;
import io.autoflow.gateway.chat.TokenCounter;
import io.autoflow.gateway.chat.TurnRecorder;
import io.autoflow.gateway.chat.UpstreamBreaker;
import io.autoflow.gateway.chat.UpstreamCalls;
import io.autoflow.gateway.chat.UpstreamDeadlines;
import io.autoflow.gateway.chat.UpstreamComponent;
import io.autoflow.gateway.chat.StreamRelay;
import io.autoflow.gateway.chat.UpstreamRetry;
import io.autoflow.gateway.chat.UpstreamStatus;
import io.autoflow.gateway.config.Props;
import io.autoflow.gateway.health.HealthService;
import io.autoflow.gateway.ratelimit.BucketRateLimiter;
import io.autoflow.gateway.ratelimit.RateLimitSettings;
import io.autoflow.gateway.server.AsyncRouteEngine;
import io.autoflow.gateway.server.RequestThreads;
import io.autoflow.gateway.session.CaffeineSessionStore;
import io.autoflow.gateway.session.HistoryBudget;
import io.autoflow.gateway.session.SessionSettings;
import io.autoflow.gateway.session.SessionStore;
import io.autoflow.gateway.simulator.AutoflowSimulator;
import io.autoflow.gateway.simulator.SimulatorSettings;
import io.autoflow.gateway.streaming.SseEvents;
import io.github.bucket4j.TimeMeter;
import io.vertx.core.Vertx;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the beans the routes call, each built from the gateway's properties. The routes themselves are
 * the YAML files under {@code routes/}.
 */
public class GatewayConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Props props = new Props(context);
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();
        // Jackson's default buffer pool is per thread: with a virtual thread per request every request would
        // keep its own ~20 KiB of buffers for as long as its stream is open. One shared pool instead.
        ObjectMapper mapper = new ObjectMapper(JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());

        Vertx vertx = vertx(props);
        registry.bind("vertx", Vertx.class, vertx);
        // The REST routes run asynchronously: an open stream holds no thread (AsyncRouteConsumer); those whose
        // steps never block run on the client connection's event loop from the start.
        registry.bind(PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME, PlatformHttpEngine.class,
                new AsyncRouteEngine(props.names("gateway.event-loop-routes")));
        String baseUrl = upstreamBaseUrl(context, props, vertx, mapper);
        // Registered after the simulator's stop: stop hooks run in order, and Vert.x goes last.
        onStop(context, () -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        // The route's call-autoflow step targets {{autoflow.chats-url}}.
        context.getPropertiesComponent().addOverrideProperty("autoflow.chats-url", baseUrl + "/chats");

        UpstreamBreaker breaker = breaker(props, clock);
        registry.bind("upstreamBreaker", breaker);
        registry.bind("autoflowBreaker", new BreakerGate(breaker));
        UpstreamRetry retry = new UpstreamRetry(new UpstreamRetry.Settings(props.integer("autoflow.max-retries", 3),
                props.seconds("autoflow.retry.initial-delay", 0.2), props.decimal("autoflow.retry.multiplier", 2),
                props.seconds("autoflow.retry.max-delay", 5), props.seconds("autoflow.retry.max-retry-after", 10)));
        registry.bind("upstreamRetryPolicy", retry.redeliveryPolicy());
        registry.bind("upstreamRetryWhile", retry.retryWhile());

        GatewayMetrics metrics = new GatewayMetrics(meterRegistry(registry), breaker::state);
        context.getManagementStrategy().addEventNotifier(new RequestMetrics(metrics));
        context.addLifecycleStrategy(new RouteTimers(props.text("gateway.metrics.untimed-routes",
                "autoflow-call,autoflow-attempt,publish-events")));
        GatewayEvents events = new GatewayEvents(new GatewayEvents.Settings(props.flag("gateway.events.enabled", true),
                props.text("gateway.events.queue", "seda:gateway-events"), props.flag("gateway.log.bodies", false)),
                context, mapper, metrics, new Redactor(), clock);

        int maxSessions = props.integer("gateway.session.max", 100);
        HistoryBudget budget = new HistoryBudget(props.integer("gateway.session.history.max-messages", 50),
                props.integer("gateway.session.history.max-chars", 100_000));
        SessionStore sessions = new CaffeineSessionStore(new SessionSettings(
                props.seconds("gateway.session.ttl", 3600), maxSessions,
                props.seconds("gateway.session.cleanup-interval", 600), budget), clock, events);
        registry.bind("sessionStore", SessionStore.class, sessions);
        metrics.sessionsActive(sessions, SessionStore::size);

        UpstreamCalls calls = new UpstreamCalls(props.seconds("autoflow.total-timeout", 600));
        UpstreamDeadlines.Settings deadlineSettings = new UpstreamDeadlines.Settings(
                props.seconds("autoflow.timeout", 30), props.seconds("autoflow.idle-timeout", 120),
                props.seconds("autoflow.total-timeout", 600));
        // One timer task per call in flight: the default profile's queue of 1,000 would cap open streams.
        ScheduledExecutorService timer = context.getExecutorServiceManager().newScheduledThreadPool(this,
                "upstream-deadlines", new ThreadPoolProfileBuilder("upstream-deadlines").poolSize(1).maxQueueSize(-1)
                        .build());
        UpstreamDeadlines deadlines = new UpstreamDeadlines(deadlineSettings, timer, calls);
        context.addComponent("upstream", new UpstreamComponent(vertx, new UpstreamComponent.Settings(
                props.seconds("autoflow.connect-timeout", 5), props.seconds("autoflow.pool-timeout", 5),
                props.integer("autoflow.pool.max-connections", 500),
                UpstreamComponent.Settings.http2(props.text("autoflow.http2", "auto")),
                props.optional("autoflow.trust-store").orElse(null),
                props.optional("autoflow.trust-store-password").orElse(null)), calls));
        GatewayLifecycle lifecycle = new GatewayLifecycle(props.seconds("gateway.shutdown.grace", 25), calls, timer);
        context.addLifecycleStrategy(lifecycle);
        registry.bind("gatewayLifecycle", lifecycle);
        String corsOrigin = props.text("gateway.cors.allow-origin", "*");
        context.addLifecycleStrategy(new HttpFallbacks(mapper, lifecycle, events,
                props.number("camel.server.max-body-size", 1_048_576), corsOrigin,
                props.integer("camel.server.port", 8080)));

        bindClientLimits(registry, props);

        String defaultEngine = props.text("autoflow.default-engine", "default");
        TokenCounter tokens = new TokenCounter();
        SseEvents sse = new SseEvents(mapper);
        AnswerViews views = new AnswerViews();
        SessionEnricher enricher = new SessionEnricher(sessions, defaultEngine);
        registry.bind("chatIntake", new ChatIntake(new ChatRequestParser(mapper,
                props.integer("gateway.max-message-chars", 10_000)), props.seconds("gateway.stream.stall-timeout", 30),
                clock, vertx));
        registry.bind("sessionEnricher", enricher);
        registry.bind("sessionTurns", new SessionTurns(props.seconds("autoflow.total-timeout", 600), vertx));
        registry.bind("autoflowRequests", new AutoflowRequests(mapper, enricher, tokens,
                props.optional("autoflow.api-key").orElse(null), deadlines, calls, new TraceContext()));
        registry.bind("upstreamStatus", new UpstreamStatus(mapper, events));
        AnswerRelay answers = new AnswerRelay(mapper, sse, views, corsOrigin);
        registry.bind("answerRelay", answers);
        registry.bind("streamRelay", new StreamRelay(answers, mapper, metrics));
        registry.bind("sessionRecovery", new SessionRecovery(sessions, clock));
        registry.bind("turnRecorder", new TurnRecorder(sessions, budget, clock, events, tokens));
        registry.bind("chatResponder", new ChatResponder(mapper, sse, views));
        registry.bind("errorResponder", new ErrorResponder(mapper, sse, breaker, events));
        registry.bind("sessionApi", new SessionApi(sessions, mapper, defaultEngine, clock));
        registry.bind("healthService", new HealthService(baseUrl, baseUrl.equals(simulatorUrl(registry)), breaker,
                sessions, new HealthService.Settings(props.seconds("gateway.health.probe-timeout", 2),
                        props.seconds("gateway.health.cache", 10), maxSessions), mapper, clock));
    }

    /** The configured Autoflow, or the embedded simulator (started here) when none is. */
    private static String upstreamBaseUrl(CamelContext context, Props props, Vertx vertx, ObjectMapper mapper) {
        String baseUrl = props.optional("autoflow.base-url").map(GatewayConfiguration::trimSlash).orElse(null);
        if (baseUrl != null) {
            LOG.info("Upstream Autoflow: {}", baseUrl);
            return baseUrl;
        }
        AutoflowSimulator simulator = new AutoflowSimulator(vertx, new SimulatorSettings(
                props.text("autoflow.simulator.host", "127.0.0.1"), props.integer("autoflow.simulator.port", 0),
                props.seconds("autoflow.simulator.token-delay", 0.03),
                props.seconds("autoflow.simulator.first-token-delay", 0.2)), mapper);
        simulator.start();
        onStop(context, simulator::stop);
        context.getRegistry().bind("autoflowSimulator", simulator);
        LOG.warn("*** TIDB_AI_BASE_URL is not set: the upstream is the EMBEDDED AUTOFLOW SIMULATOR at {}. "
                + "Answers are canned. Set TIDB_AI_BASE_URL to use tidb.ai or a self-hosted Autoflow. ***",
                simulator.baseUrl());
        return simulator.baseUrl();
    }

    private static String simulatorUrl(Registry registry) {
        AutoflowSimulator simulator = registry.lookupByNameAndType("autoflowSimulator", AutoflowSimulator.class);
        return simulator == null ? null : simulator.baseUrl();
    }

    private static UpstreamBreaker breaker(Props props, Clock clock) {
        return new UpstreamBreaker(new UpstreamBreaker.Settings(
                (float) props.decimal("autoflow.breaker.failure-rate-threshold", 50),
                (float) props.decimal("autoflow.breaker.slow-call-rate-threshold", 100),
                props.seconds("autoflow.breaker.slow-call-duration", 60),
                props.integer("autoflow.breaker.sliding-window-size", 20),
                props.integer("autoflow.breaker.minimum-calls", 10),
                props.seconds("autoflow.breaker.wait-in-open", 30),
                props.integer("autoflow.breaker.half-open-calls", 3)), clock);
    }

    /**
     * One registry for Camel's route metrics and the gateway's own, so one scrape has both: Camel's
     * Prometheus service binds "metricsRegistry" if it started first, else it reuses this one.
     */
    private static MeterRegistry meterRegistry(Registry registry) {
        MeterRegistry meters = registry.lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind("metricsRegistry", MeterRegistry.class, meters);
        }
        return meters;
    }

    private static void bindClientLimits(Registry registry, Props props) {
        ClientIdentity identity = ClientIdentity.fromSpec(props.optional("gateway.api-keys").orElse(null),
                TrustedProxies.fromSpec(props.optional("gateway.trusted-proxies").orElse(null)));
        if (identity.open()) {
            LOG.warn("GATEWAY_API_KEYS is not set: the API is open to any client (clients are told apart by address)");
        }
        registry.bind("clientIdentity", identity);
        registry.bind("clientThrottle", new ClientThrottle(new BucketRateLimiter(new RateLimitSettings(
                props.number("gateway.rate-limit.burst", 10), props.number("gateway.rate-limit.per-minute", 60),
                Duration.ofMinutes(1)), TimeMeter.SYSTEM_MILLISECONDS)));
        registry.bind("concurrencyGuard", new ConcurrencyGuard(new ConcurrencyLimits(new ConcurrencyLimits.Settings(
                props.integer("gateway.concurrency.per-client", 20), props.integer("gateway.concurrency.total", 350)))));
    }

    /** A thread per in-flight request: virtual where the JVM has them, else a pool that caps open streams. */
    private static Vertx vertx(Props props) {
        RequestThreads.Model model = RequestThreads.choose(props.text("gateway.threads", "auto"),
                Runtime.version().feature());
        int pool = props.integer("gateway.worker-pool-size", 400);
        LOG.info("requests run on {}", model == RequestThreads.Model.VIRTUAL ? "virtual threads"
                : "a pool of " + pool + " platform threads (Java " + Runtime.version().feature() + ")");
        return RequestThreads.vertx(model, pool, props.number("gateway.max-request-seconds", 3600));
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private interface Stopper {
        void stop() throws Exception;
    }

    /** Runs once the whole context has stopped, so the HTTP server is closed before Vert.x is. */
    private static void onStop(CamelContext context, Stopper stopper) {
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                try {
                    stopper.stop();
                } catch (Exception e) {
                    LOG.warn("stopping {} failed: {}", stopper, e.toString());
                }
            }
        });
    }
}
