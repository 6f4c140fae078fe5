package io.autoflow.gateway.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the embedded Autoflow simulator.
 *
 * @param host            interface to bind, e.g. {@code 127.0.0.1}
 * @param port            port to bind; 0 picks a free one
 * @param tokenDelay      pause between two {@code 0:} text parts
 * @param firstTokenDelay pause before the first {@code 0:} text part (the "retrieval" time)
 */
public record SimulatorSettings(String host, int port, Duration tokenDelay, Duration firstTokenDelay) {

    public SimulatorSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tokenDelay, "tokenDelay");
        Objects.requireNonNull(firstTokenDelay, "firstTokenDelay");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (tokenDelay.isNegative() || firstTokenDelay.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
    }

    /** Loopback, random port, no delays: what unit tests usually want. */
    public static SimulatorSettings fast() {
        return new SimulatorSettings("127.0.0.1", 0, Duration.ZERO, Duration.ZERO);
    }
}
