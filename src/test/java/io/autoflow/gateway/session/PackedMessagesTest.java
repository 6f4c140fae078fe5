package io.autoflow.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PackedMessagesTest {

    private static final Instant AT = Instant.parse("2026-12-07T11:24:39.123456789Z");

    @ParameterizedTest
    @ValueSource(strings = {"", "Why is the TiKV write latency high?", "caf\u00e9 \u00ff", "\u5199\u5165\u5ef6\u8fdf",
            "ab\uD83D\uDE00cd", "lone \uD800 high", "lone \uDC00 low", "\u0000nul\u0100"})
    void everyTextComesBackAsItWent(String text) {
        for (String status : List.of(ChatMessage.STATUS_COMPLETE, ChatMessage.STATUS_INTERRUPTED, ChatMessage.STATUS_FAILED)) {
            for (ChatMessage m : List.of(ChatMessage.user(text, AT), ChatMessage.assistant(text, AT, status))) {
                Object packed = PackedMessages.pack(m);
                assertInstanceOf(byte[].class, packed, "the gateway's own messages are packed");
                assertEquals(m, PackedMessages.unpack(packed));
                assertEquals(text.length(), PackedMessages.chars(packed), "chars as the budget counts them");
            }
        }
    }

    @Test
    void oneBytePerCharUnlessACharNeedsTwo() {
        assertEquals(13 + 4, ((byte[]) PackedMessages.pack(ChatMessage.user("caf\u00e9", AT))).length);
        assertEquals(13 + 2 * 4, ((byte[]) PackedMessages.pack(ChatMessage.user("caf\u0113", AT))).length);
    }

    @Test
    void anotherRoleOrStatusStaysAMessage() {
        ChatMessage system = new ChatMessage("system", "be brief", AT, ChatMessage.STATUS_COMPLETE);
        ChatMessage odd = new ChatMessage(ChatMessage.ROLE_ASSISTANT, "x", AT, "pending");
        for (ChatMessage m : List.of(system, odd)) {
            assertSame(m, PackedMessages.pack(m));
            assertSame(m, PackedMessages.unpack(m));
            assertEquals(m.content().length(), PackedMessages.chars(m));
        }
    }

    @Test
    void timesBeforeTheEpochKeepTheirNanos() {
        ChatMessage m = ChatMessage.user("q", Instant.ofEpochSecond(-86_400, 999_999_999));
        assertEquals(m, PackedMessages.unpack(PackedMessages.pack(m)));
    }
}
