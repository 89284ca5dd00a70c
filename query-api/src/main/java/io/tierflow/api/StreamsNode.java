package io.tierflow.api;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tierflow.streams.TieringApp;
import io.tierflow.streams.TieringSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One streams node: the tiering topology and its HTTP API in one process, wired so that the API's address is the
 * streams client's {@code application.server} (how other instances find the owner of a key).
 */
public final class StreamsNode implements AutoCloseable {
    private final TieringApp app;
    private final QueryServer server;

    private StreamsNode(TieringApp app, QueryServer server) {
        this.app = app;
        this.server = server;
    }

    /**
     * Starts the API, then the topology (so peers can reach this node as soon as it owns partitions).
     *
     * @param streamsConfig Kafka Streams settings plus {@code schema.registry.url}
     */
    public static StreamsNode start(Properties streamsConfig, TieringSettings settings, ApiSettings api) {
        return start(streamsConfig, settings, api, null);
    }

    /**
     * As above, with a what-if runner for the console ({@code POST /whatif/runs}); null for none. The node closes it
     * when it closes (or fails to start).
     */
    public static StreamsNode start(Properties streamsConfig, TieringSettings settings, ApiSettings api,
            WhatIfRunner whatIf) {
        Properties config = new Properties();
        config.putAll(streamsConfig);
        config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, QueryServer.applicationServer(api));
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // The topology's, Kafka Streams', the JVM's and the API's own metrics in one registry, served at /metrics.
        TieringApp app = new TieringApp(config, settings, metrics, TieringApp.DEFAULT_METRICS_REFRESH);
        Map<String, Object> kafka = new HashMap<>();
        config.forEach((k, v) -> kafka.put(k.toString(), v));
        QueryServer server;
        try {
            server = new QueryServer(app.streams(), app.readiness(), kafka, metrics, api, settings.stores(),
                    app.modelScoreboard(), whatIf);
        } catch (RuntimeException e) {
            app.close();
            if (whatIf != null) {
                whatIf.close();
            }
            throw e;
        }
        try {
            server.start();
            app.start();
        } catch (RuntimeException e) {
            server.close();
            app.close();
            throw e;
        }
        return new StreamsNode(app, server);
    }

    public TieringApp app() {
        return app;
    }

    public int apiPort() {
        return server.port();
    }

    /** Blocks until the streams client stops; returns the process exit code. */
    public int awaitTermination() throws InterruptedException {
        return app.awaitTermination();
    }

    @Override
    public void close() {
        server.close();
        app.close();
    }
}
