package io.autoflow.gateway;

import org.apache.camel.main.Main;

/** Starts the gateway: camel-main loads application.properties, the YAML routes and {@link GatewayConfiguration}. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(Application.class, GatewayConfiguration.class);
        System.exit(main.run(args));
    }
}
