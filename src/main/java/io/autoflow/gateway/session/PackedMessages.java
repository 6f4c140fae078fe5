package io.autoflow.gateway.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A session's history entry as one array: role, status and width in a flag byte, the time, then the text
 * one byte per char when every char fits in one (most text), else two (any String, unpaired surrogates
 * too, comes back as it went in).
 *
 * <p>Why: a turn stays live until the session's next one, minutes under 100,000 sessions, and the young
 * collector copies it between survivor spaces until it is promoted. As records it was eight objects
 * (record, Instant, String, array per message); packed it is two (bench/README.md, "The steady p99
 * and G1"). A message whose role or status is not one of the gateway's own stays a {@link ChatMessage}.
 */
final class PackedMessages {

    private static final String[] ROLES = {ChatMessage.ROLE_USER, ChatMessage.ROLE_ASSISTANT};
    private static final String[] STATUSES =
            {ChatMessage.STATUS_COMPLETE, ChatMessage.STATUS_INTERRUPTED, ChatMessage.STATUS_FAILED};
    private static final int WIDE = 8;
    private static final int SECONDS = 1;
    private static final int NANOS = 9;
    private static final int TEXT = 13;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private PackedMessages() {
    }

    static Object pack(ChatMessage m) {
        int role = indexOf(ROLES, m.role());
        int status = indexOf(STATUSES, m.status());
        if (role < 0 || status < 0) {
            return m;
        }
        String text = m.content();
        int n = text.length();
        boolean wide = false;
        for (int i = 0; i < n && !wide; i++) {
            wide = text.charAt(i) > 0xFF;
        }
        byte[] b = new byte[TEXT + (wide ? 2 * n : n)];
        b[0] = (byte) (role | status << 1 | (wide ? WIDE : 0));
        LONG.set(b, SECONDS, m.createdAt().getEpochSecond());
        INT.set(b, NANOS, m.createdAt().getNano());
        for (int i = 0, k = TEXT; i < n; i++) {
            char c = text.charAt(i);
            if (wide) {
                b[k++] = (byte) (c >>> 8);
            }
            b[k++] = (byte) c;
        }
        return b;
    }

    static ChatMessage unpack(Object entry) {
        if (entry instanceof ChatMessage m) {
            return m;
        }
        byte[] b = (byte[]) entry;
        int flags = b[0];
        Instant at = Instant.ofEpochSecond((long) LONG.get(b, SECONDS), (int) INT.get(b, NANOS));
        return new ChatMessage(ROLES[flags & 1], text(b, (flags & WIDE) != 0), at, STATUSES[(flags >> 1) & 3]);
    }

    /** The entry's text length in chars, as {@link HistoryBudget} counts it, without decoding it. */
    static int chars(Object entry) {
        if (entry instanceof ChatMessage m) {
            return m.content().length();
        }
        byte[] b = (byte[]) entry;
        return (b[0] & WIDE) != 0 ? (b.length - TEXT) / 2 : b.length - TEXT;
    }

    private static String text(byte[] b, boolean wide) {
        if (!wide) {
            return new String(b, TEXT, b.length - TEXT, StandardCharsets.ISO_8859_1);
        }
        char[] chars = new char[(b.length - TEXT) / 2];
        for (int i = 0, k = TEXT; i < chars.length; i++, k += 2) {
            chars[i] = (char) ((b[k] & 0xFF) << 8 | (b[k + 1] & 0xFF));
        }
        return new String(chars);
    }

    private static int indexOf(String[] values, String value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i].equals(value)) {
                return i;
            }
        }
        return -1;
    }
}
