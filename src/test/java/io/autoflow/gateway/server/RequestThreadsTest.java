package io.autoflow.gateway.server;

import io.autoflow.gateway.server.RequestThreads.Model;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestThreadsTest {

    @Test
    void autoUsesVirtualThreadsOnlyWhereBlockingInSynchronizedNoLongerPinsACarrier() {
        assertEquals(Model.PLATFORM, RequestThreads.choose("auto", 17));
        assertEquals(Model.PLATFORM, RequestThreads.choose("auto", 21));
        assertEquals(Model.VIRTUAL, RequestThreads.choose("auto", 24));
        assertEquals(Model.VIRTUAL, RequestThreads.choose(" AUTO ", 25));
    }

    @Test
    void anExplicitChoiceIsHonouredWhereTheJvmCanDoIt() {
        assertEquals(Model.PLATFORM, RequestThreads.choose("platform", 25));
        assertEquals(Model.VIRTUAL, RequestThreads.choose("virtual", 21));
    }

    @Test
    void anImpossibleOrUnknownChoiceStopsTheGatewayWithAClearMessage() {
        IllegalArgumentException old = assertThrows(IllegalArgumentException.class,
                () -> RequestThreads.choose("virtual", 17));
        assertTrue(old.getMessage().contains("needs Java 21"), old.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> RequestThreads.choose("green", 25));
        assertTrue(unknown.getMessage().contains("auto, virtual or platform"), unknown.getMessage());
    }
}
