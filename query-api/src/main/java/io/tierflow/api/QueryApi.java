package io.tierflow.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tierflow.streams.DatasetView;
import io.tierflow.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's routes, filters and error answers, built over its collaborators and returned unstarted (the app factory
 * of javalin-samples): {@link QueryServer} wires it to Kafka, the handler tests to fakes of the cluster and of the
 * record sink. Every error is answered as JSON ({@code error}, {@code message}, {@code instance}), never a stack trace.
 */
final class QueryApi {
    private static final Logger log = LoggerFactory.getLogger(QueryApi.class);
    private static final String INSTANCE_ATTRIBUTE = "tierflow.instance";
    private static final String STARTED_ATTRIBUTE = "tierflow.started";
    /** Set once a handler has written its answer (an error included), so Javalin's error pages leave it alone. */
    static final String ANSWERED_ATTRIBUTE = "tierflow.error";
    /** The route a request is counted under when a handler serves more than one (see {@link #routeOf}). */
    static final String ROUTE_ATTRIBUTE = "tierflow.route";
    private static final int RESULT_COPY_BUFFER_BYTES = 4096;
    /**
     * How old the dataset table's order may get before it is rebuilt in the background: about a page's refresh, so
     * what an operator pages through is a few seconds old at most, and a node nobody pages through scans nothing.
     */
    static final Duration INDEX_REFRESH = Duration.ofSeconds(5);
    /**
     * How old it may be and still answer while it is rebuilt; past this a request waits for the scan. Long enough that
     * the table opened again after a coffee answers at once (its first page from the older order, the next ones from
     * the rebuilt one), short enough that a table left alone for long is never shown in a stale order.
     */
    static final Duration INDEX_MAX_AGE = Duration.ofMinutes(5);
    /** Where the console's files are on the class path. */
    static final String CONSOLE_DIRECTORY = "/console";
    /**
     * The console's pages run only our own scripts and the WebJar's, and talk only to this API: a key that slipped
     * through unescaped still could not run. Revalidated on each load, so a new jar's console is picked up at once.
     */
    private static final Map<String, String> CONSOLE_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                    + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
            "X-Content-Type-Options", "nosniff", "Cache-Control", "no-cache", "Referrer-Policy", "no-referrer");

    private QueryApi() {
    }

    /**
     * The API of one streams node, not yet started.
     *
     * @param cluster the stores of this instance and the way to the others
     * @param topics the topics the write endpoints write to, with their serdes
     * @param sink where the write endpoints' records go
     * @param partitions how many partitions the dataset topics (and the control topic) have
     * @param metrics the registry the request timers go to, served at {@code /metrics}
     * @param clock the time dataset counts and control records are taken at
     */
    static Javalin create(ClusterView cluster, Topics topics, RecordSink sink, int partitions,
            PrometheusMeterRegistry metrics, ApiSettings settings, Clock clock) {
        return create(cluster, topics, sink, partitions, metrics, settings, clock, null, INDEX_REFRESH, INDEX_MAX_AGE);
    }

    /**
     * As above, with the node's what-if runner.
     *
     * @param whatIf runs the console's what-if comparisons; null when this node has none (the endpoints answer 503)
     */
    static Javalin create(ClusterView cluster, Topics topics, RecordSink sink, int partitions,
            PrometheusMeterRegistry metrics, ApiSettings settings, Clock clock, WhatIfRunner whatIf) {
        return create(cluster, topics, sink, partitions, metrics, settings, clock, whatIf, INDEX_REFRESH,
                INDEX_MAX_AGE);
    }

    /**
     * The API with the dataset table's index rebuilt as told: in the background once {@code indexRefresh} old,
     * before the answer once {@code indexMaxAge} old (zero for both: every filtered or sorted page reads the stores).
     */
    static Javalin create(ClusterView cluster, Topics topics, RecordSink sink, int partitions,
            PrometheusMeterRegistry metrics, ApiSettings settings, Clock clock, Duration indexRefresh,
            Duration indexMaxAge) {
        return create(cluster, topics, sink, partitions, metrics, settings, clock, null, indexRefresh, indexMaxAge);
    }

    private static Javalin create(ClusterView cluster, Topics topics, RecordSink sink, int partitions,
            PrometheusMeterRegistry metrics, ApiSettings settings, Clock clock, WhatIfRunner whatIf,
            Duration indexRefresh, Duration indexMaxAge) {
        ObjectMapper json = new ObjectMapper();
        ReadHandlers reads = new ReadHandlers(cluster, partitions, clock, indexRefresh, indexMaxAge);
        EstateReadHandlers estate = new EstateReadHandlers(reads, cluster, partitions, clock, metrics);
        AlertHandlers alerts = new AlertHandlers(cluster, reads::gather);
        CatalogueReadHandlers catalogue = new CatalogueReadHandlers(cluster);
        ModelHandlers models = new ModelHandlers(cluster, reads::gather);
        WriteHandlers writes = new WriteHandlers(topics, sink, cluster, json, settings, partitions, clock);
        WhatIfHandlers whatIfs = new WhatIfHandlers(cluster, whatIf, writes::authorize, json, clock);
        String instance = cluster.self().host() + ":" + cluster.self().port();

        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jetty.defaultHost = settings.bindHost();
            config.jetty.defaultPort = settings.port();
            config.jsonMapper(new JavalinJackson(json, false));
            config.router.ignoreTrailingSlashes = true;
            // Javalin copies every result into the response through a buffer of this size, allocated per request,
            // by default Jetty's output buffer size (32 KB): 32 KB of garbage per answer of 1-2 KB, a fifth of the
            // node's allocations under load, and so of its young collections. Large answers are copied in chunks.
            config.http.responseBufferSize = RESULT_COPY_BUFFER_BYTES;
            // The console: static pages and modules from the jar, uPlot from its WebJar (nothing from the internet).
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = CONSOLE_DIRECTORY;
                files.location = Location.CLASSPATH;
                files.headers = CONSOLE_HEADERS;
            });
            config.staticFiles.enableWebjars();
        });
        app.before(ctx -> {
            ctx.attribute(INSTANCE_ATTRIBUTE, instance);
            ctx.header(QueryServer.INSTANCE_HEADER, instance);
            ctx.attribute(STARTED_ATTRIBUTE, System.nanoTime());
            // The write endpoints need the token. A prefix test here rather than a before-handler per path: Javalin
            // matches every path-scoped handler's regex against every request, reads included.
            if (needsToken(ctx.path())) {
                writes.authorize(ctx);
            }
        });
        // One timer per method, route and status, found in a map of our own: registering builds a meter id (tags
        // sorted, hashed) and looks it up in the registry, which would cost every request more than recording does.
        Map<RequestKind, Timer> timers = new ConcurrentHashMap<>();
        app.after(ctx -> {
            Long started = ctx.attribute(STARTED_ATTRIBUTE);
            if (started != null) {
                timers.computeIfAbsent(new RequestKind(ctx.method().name(), routeOf(ctx), ctx.statusCode()),
                        kind -> Timer.builder("tierflow_api_requests")
                                .description("HTTP requests answered by the query API").tag("method", kind.method())
                                .tag("route", kind.route()).tag("status", String.valueOf(kind.status()))
                                .register(metrics))
                        .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
        });

        // Javalin tries a request's path against the routes in this order (a regex each, unless the path is equal),
        // so the most frequent request comes first. Dataset keys are paths, so <key> accepts slashes, and one route
        // serves both the dataset and its explanation (.../explain), which saves every dataset GET a regex.
        app.get("/datasets/<key>", reads::datasetOrExplanation);
        app.get("/health", reads::health);
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        app.get("/datasets", reads::datasets);
        app.get("/migrations", estate::migrations);
        app.get("/alerts", alerts::alerts);
        app.get("/alerts/<id>/members", alerts::members);
        app.get("/sites", catalogue::sites);
        app.get("/policies", catalogue::policies);
        app.get("/stats", estate::stats);
        app.get("/models", models::models);
        app.get("/models/{name}", models::model);
        app.get("/whatif", whatIfs::about);
        app.get("/whatif/runs/{id}", whatIfs::run);
        app.post("/whatif/runs", whatIfs::start); // checks the token itself: the what-if reads need none

        app.post("/control/alerts/<id>/ack", writes::acknowledgeAlert);
        app.post("/control/sites/{name}/down", writes::siteDown);
        app.post("/control/sites/{name}/up", writes::siteUp);
        app.post("/control/burst", writes::burst);
        app.post("/control/reoptimize", writes::reoptimize);
        app.put("/policies/{name}", writes::putPolicy);
        app.put("/sites/{name}", writes::putSite);

        app.exception(ApiException.class, (e, ctx) -> {
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
            }
            error(ctx, e.status(), e.getMessage(), e.field());
        });
        app.exception(Exception.class, (e, ctx) -> {
            log.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal error (" + e.getClass().getSimpleName() + "); the server log has the details");
        });
        app.error(404, ctx -> {
            if (ctx.attribute(ANSWERED_ATTRIBUTE) == null) {
                error(ctx, 404, "no endpoint " + ctx.method() + " " + ctx.path() + "; see the README for the API");
            }
        });
        app.error(405, ctx -> {
            if (ctx.attribute(ANSWERED_ATTRIBUTE) == null) {
                error(ctx, 405, ctx.method() + " is not allowed on " + ctx.path());
            }
        });
        return app;
    }

    /** Writes a JSON answer, naming the instance that answered unless a forwarded answer already does. */
    static void respond(Context ctx, ObjectNode body) {
        if (!body.has("instance")) {
            body.put("instance", (String) ctx.attribute(INSTANCE_ATTRIBUTE));
        }
        ctx.json(body);
    }

    /**
     * Writes a dataset's answer straight into the response (through Javalin's output stream, so compression is decided
     * as for any result). A result handed to Javalin as bytes is copied into the response through a buffer Javalin
     * allocates per request: with the answer's own buffer and its copy, about a fifth of an owned GET's allocations.
     */
    static void respond(Context ctx, DatasetJson.Shape shape, DatasetView view) {
        ctx.contentType(ContentType.APPLICATION_JSON);
        DatasetJson.write(ctx.outputStream(), shape, view, instance(ctx));
    }

    /** The instance (host:port) answering this request. */
    static String instance(Context ctx) {
        return ctx.attribute(INSTANCE_ATTRIBUTE);
    }

    private static void error(Context ctx, int status, String message) {
        error(ctx, status, message, null);
    }

    /** An error answer; {@code field}, when not null, names the field of the request body it is about. */
    private static void error(Context ctx, int status, String message, String field) {
        ctx.attribute(ANSWERED_ATTRIBUTE, true);
        ObjectNode body = new ObjectMapper().createObjectNode();
        body.put("error", HttpStatus.forStatus(status).getMessage());
        body.put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        ctx.status(status);
        respond(ctx, body);
    }

    /** What the request timer is tagged with (routes are the registered patterns, so the set is bounded). */
    private record RequestKind(String method, String route, int status) {
    }

    private static String routeOf(Context ctx) {
        String route = ctx.attribute(ROUTE_ATTRIBUTE);
        if (route != null) {
            return route;
        }
        String path = ctx.endpointHandlerPath();
        return path == null || path.equals("*") ? "unmatched" : path;
    }

    /** Whether a path is under the write endpoints' prefixes, which need the bearer token (any method). */
    static boolean needsToken(String path) {
        return path.startsWith("/control/") || path.startsWith("/policies/") || path.startsWith("/sites/");
    }
}
