package io.autoflow.gateway.testing;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoflow.gateway.Application;
import io.autoflow.gateway.e2e.Expect;
import io.autoflow.gateway.e2e.GatewayClient;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Boots the whole gateway once per test class as camel-main would (application.properties, YAML routes,
 * beans), by default against the embedded simulator at full speed, with properties decided at run time: the API on a
 * random port and the management server on its own free port, found before boot (port 0 on both would make
 * camel-main share one server, which is not how the gateway runs).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BootedGateway extends CamelMainTestSupport {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    protected final int managementPort = freePort();
    protected GatewayClient client;

    @Override
    protected Class<?> getMainClass() {
        return Application.class;
    }

    /** Whether the class needs JMX (camel-test turns it off unless told). */
    protected boolean jmx() {
        return false;
    }

    /**
     * One context per class (the switch is protected in camel-test-junit5 4.18, hence reflection; see
     * GatewayUnderFaults); {@link #shutDown()} stops it.
     */
    @Override
    public void configureTest(TestExecutionConfiguration test) {
        super.configureTest(test);
        test.withJMX(jmx());
        try {
            Method perClass = TestExecutionConfiguration.class.getDeclaredMethod("withCreateCamelContextPerClass",
                    boolean.class);
            perClass.setAccessible(true);
            perClass.invoke(test, true);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("camel-test-junit5 changed: no per-class context switch", e);
        }
    }

    @Override
    public void configureContext(CamelContextConfiguration context) {
        super.configureContext(context);
        context.withUseOverridePropertiesWithPropertiesComponent(new Properties());
    }

    @BeforeAll
    protected void boot() throws Exception {
        Properties p = camelContextConfiguration().useOverridePropertiesWithPropertiesComponent();
        p.put("camel.server.port", "0");
        p.put("camel.management.port", Integer.toString(managementPort));
        p.put("camel.main.shutdown-timeout", "5");
        p.put("autoflow.simulator.token-delay", "0");
        p.put("autoflow.simulator.first-token-delay", "0");
        p.put("gateway.rate-limit.burst", "1000");
        p.put("gateway.rate-limit.per-minute", "60000");
        p.put("gateway.rate-limit.global-per-second", "1000");
        p.put("gateway.session.max", "1000");
        defaults(p);
        configure(p);
    }

    /** A family of test classes' shared properties (e.g. a misbehaving upstream), over the ones above. */
    protected void defaults(Properties properties) {
    }

    /** Each class's own properties, over the defaults above. */
    protected abstract void configure(Properties properties) throws Exception;

    /** The gateway's API client; the context exists once the first test runs. */
    protected GatewayClient client() {
        if (client == null) {
            client = new GatewayClient(context());
        }
        return client;
    }

    protected String managementBase() {
        return "http://127.0.0.1:" + managementPort;
    }

    @AfterAll
    protected void shutDown() throws Exception {
        // The legacy per-class manager's stop() does nothing in 4.18: close() stops the context.
        contextManagerExtension.getContextManager().close();
        afterShutdown();
    }

    protected void afterShutdown() throws Exception {
    }

    public static String chatBody(String message) {
        return "{\"message\":" + MAPPER.valueToTree(message) + "}";
    }

    /** Polls until {@code done} holds, within {@code limit}; no fixed sleeps decide a result. */
    public static <T> T eventually(Supplier<T> probe, Predicate<T> done, Duration limit, String what) {
        return Expect.eventually(probe, done, limit, what);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
