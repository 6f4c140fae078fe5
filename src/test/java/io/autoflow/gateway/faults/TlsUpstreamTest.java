package io.autoflow.gateway.faults;

import java.util.List;
import java.util.Properties;

import io.autoflow.gateway.e2e.GatewayClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An https Autoflow (tidb.ai's case): with the default {@code autoflow.http2=auto} the gateway offers h2 by
 * ALPN and streams over it; the upstream's certificate is checked against {@code autoflow.trust-store}.
 */
class TlsUpstreamTest extends GatewayOverTls {

    @Override
    protected void configure(Properties p) {
        p.put("autoflow.trust-store", CERTIFICATE.toString());
        p.put("autoflow.trust-store-password", PASSWORD);
    }

    @Test
    void aStreamedAnswerComesOverHttp2NegotiatedByAlpn() throws Exception {
        String session = newSession();

        GatewayClient.StreamReply s = client.stream("/api/rca/chat/stream", chatBody(session, "Over TLS?"), e -> { });

        assertEquals(200, s.status());
        assertEquals(FaultyUpstream.FULL_TEXT, s.text(), s.events().toString());
        assertEquals(List.of("HTTP_2"), upstream.versions());
        assertTurnRecorded(session, "Over TLS?", "complete");
    }

    @Test
    void aJsonAnswerToo() {
        GatewayClient.Reply r = client.post("/api/rca/chat", chatBody(null, "Over TLS, JSON?"));

        assertEquals(200, r.status(), r.body());
        assertEquals(FaultyUpstream.FULL_TEXT, r.json().path("text").asText(), r.body());
    }
}
