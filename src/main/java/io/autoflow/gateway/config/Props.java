package io.autoflow.gateway.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;

/**
 * Reads the gateway's own properties from Camel's properties component, so application.properties,
 * {@code {{env:...}}} placeholders and test overrides all apply the same way.
 */
public final class Props {

    private final CamelContext context;

    public Props(CamelContext context) {
        this.context = context;
    }

    public Optional<String> optional(String key) {
        return context.getPropertiesComponent().resolveProperty(key)
                .map(context::resolvePropertyPlaceholders)
                .map(String::trim)
                .filter(v -> !v.isEmpty());
    }

    public String text(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    public int integer(String key, int fallback) {
        return optional(key).map(v -> parse(key, v, Integer::parseInt)).orElse(fallback);
    }

    public long number(String key, long fallback) {
        return optional(key).map(v -> parse(key, v, Long::parseLong)).orElse(fallback);
    }

    public double decimal(String key, double fallback) {
        return optional(key).map(v -> parse(key, v, Double::parseDouble)).orElse(fallback);
    }

    public boolean flag(String key, boolean fallback) {
        return optional(key).map(Boolean::parseBoolean).orElse(fallback);
    }

    /** A comma-separated list of names; empty when the property is unset or blank. */
    public Set<String> names(String key) {
        return optional(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(n -> !n.isEmpty())
                .collect(Collectors.toUnmodifiableSet())).orElse(Set.of());
    }

    /** Durations are written in seconds (the contract's unit), fractions allowed: 0.05 is 50 ms. */
    public Duration seconds(String key, double fallbackSeconds) {
        return Duration.ofNanos(Math.round(decimal(key, fallbackSeconds) * 1_000_000_000L));
    }

    private static <T> T parse(String key, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Property " + key + " must be a number, got '" + value + "'", e);
        }
    }
}
