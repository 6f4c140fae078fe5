package io.autoflow.gateway.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import org.apache.camel.Exchange;

/**
 * Names the client behind a request: the client id of its API key when keys are configured, else its
 * address ({@link TrustedProxies}). Keys are kept only as SHA-256 digests so a heap dump or log never shows them.
 */
public final class ClientIdentity {

    public static final String CLIENT_ID = "gateway.clientId";
    private final Map<String, String> clientsByKeyDigest;
    private final TrustedProxies proxies;

    public ClientIdentity(Map<String, String> clientsByKey, TrustedProxies proxies) {
        this.proxies = proxies;
        Map<String, String> digests = new HashMap<>();
        clientsByKey.forEach((key, client) -> digests.put(digest(key), client));
        this.clientsByKeyDigest = Map.copyOf(digests);
    }

    /** Parses GATEWAY_API_KEYS: {@code key=clientId} pairs separated by commas. */
    public static ClientIdentity fromSpec(String spec, TrustedProxies proxies) {
        Map<String, String> keys = new HashMap<>();
        if (spec != null) {
            for (String pair : spec.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    throw new IllegalArgumentException("GATEWAY_API_KEYS entries must be key=clientId");
                }
                keys.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return new ClientIdentity(keys, proxies);
    }

    public boolean open() {
        return clientsByKeyDigest.isEmpty();
    }

    /** Route step {@code identify-client}: sets the client id, or answers 401. */
    public void identify(Exchange exchange) {
        exchange.setProperty(CLIENT_ID, clientOf(exchange));
    }

    public static String clientId(Exchange exchange) {
        return exchange.getProperty(CLIENT_ID, String.class);
    }

    private String clientOf(Exchange exchange) {
        if (open()) {
            return "ip:" + proxies.clientAddress(HttpExchanges.request(exchange));
        }
        String key = presentedKey(exchange);
        String client = key == null ? null : clientsByKeyDigest.get(digest(key));
        if (client == null) {
            throw new GatewayException(ErrorCode.UNAUTHORIZED,
                    "A valid API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
        }
        return client;
    }

    private static String presentedKey(Exchange exchange) {
        String apiKey = exchange.getIn().getHeader("X-API-Key", String.class);
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.trim();
        }
        String authorization = exchange.getIn().getHeader("Authorization", String.class);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return null;
    }

    private static String digest(String key) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
