package io.autoflow.gateway.autoflow;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** Helpers shared by the parser tests. */
final class StreamFixtures {

    static final Path VECTORS = Paths.get("..", "shared", "autoflow-vectors");
    static final ObjectMapper MAPPER = new ObjectMapper();

    private StreamFixtures() {
    }

    static byte[] vector(String name) throws IOException {
        return Files.readAllBytes(VECTORS.resolve(name));
    }

    static List<AutoflowEvent> readAll(InputStream in) throws IOException {
        List<AutoflowEvent> out = new ArrayList<>();
        try (DataStreamReader r = new DataStreamReader(in, MAPPER)) {
            for (AutoflowEvent e = r.next(); e != null; e = r.next()) {
                out.add(e);
            }
        }
        return out;
    }

    static List<AutoflowEvent> readAll(byte[] bytes) throws IOException {
        return readAll(new ByteArrayInputStream(bytes));
    }

    static AnswerAssembler assemble(List<AutoflowEvent> events) {
        AnswerAssembler a = new AnswerAssembler();
        events.forEach(a::accept);
        return a;
    }

    /** An InputStream whose n-th read returns at most {@code sizes.applyAsInt(n)} bytes, like TCP segments. */
    static final class ChunkedInputStream extends InputStream {
        private final byte[] data;
        private final IntUnaryOperator sizes;
        private int pos;
        private int reads;
        boolean closed;

        ChunkedInputStream(byte[] data, IntUnaryOperator sizes) {
            this.data = data;
            this.sizes = sizes;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, Math.max(1, sizes.applyAsInt(reads++))), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
