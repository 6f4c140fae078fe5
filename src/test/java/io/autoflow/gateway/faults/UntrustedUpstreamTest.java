package io.autoflow.gateway.faults;

import java.util.Properties;

import io.autoflow.gateway.e2e.GatewayClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** An https upstream whose certificate nothing vouches for: the gateway will not talk to it. */
class UntrustedUpstreamTest extends GatewayOverTls {

    @Override
    protected void configure(Properties p) {
        // no autoflow.trust-store: the JVM's default trust, which knows nothing of this certificate
    }

    @Test
    void aSelfSignedCertificateIsRefused() {
        String session = newSession();

        GatewayClient.Reply r = client.post("/api/rca/chat", chatBody(session, "Who are you?"));

        assertAll(() -> assertError(r, 502, "upstream_error"),
                () -> assertEquals(0, upstream.calls(), "no question reached the impostor"));
        assertTurnRecorded(session, "Who are you?", "failed");
    }
}
