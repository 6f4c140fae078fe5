package io.autoflow.gateway.observability;

import java.util.Map;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The gateway's defaults for the OpenTelemetry SDK that camel-opentelemetry2 uses when tracing is on
 * ({@code camel.opentelemetry2.enabled}, {@code GATEWAY_TRACING_ENABLED}).
 *
 * <p>camel-main creates camel-opentelemetry2's tracer during its auto-configuration, before the gateway's
 * configuration class runs, and the tracer takes {@code GlobalOpenTelemetry}: the OpenTelemetry Java agent's when
 * one is attached, else an SDK that OpenTelemetry's autoconfigure module builds on that first use
 * ({@code otel.java.global-autoconfigure.enabled}, which {@code Application} turns on) from the standard
 * {@code OTEL_*} environment variables and {@code otel.*} system properties. This provider, found by autoconfigure
 * through {@code META-INF/services}, runs only then, so with tracing off nothing here happens at all.
 *
 * <p>Defaults, each overridden by its {@code OTEL_*} variable: service name {@code autoflow-gateway}; W3C
 * {@code tracecontext} as the only propagator, so no {@code baggage} header (the client's, or Camel's own
 * {@code camelScope}) goes upstream; no OpenTelemetry metrics or logs (Prometheus and the JSON log carry them). The
 * SDK logs through java.util.logging, and the {@code logging} span exporter too: that is routed to SLF4J, so spans
 * and SDK warnings land in the JSON log.
 */
public final class TracingDefaults implements AutoConfigurationCustomizerProvider {

    static final Map<String, String> DEFAULTS = Map.of(
            "otel.service.name", "autoflow-gateway",
            "otel.propagators", "tracecontext",
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none");

    @Override
    public void customize(AutoConfigurationCustomizer autoConfiguration) {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        autoConfiguration.addPropertiesSupplier(() -> DEFAULTS);
    }
}
