package io.tierflow.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tierflow.streams.LocalStateReadiness;
import io.tierflow.streams.ModelScoreboard;
import io.tierflow.streams.store.StoreImplementation;
import io.tierflow.topics.Topics;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of one streams node wired to Kafka: reads over interactive queries (routed to the owner of a key,
 * gathered from every instance for lists) and writes that only produce to Kafka. Create it before the streams client
 * starts, with {@link #applicationServer(ApiSettings)} as the client's {@code application.server}. The routes and
 * handlers are {@link QueryApi}'s.
 */
public final class QueryServer implements AutoCloseable {
    /** Header naming the instance (host:port) that answered, on every response. */
    public static final String INSTANCE_HEADER = "X-Tierflow-Instance";
    private static final Logger log = LoggerFactory.getLogger(QueryServer.class);

    private final Javalin app;
    private final KafkaRecordSink sink;
    private final ApiSettings settings;
    private final WhatIfRunner whatIf;

    /**
     * @param streams the streams client whose stores are read (not yet started, or running)
     * @param readiness whether a miss in a local store partition can be trusted (the app's restore tracking)
     * @param kafkaConfig at least {@code bootstrap.servers} and {@code schema.registry.url}, for the writes
     * @param stores the streams app's store implementation (its settings' {@code stores()})
     * @param models the streams app's live model figures ({@code TieringApp.modelScoreboard()})
     */
    public QueryServer(KafkaStreams streams, LocalStateReadiness readiness, Map<String, ?> kafkaConfig,
            PrometheusMeterRegistry metrics, ApiSettings settings, StoreImplementation stores,
            ModelScoreboard models) {
        this(streams, readiness, kafkaConfig, metrics, settings, stores, models, null);
    }

    /**
     * As above, with the node's what-if runner (null for none: the what-if endpoints then answer 503). The server
     * closes it when it closes.
     */
    public QueryServer(KafkaStreams streams, LocalStateReadiness readiness, Map<String, ?> kafkaConfig,
            PrometheusMeterRegistry metrics, ApiSettings settings, StoreImplementation stores,
            ModelScoreboard models, WhatIfRunner whatIf) {
        this.settings = settings;
        this.whatIf = whatIf;
        this.sink = new KafkaRecordSink(kafkaConfig);
        try {
            int partitions = sink.partitionsOf(Topics.ACCESS_EVENTS);
            HostInfo self = new HostInfo(settings.advertisedHost(), settings.port());
            Cluster cluster = new Cluster(streams, readiness, self, settings.rebalanceWait(), new ObjectMapper(),
                    stores, models);
            this.app = QueryApi.create(cluster, Topics.using(kafkaConfig), sink, partitions, metrics, settings,
                    Clock.systemUTC(), whatIf);
        } catch (RuntimeException e) {
            sink.close();
            throw e;
        }
    }

    /** The {@code application.server} value the streams client must be configured with for these settings. */
    public static String applicationServer(ApiSettings settings) {
        return settings.advertisedHost() + ":" + settings.port();
    }

    public QueryServer start() {
        app.start();
        log.info("query API listening on http://{}:{} ({})", settings.bindHost(), app.port(), settings);
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        if (whatIf != null) {
            whatIf.close();
        }
        sink.close();
    }
}
