package io.autoflow.gateway.server;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxBuilder;
import io.vertx.core.spi.ExecutorServiceFactory;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The threads Camel routes run on. platform-http-vertx hands each request to the Vert.x worker pool and the
 * route (upstream call and stream relay included) blocks that thread until the answer ends, so the pool
 * decides how many streams can be open. Platform threads cost ~230 KiB each and are capped by the pool;
 * virtual threads cost a few KiB while parked, so thousands of waiting streams fit in a small heap.
 *
 * <p>{@code auto} picks virtual threads from Java 24 on: before JEP 491 a virtual thread blocking inside
 * {@code synchronized} (HttpClient, Camel) pins its carrier, and with two carriers that stalls the gateway.
 */
public final class RequestThreads {

    public enum Model { PLATFORM, VIRTUAL }

    private static final int FIRST_UNPINNED_JAVA = 24;
    private static final int FIRST_VIRTUAL_JAVA = 21;

    private RequestThreads() {
    }

    /** {@code auto}, {@code virtual} or {@code platform}; {@code virtual} on a JVM without them is an error. */
    public static Model choose(String setting, int javaVersion) {
        switch (setting.trim().toLowerCase(Locale.ROOT)) {
        case "auto":
            return javaVersion >= FIRST_UNPINNED_JAVA ? Model.VIRTUAL : Model.PLATFORM;
        case "platform":
            return Model.PLATFORM;
        case "virtual":
            if (javaVersion < FIRST_VIRTUAL_JAVA) {
                throw new IllegalArgumentException("gateway.threads=virtual needs Java " + FIRST_VIRTUAL_JAVA
                        + " or later; this is Java " + javaVersion);
            }
            return Model.VIRTUAL;
        default:
            throw new IllegalArgumentException("gateway.threads must be auto, virtual or platform, not " + setting);
        }
    }

    /** The gateway's Vert.x: its worker pool runs the routes. */
    public static Vertx vertx(Model model, int workerPoolSize, long maxRequestSeconds) {
        VertxOptions options = new VertxOptions()
                .setWorkerPoolSize(workerPoolSize)
                .setMaxWorkerExecuteTime(maxRequestSeconds)
                .setMaxWorkerExecuteTimeUnit(TimeUnit.SECONDS);
        if (model == Model.PLATFORM) {
            return Vertx.vertx(options);
        }
        // Vert.x 4.5 takes a custom worker executor only through its builder SPI.
        ExecutorServiceFactory perTask = (ignoredFactory, concurrency, maxConcurrency) -> virtualPerTask();
        return new VertxBuilder(options).executorServiceFactory(perTask).init().vertx();
    }

    /** Reflection keeps the gateway compiling for Java 17 while using Java 21's virtual threads when present. */
    private static ExecutorService virtualPerTask() {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            builder = ofVirtual.getMethod("name", String.class, long.class).invoke(builder, "gateway-request-", 0L);
            ThreadFactory threads = (ThreadFactory) Class.forName("java.lang.Thread$Builder")
                    .getMethod("factory").invoke(builder);
            return (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
                    .invoke(null, threads);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads are not available on this JVM", e);
        }
    }
}
