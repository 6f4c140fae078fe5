package io.autoflow.gateway.autoflow;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Reads Autoflow's data stream event by event from a byte stream (a JSON answer's whole body). Not
 * thread-safe. Lines are parsed one per event asked for, so a malformed line fails the call that reaches it.
 */
public final class DataStreamReader implements Closeable {

    private record Line(long number, String text) {
    }

    private final InputStream in;
    private final DataStreamParser parser;
    private final DataStreamLines lines = new DataStreamLines();
    private final ArrayDeque<Line> pending = new ArrayDeque<>();
    private final byte[] chunk = new byte[2048];
    private boolean eof;

    public DataStreamReader(InputStream in, ObjectMapper mapper) {
        this.in = Objects.requireNonNull(in, "in");
        this.parser = new DataStreamParser(mapper);
    }

    /**
     * @return the next event, or null at end of stream
     * @throws MalformedStreamException for a line that is not {@code <code>:<json>} or whose JSON does not parse
     */
    public AutoflowEvent next() throws IOException {
        while (true) {
            Line line = pending.poll();
            if (line != null) {
                AutoflowEvent event = DataStreamLines.parse(parser, line.number(), line.text());
                if (event != null) {
                    return event;
                }
                continue;
            }
            if (eof) {
                return null;
            }
            int n = in.read(chunk);
            if (n < 0) {
                eof = true;
                lines.end(this::queue);
            } else {
                lines.feed(chunk, 0, n, this::queue);
            }
        }
    }

    private void queue(long number, String text) {
        pending.add(new Line(number, text));
    }

    /** Closes the underlying stream. */
    @Override
    public void close() throws IOException {
        in.close();
    }
}
