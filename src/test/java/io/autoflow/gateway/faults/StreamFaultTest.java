package io.autoflow.gateway.faults;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.stream.Stream;

import io.autoflow.gateway.e2e.GatewayClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.autoflow.gateway.faults.FaultyUpstream.errorMidStream;
import static io.autoflow.gateway.faults.FaultyUpstream.flood;
import static io.autoflow.gateway.faults.FaultyUpstream.malformedLine;
import static io.autoflow.gateway.faults.FaultyUpstream.slowStream;
import static io.autoflow.gateway.faults.FaultyUpstream.truncated;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures after the upstream answer began: the client's stream ends with an error event (or the JSON
 * answer is a 502), nothing is retried, and the session keeps the failed turn. Also the two ways a client
 * goes away: it hangs up, or it stops reading.
 */
class StreamFaultTest extends GatewayUnderFaults {

    @Override
    protected void configure(Properties p) {
        p.put("gateway.stream.stall-timeout", "1");
    }

    static Stream<FaultyUpstream.Behaviour> brokenStreams() {
        return Stream.of(errorMidStream(), truncated(), malformedLine());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenStreams")
    void aBrokenUpstreamStreamEndsTheClientStreamWithAnErrorEvent(FaultyUpstream.Behaviour broken) throws Exception {
        upstream.then(broken);
        String session = newSession();

        GatewayClient.StreamReply s = client.stream("/api/rca/chat/stream", chatBody(session, "What broke?"), e -> { });

        assertEndsWithError(s, "upstream_error");
        assertFalse(s.named("progress").isEmpty(), "what came before the failure was relayed: " + s.events());
        assertEquals(1, upstream.calls(), "a stream that began is never retried");
        assertEquals(s.text(), assertTurnRecorded(session, "What broke?", "failed"), "the partial text is kept");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenStreams")
    void aBrokenUpstreamStreamIsA502ForAJsonAnswer(FaultyUpstream.Behaviour broken) {
        upstream.then(broken);
        String session = newSession();

        GatewayClient.Reply r = client.post("/api/rca/chat", chatBody(session, "What broke?"));

        assertAll(() -> assertError(r, 502, "upstream_error"),
                () -> assertEquals(1, upstream.calls(), "a stream that began is never retried"));
        assertTurnRecorded(session, "What broke?", "failed");
    }

    @Test
    void aClientThatHangsUpAbortsTheUpstreamAndLeavesAnInterruptedTurn() throws Exception {
        // 200 parts 50 ms apart: 10 s if drained to the end.
        upstream.then(slowStream(200, Duration.ofMillis(50)));
        String session = newSession();
        int[] texts = { 0 };

        GatewayClient.StreamReply s = client.streamUntil("/api/rca/chat/stream", chatBody(session, "Long answer?"),
                e -> e.event() == null && e.data().contains("\"text\"") && ++texts[0] == 2);

        assertEquals(FaultyUpstream.slowText(2), s.text(), "hung up after two parts: " + s.events());
        assertTrue(upstream.awaitClientAbort(Duration.ofSeconds(5)),
                "the gateway aborts the upstream request when its client leaves, instead of draining it");
        String partial = assertTurnRecorded(session, "Long answer?", "interrupted");
        assertTrue(partial.startsWith(FaultyUpstream.slowText(2)), "the partial answer is kept: " + partial);
        assertTrue(partial.length() < FaultyUpstream.slowText(200).length(), "but not a whole answer: " + partial);
    }

    @Test
    void aClientThatReadsNothingIsCutOffAndTheUpstreamAborted() throws Exception {
        // Far more than every socket buffer between the two holds; the client reads none of it.
        upstream.then(flood(4096, 256L * 1024 * 1024));
        URI base = URI.create(client.base());
        byte[] body = chatBody(null, "Flood me").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/rca/chat/stream HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                    + "Content-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();

            assertTrue(upstream.awaitClientAbort(Duration.ofSeconds(20)),
                    "after gateway.stream.stall-timeout (1 s) of no reading the gateway gives up and aborts the upstream");

            // What the client finds when it finally reads: a stream that was cut, never a finished answer.
            socket.setSoTimeout(20_000);
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[65536];
            long total = 0;
            boolean done = false;
            byte[] tail = new byte[0];
            try {
                for (int n; (n = in.read(buf)) >= 0; total += n) {
                    String chunk = new String(tail, StandardCharsets.ISO_8859_1) + new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                    done |= chunk.contains("event: done");
                    tail = chunk.substring(Math.max(0, chunk.length() - 16)).getBytes(StandardCharsets.ISO_8859_1);
                }
            } catch (java.net.SocketException reset) {
                // the gateway reset the connection: also a cut-off stream
            }
            assertFalse(done, "the cut-off client never gets the end of an answer");
            assertTrue(total < 256L * 1024 * 1024, "the gateway stopped relaying: " + total + " bytes");
        }
    }
}
