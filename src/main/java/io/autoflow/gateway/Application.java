package io.autoflow.gateway;

import org.apache.camel.main.Main;

/** Starts the gateway: camel-main loads application.properties, the YAML routes and {@link GatewayConfiguration}. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        // With camel.opentelemetry2.enabled, Camel's tracer takes GlobalOpenTelemetry: let its first use build the
        // SDK from the OTEL_* variables (see TracingDefaults). Nothing uses it while tracing is off.
        if (System.getProperty("otel.java.global-autoconfigure.enabled") == null
                && System.getenv("OTEL_JAVA_GLOBAL_AUTOCONFIGURE_ENABLED") == null) {
            System.setProperty("otel.java.global-autoconfigure.enabled", "true");
        }
        // The main class alone: camel-main finds GatewayConfiguration by package scan (naming it too would run it twice).
        Main main = new Main(Application.class);
        System.exit(main.run(args));
    }
}
