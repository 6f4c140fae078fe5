package io.autoflow.gateway.autoflow;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads Autoflow's data stream event by event from a byte stream (a JSON answer's whole body). Not
 * thread-safe. Lines are parsed one per event asked for, so a malformed line fails the call that reaches it.
 */
public final class DataStreamReader implements Closeable {

    private record Line(long number, byte[] bytes, int from, int length) {
    }

    private final InputStream in;
    private final DataStreamParser parser;
    private final DataStreamLines lines = new DataStreamLines();
    private final ArrayDeque<Line> pending = new ArrayDeque<>();
    private byte[] chunk;
    private boolean eof;

    public DataStreamReader(InputStream in, ObjectMapper mapper) {
        this.in = Objects.requireNonNull(in, "in");
        this.parser = new DataStreamParser(mapper);
    }

    /**
     * A body already in memory is cut into lines in one pass: no read buffer, and no line is ever split
     * across reads and copied to be joined again.
     */
    public DataStreamReader(byte[] body, ObjectMapper mapper) {
        this.in = null;
        this.parser = new DataStreamParser(mapper);
        this.chunk = Objects.requireNonNull(body, "body");
    }

    /**
     * @return the next event, or null at end of stream
     * @throws MalformedStreamException for a line that is not {@code <code>:<json>} or whose JSON does not parse
     */
    public AutoflowEvent next() throws IOException {
        while (true) {
            Line line = pending.poll();
            if (line != null) {
                AutoflowEvent event = DataStreamLines.parse(parser, line.number(), line.bytes(), line.from(), line.length());
                if (event != null) {
                    return event;
                }
                continue;
            }
            if (eof) {
                return null;
            }
            if (in == null) {
                lines.feed(chunk, 0, chunk.length, this::queue);
                lines.end(this::queue);
                chunk = null;
                eof = true;
                continue;
            }
            if (chunk == null) {
                chunk = new byte[2048];
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

    // A body in memory is not overwritten, so its lines are kept as places in it; a read buffer is.
    private void queue(long number, byte[] bytes, int from, int length) {
        pending.add(in == null ? new Line(number, bytes, from, length)
                : new Line(number, Arrays.copyOfRange(bytes, from, from + length), 0, length));
    }

    /** Closes the underlying stream, if any. */
    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
        }
    }
}
