package io.autoflow.gateway.tracing;

import io.autoflow.gateway.observability.TraceContext;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The W3C rules of {@link TraceContext}, value by value. */
class TraceContextTest {

    private static final String TP = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private final TraceContext trace = new TraceContext();

    @Test
    void aValidVersion00IsForwardedAsTheSameString() {
        assertSame(TP, trace.traceparent(TP));
        assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
                trace.traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"));
        assertEquals(TP, trace.traceparent(" \t" + TP + "\t "), "spaces and tabs around the value");
    }

    @Test
    void aLaterVersionIsForwardedAsVersion00() {
        assertEquals(TP, trace.traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        assertEquals(TP, trace.traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-more-fields"));
        assertNull(trace.traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01.more"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "-", "00", "garbage",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
        "0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A",
        "0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
        "00+4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736+00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7+01",
        "00-4bf92f3577b34da6a3ce929d0e0e47-3600f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\nX-Evil: 1" })
    void anInvalidTraceparentIsDropped(String value) {
        assertNull(trace.traceparent(value), value);
    }

    @Test
    void tracestateMembers() {
        assertSame("rojo=00f067aa0ba902b7", trace.tracestate("rojo=00f067aa0ba902b7"));
        String list = "congo=t61rcWkgMzE, rojo=00f067aa0ba902b7 ,,\tfoo@bar=1,12@vendor=x y";
        assertSame(list, trace.tracestate(list));
        assertNull(trace.tracestate(""));
        assertNull(trace.tracestate(" , "));
        assertNull(trace.tracestate("Rojo=1"), "keys are lower case");
        assertNull(trace.tracestate("1rojo=1"), "a simple key starts with a letter");
        assertNull(trace.tracestate("rojo"), "no value");
        assertNull(trace.tracestate("rojo="), "an empty value");
        assertNull(trace.tracestate("rojo=a=b"));
        assertEquals("rojo=a ", trace.tracestate("rojo=a "), "a space after a member is list whitespace");
        assertNull(trace.tracestate("a@b@c=1"));
        assertNull(trace.tracestate("tenant@Vendor=1"));
        assertNull(trace.tracestate("tenant@verylongvendorid=1"), "a system id is at most 14 characters");
        assertNull(trace.tracestate("rojo=\u00e9"));
        assertNull(trace.tracestate("rojo=1\r\nx-evil=1"));
    }

    @Test
    void tracestateLimits() {
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            members.append(i == 0 ? "" : ",").append("k").append(i).append("=v");
        }
        assertEquals(members.toString(), trace.tracestate(members.toString()));
        assertNull(trace.tracestate(members + ",k32=v"), "at most 32 members");
        assertEquals("k=" + "v".repeat(256), trace.tracestate("k=" + "v".repeat(256)));
        assertNull(trace.tracestate("k=" + "v".repeat(257)), "a value is at most 256 characters");
        String longList = ("a=" + "v".repeat(100) + ",").repeat(5) + "b=1";
        assertNull(trace.tracestate(longList), "over 512 characters in all");
    }

    @Test
    void fromRequestHeaders() {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        assertNull(trace.traceparent(h));
        assertNull(trace.tracestate(h));
        h.add("TraceParent", TP).add("TraceState", "a=1").add("tracestate", "b=2");
        assertSame(TP, trace.traceparent(h));
        assertEquals("a=1,b=2", trace.tracestate(h));
        h.add("traceparent", TP);
        assertNull(trace.traceparent(h), "sent twice");
    }
}
