package io.autoflow.gateway.chat;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoflow.gateway.autoflow.AutoflowEvent;
import io.autoflow.gateway.autoflow.DataStreamLines;
import io.autoflow.gateway.autoflow.DataStreamParser;
import io.autoflow.gateway.observability.GatewayMetrics;
import io.autoflow.gateway.streaming.ClientGoneException;
import io.autoflow.gateway.streaming.SseChannel;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * Route step {@code relay-stream}: sends each piece of the answer to the client the moment Autoflow sends
 * it. Asynchronous: Autoflow's chunks are handled on the client connection's event loop and the step completes
 * when the answer ends, so an open stream holds no thread and no blocking buffers while it waits.
 */
public final class StreamRelay extends AsyncProcessorSupport {

    private final AnswerRelay answers;
    private final DataStreamParser parser;
    private final GatewayMetrics metrics;

    public StreamRelay(AnswerRelay answers, ObjectMapper mapper, GatewayMetrics metrics) {
        this.answers = answers;
        this.parser = new DataStreamParser(mapper);
        this.metrics = metrics;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        new Relay(exchange, callback).start();
        return false;
    }

    /** One answer's relay, from the response head to its end. */
    private final class Relay implements DataStreamLines.Sink {

        private final Exchange exchange;
        private final AsyncCallback callback;
        private final ChatTurn turn;
        private final SseChannel channel;
        private final UpstreamStream stream;
        private final HttpClientResponse upstream;
        private final DataStreamLines lines = new DataStreamLines();
        private final AtomicBoolean finished = new AtomicBoolean();

        Relay(Exchange exchange, AsyncCallback callback) {
            this.exchange = exchange;
            this.callback = callback;
            this.turn = ChatTurn.of(exchange);
            this.channel = turn.channel();
            this.stream = exchange.getMessage().getBody(UpstreamStream.class);
            this.upstream = stream.response();
        }

        void start() {
            try {
                channel.open(answers.streamHeaders(exchange, turn));
            } catch (ClientGoneException e) {
                failed(e);
                return;
            }
            upstream.handler(this::chunk);
            upstream.exceptionHandler(this::failed);
            upstream.endHandler(v -> ended());
            upstream.resume();
        }

        private void chunk(Buffer chunk) {
            if (finished.get()) {
                return;
            }
            try {
                lines.feed(chunk.getBytes(), 0, chunk.length(), this);
            } catch (IOException | RuntimeException e) {
                failed(e);
                return;
            }
            if (channel.backedUp()) {
                upstream.pause();
                channel.whenDrained(upstream::resume);
            }
        }

        @Override
        public void line(long number, byte[] bytes, int from, int length) throws IOException {
            AutoflowEvent event = DataStreamLines.parse(parser, number, bytes, from, length);
            if (event != null) {
                answers.accept(turn, channel, event);
            }
        }

        private void ended() {
            stream.ended();
            try {
                lines.end(this);
                AnswerRelay.finish(turn);
            } catch (IOException | RuntimeException e) {
                failed(e);
                return;
            }
            finish(null);
        }

        private void failed(Throwable failure) {
            if (finished.get()) {
                return;
            }
            stream.abort();
            if (failure instanceof ClientGoneException || channel.isGone()) {
                turn.interrupted(failure instanceof ClientGoneException ? failure.getMessage() : channel.goneReason());
                metrics.clientDisconnected();
                finish(null);
            } else {
                finish(AnswerRelay.readFailure(turn, failure));
            }
        }

        private void finish(Exception failure) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            turn.watch().close();
            if (failure != null) {
                exchange.setException(failure);
            }
            callback.done(false);
        }
    }
}
