package io.autoflow.gateway.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import io.autoflow.gateway.e2e.GatewayClient;
import org.junit.jupiter.api.Test;

import static io.autoflow.gateway.faults.FaultyUpstream.slowStream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code autoflow.http2=h2c}: calls to Autoflow are HTTP/2 streams sharing one connection, and a call that
 * ends early (its client left) resets only its own stream while the others go on.
 */
class Http2UpstreamTest extends GatewayUnderFaults {

    private static final int STREAMS = 6;

    @Override
    protected void configure(Properties p) {
        p.put("autoflow.http2", "h2c");
    }

    @Test
    void concurrentAnswersShareOneHttp2Connection() throws Exception {
        upstream.byDefault(slowStream(10, Duration.ofMillis(30)));
        List<CompletableFuture<GatewayClient.StreamReply>> replies = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            String body = chatBody(null, "Question " + i);
            replies.add(CompletableFuture.supplyAsync(() -> stream(body)));
        }

        for (CompletableFuture<GatewayClient.StreamReply> reply : replies) {
            GatewayClient.StreamReply s = reply.get();
            assertEquals(200, s.status());
            assertEquals(FaultyUpstream.slowText(10), s.text(), s.events().toString());
            assertEquals(1, s.named("done").size(), s.events().toString());
        }
        assertEquals(List.of("HTTP_2"), upstream.versions().stream().distinct().toList(), "every call went as HTTP/2");
        assertEquals(STREAMS, upstream.calls());
        assertEquals(1, upstream.connectionsUsed(), "all calls multiplexed on one connection");
    }

    @Test
    void aClientThatLeavesResetsOnlyItsOwnStream() throws Exception {
        upstream.then(slowStream(200, Duration.ofMillis(50)), slowStream(20, Duration.ofMillis(50)));
        String leaving = newSession();
        int[] texts = { 0 };
        GatewayClient.StreamReply gone = client.streamUntil("/api/rca/chat/stream", chatBody(leaving, "Long?"),
                e -> e.event() == null && e.data().contains("\"text\"") && ++texts[0] == 2);
        CompletableFuture<GatewayClient.StreamReply> staying =
                CompletableFuture.supplyAsync(() -> stream(chatBody(null, "Short?")));

        assertEquals(FaultyUpstream.slowText(2), gone.text());
        assertTrue(upstream.awaitClientAbort(Duration.ofSeconds(5)), "the leaving client's upstream call is reset");
        assertEquals(FaultyUpstream.slowText(20), staying.get().text(), "the other call on the connection goes on");
        assertTurnRecorded(leaving, "Long?", "interrupted");
        assertEquals(1, upstream.connectionsUsed(), "one connection carried both calls");
    }

    private GatewayClient.StreamReply stream(String body) {
        try {
            return client.stream("/api/rca/chat/stream", body, e -> { });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
