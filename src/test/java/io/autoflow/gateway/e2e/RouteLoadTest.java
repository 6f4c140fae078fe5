package io.autoflow.gateway.e2e;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.autoflow.gateway.Application;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every YAML file under src/main/resources/routes is loaded and all its routes run: a route file that does
 * not load, or a route that does not start, fails the build here.
 */
@CamelMainTest(mainClass = Application.class, properties = { "camel.server.port=0", "camel.management.port=0" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteLoadTest {

    /** The pipeline the README and the error handling rely on by name. */
    private static final List<String> KNOWN_ROUTES = List.of("chat", "chat-stream", "autoflow-guarded",
            "autoflow-call", "session-cleanup", "create-session", "get-session", "list-sessions", "reset-session",
            "delete-session", "health", "api-health", "rest-chat", "rest-chat-stream");

    @BeanInject
    CamelContext context;

    @Test
    void everyRouteFileIsLoaded() throws IOException {
        List<Path> files = routeFiles();
        assertFalse(files.isEmpty(), "no route files found under " + routesDir());
        List<String> loadedConfigurationIds = new ArrayList<>();
        for (RouteConfigurationDefinition c : ((ModelCamelContext) context).getRouteConfigurationDefinitions()) {
            loadedConfigurationIds.add(c.getId());
            c.getOnExceptions().forEach(e -> loadedConfigurationIds.add(e.getId()));
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            Declared declared = declared(file);
            assertFalse(declared.routeIds().isEmpty() && declared.configurationIds().isEmpty(),
                    name + " declares no route id, REST routeId or error handler id this test can check");
            for (String id : declared.routeIds()) {
                Route route = context.getRoute(id);
                assertTrue(route != null, "route " + id + " of " + name + " is missing");
                Resource source = route.getSourceResource();
                assertTrue(source != null && source.getLocation().endsWith(name), "route " + id + " comes from "
                        + (source == null ? "nowhere" : source.getLocation()) + ", not " + name);
            }
            for (String id : declared.configurationIds()) {
                assertTrue(loadedConfigurationIds.contains(id), "the route configuration " + id + " of " + name
                        + " is not loaded; loaded: " + loadedConfigurationIds);
            }
        }
    }

    @Test
    void theSharedErrorHandlingIsLoadedAndAppliesToEveryRoute() {
        List<RouteConfigurationDefinition> configurations =
                ((ModelCamelContext) context).getRouteConfigurationDefinitions();
        assertTrue(configurations.stream().anyMatch(c -> c.getId() == null && !c.getOnExceptions().isEmpty()),
                "an error handler without id, so it applies to every route (errors.camel.yaml)");
        // Event delivery answers no client: it has its own (drop and log) error handling, on purpose.
        ((ModelCamelContext) context).getRouteDefinitions().stream()
                .filter(r -> !"publish-events".equals(r.getRouteId()))
                .forEach(r -> assertEquals(null, r.getRouteConfigurationId(),
                        "route " + r.getRouteId() + " opts out of the shared error handling"));
    }

    @Test
    void everyRouteIsStartedIncludingThePipeline() {
        List<String> ids = context.getRoutes().stream().map(Route::getRouteId).toList();
        assertTrue(ids.containsAll(KNOWN_ROUTES), "missing: " + KNOWN_ROUTES.stream()
                .filter(id -> !ids.contains(id)).toList());
        for (String id : ids) {
            ServiceStatus status = context.getRouteController().getRouteStatus(id);
            assertEquals(ServiceStatus.Started, status, "route " + id);
        }
        GatewayClient.Reply health = new GatewayClient(context).get("/health");
        assertEquals(200, health.status(), "the started routes answer: " + health.body());
    }

    private static Path routesDir() {
        return Path.of(System.getProperty("basedir", "."), "src", "main", "resources", "routes");
    }

    private static List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(routesDir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".yaml")
                    || p.getFileName().toString().endsWith(".yml")).sorted().toList();
        }
    }

    /** What a route file names: route ids (route.id, REST routeId) and error handling ids (routeConfiguration). */
    private record Declared(List<String> routeIds, List<String> configurationIds) {
    }

    private static Declared declared(Path file) throws IOException {
        Declared d = new Declared(new ArrayList<>(), new ArrayList<>());
        try (Reader reader = Files.newBufferedReader(file)) {
            Object doc = new Load(LoadSettings.builder().build()).loadFromReader(reader);
            if (doc instanceof List<?> items) {
                for (Object item : items) {
                    if (item instanceof Map<?, ?> entry) {
                        if (entry.get("route") instanceof Map<?, ?> route) {
                            addId(d.routeIds(), route, "id");
                        }
                        if (entry.get("rest") instanceof Map<?, ?> rest) {
                            rest.values().forEach(verbs -> each(verbs, v -> addId(d.routeIds(), v, "routeId")));
                        }
                        if (entry.get("routeConfiguration") instanceof Map<?, ?> conf) {
                            addId(d.configurationIds(), conf, "id");
                            each(conf.get("onException"), e -> addId(d.configurationIds(), e.get("onException"), "id"));
                        }
                    }
                }
            }
        }
        return d;
    }

    private static void each(Object list, java.util.function.Consumer<Map<?, ?>> action) {
        if (list instanceof List<?> items) {
            items.stream().filter(Map.class::isInstance).map(i -> (Map<?, ?>) i).forEach(action);
        }
    }

    private static void addId(List<String> ids, Object node, String key) {
        if (node instanceof Map<?, ?> map && map.get(key) != null) {
            ids.add(map.get(key).toString());
        }
    }
}
