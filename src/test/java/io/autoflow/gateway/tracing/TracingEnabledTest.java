package io.autoflow.gateway.tracing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.autoflow.gateway.e2e.Expect;
import org.apache.camel.spi.CamelTracingService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tracing on ({@code camel.opentelemetry2.enabled}), spans exported to the log: the gateway's own span becomes the
 * upstream call's parent under the client's trace-id, a trace is started when the client sent none, and the spans
 * reach the log.
 */
class TracingEnabledTest extends TracingGateway {

    private static final Pattern TRACEPARENT_V00 = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String SPAN_LOGGER = "io.opentelemetry.exporter.logging.LoggingSpanExporter";
    private final ListAppender<ILoggingEvent> spans = new ListAppender<>();

    /**
     * As {@code Application.main} does, plus the exporter: the SDK is built by OpenTelemetry's global autoconfigure
     * on camel-opentelemetry2's first use, from system properties. The global instance is reset around the class.
     */
    @Override
    protected void configure(Properties p) {
        resetGlobalOpenTelemetry();
        System.setProperty("otel.java.global-autoconfigure.enabled", "true");
        System.setProperty("otel.traces.exporter", "logging");
        p.put("camel.opentelemetry2.enabled", "true");
    }

    @AfterAll
    void forgetTheSdk() {
        System.clearProperty("otel.java.global-autoconfigure.enabled");
        System.clearProperty("otel.traces.exporter");
        resetGlobalOpenTelemetry();
    }

    /** By reflection: this class compiles without the OpenTelemetry API on the classpath (and then fails). */
    private static void resetGlobalOpenTelemetry() {
        try {
            Class.forName("io.opentelemetry.api.GlobalOpenTelemetry").getMethod("resetForTest").invoke(null);
        } catch (ClassNotFoundException e) {
            // no OpenTelemetry: booting with tracing on fails, and says why
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    void captureSpans() {
        spans.start();
        ((Logger) LoggerFactory.getLogger(SPAN_LOGGER)).addAppender(spans);
    }

    @AfterAll
    void stopCapturing() {
        ((Logger) LoggerFactory.getLogger(SPAN_LOGGER)).detachAppender(spans);
    }

    @Test
    void theTracerIsOn() {
        assertNotNull(context().hasService(CamelTracingService.class));
    }

    @Test
    void theGatewaysSpanBecomesTheUpstreamsParent() {
        assertAnswered(ask("/api/rca/chat", "traceparent", TRACEPARENT, "tracestate", TRACESTATE,
                "baggage", "user=client-secret-baggage"));
        Map<String, String> h = onlyUpstreamCall();
        Matcher m = TRACEPARENT_V00.matcher(h.get("traceparent"));
        assertTrue(m.matches(), h.toString());
        assertEquals(TRACE_ID, m.group(1), "the client's trace goes on");
        assertNotEquals(PARENT_ID, m.group(2), "the parent is the gateway's own span: " + h);
        assertEquals("01", m.group(3), "the client's sampling decision holds");
        assertEquals(TRACESTATE, h.get("tracestate"));
        assertNull(h.get("baggage"), "tracecontext is the only propagator: no baggage upstream, the client's or Camel's");

        // The upstream's parent is a span the gateway reported, in the client's trace.
        String parent = m.group(2);
        List<String> logged = Expect.eventually(this::loggedSpans,
                l -> l.stream().anyMatch(s -> s.contains(TRACE_ID + " " + parent)), Duration.ofSeconds(10),
                "the gateway's client span is logged");
        assertTrue(logged.stream().filter(s -> s.contains(TRACE_ID)).count() >= 3,
                "the server span, the routes and the upstream call are all in the client's trace: " + logged);
    }

    @Test
    void aTraceIsStartedWhenTheClientSentNone() {
        assertAnswered(ask("/api/rca/chat"));
        Map<String, String> h = onlyUpstreamCall();
        Matcher m = TRACEPARENT_V00.matcher(String.valueOf(h.get("traceparent")));
        assertTrue(m.matches(), h.toString());
        assertNotEquals(TRACE_ID, m.group(1));
    }

    @Test
    void aMalformedTraceparentStartsANewTraceAndTheCallSucceeds() {
        assertAnswered(ask("/api/rca/chat", "traceparent", "00-" + TRACE_ID.toUpperCase() + "-" + PARENT_ID + "-01"));
        Matcher m = TRACEPARENT_V00.matcher(String.valueOf(onlyUpstreamCall().get("traceparent")));
        assertTrue(m.matches(), onlyUpstreamCall().toString());
        assertNotEquals(TRACE_ID, m.group(1));
    }

    private List<String> loggedSpans() {
        return List.copyOf(spans.list).stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
