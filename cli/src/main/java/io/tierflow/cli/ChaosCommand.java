package io.tierflow.cli;

import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.localstack.SiteChaos;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.ControlType;
import io.tierflow.schemas.Site;
import io.tierflow.serde.AvroSerdeConfig;
import io.tierflow.topics.Topic;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tierflow chaos}: takes a site away on purpose, to watch the system cope. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"Stops a site of the running local stack (`tierflow local`) for a while and starts it again, "
                + "or marks any site down or up in the catalogue.",
                "Without --mark: asks the local stack through topic control to stop the site's S3 endpoint, waits "
                        + "until it really refuses connections, keeps it down for --duration (Ctrl-C ends early) and "
                        + "starts it again. Only the local S3-compatible sites (aws, azure, gcp) can be stopped.",
                "With --mark down|up: publishes SITE_DOWN / SITE_UP to control (keyed by the site) and the site's "
                        + "catalogue entry with up=false / up=true to sites, which placement and the migrators "
                        + "follow; works for remote sites too. Nothing is stopped."})
final class ChaosCommand implements Callable<Integer> {
    /** How long a stop or start may take to show at the endpoint before the command gives up. */
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    enum Mark { DOWN, UP }

    @Spec
    CommandSpec spec;

    private final LocalStackConfig local = LocalStackConfig.defaults();

    @Option(names = "--site", required = true, description = "The site, by its catalogue name (e.g. aws).")
    String site;

    @Option(names = "--duration", converter = Converters.DurationConverter.class,
            description = "How long the site stays stopped, e.g. 30s or 2m (default: ${DEFAULT-VALUE}).")
    Duration duration = Duration.ofSeconds(30);

    @Option(names = "--mark", paramLabel = "down|up", description = "Only mark the site down or up in the "
            + "catalogue (SITE_DOWN / SITE_UP), without stopping anything.")
    Mark mark;

    @Option(names = "--operator", description = "Who asks, recorded in the control command (default: ${DEFAULT-VALUE}).")
    String operator = System.getProperty("user.name", "operator");

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: the local stack's, ${DEFAULT-VALUE}).")
    String bootstrapServers = LocalStackConfig.HOST + ":" + local.kafkaPort();

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Confluent-compatible schema registry (default: the local stack's, ${DEFAULT-VALUE}).")
    String schemaRegistryUrl = "http://" + LocalStackConfig.HOST + ":" + local.registryPort() + "/apis/ccompat/v7";

    @Override
    public Integer call() throws Exception {
        if (duration.isNegative() || duration.isZero()) {
            throw new ParameterException(spec.commandLine(), "--duration must be positive, got " + duration);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Topics topics = Topics.using(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl));
        Site entry = readCatalogue(topics.sites).get(site);
        if (entry == null) {
            err.printf("chaos: site '%s' is not in the catalogue (topic %s at %s)%n", site, Topics.SITES,
                    bootstrapServers);
            return 1;
        }
        return mark != null ? mark(topics, entry, out) : stopAndRestart(topics, entry, out, err);
    }

    private int mark(Topics topics, Site entry, PrintWriter out) throws Exception {
        boolean up = mark == Mark.UP;
        ControlCommand command = ControlCommand.newBuilder()
                .setType(up ? ControlType.SITE_UP : ControlType.SITE_DOWN)
                .setTarget(site)
                .setOperator(operator)
                .setIssuedAt(Instant.now())
                .build();
        Site marked = Site.newBuilder(entry).setUp(up).build();
        // The control command records the operator's action; the catalogue entry is what placement and the
        // migrators act on (both read sites), so both are written, the entry last.
        send(topics.control, site, command);
        send(topics.sites, site, marked);
        out.printf("chaos: site %s marked %s (%s to %s, up=%s to %s)%n", site, up ? "up" : "down",
                command.getType(), Topics.CONTROL, up, Topics.SITES);
        out.flush();
        return 0;
    }

    private int stopAndRestart(Topics topics, Site entry, PrintWriter out, PrintWriter err) throws Exception {
        URI endpoint = URI.create(entry.getEndpoint());
        if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
            err.printf("chaos: site %s (%s) is not an S3 endpoint the local stack runs; use --mark down%n", site,
                    endpoint);
            return 1;
        }
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            interrupted.countDown(); // Ctrl-C: end the outage now, and let the site come back before exiting
            try {
                finished.await(SETTLE_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tierflow-chaos-restore");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            send(topics.control, site, SiteChaos.request(site, true, operator));
            if (!awaitReachable(endpoint, false)) {
                err.printf("chaos: site %s at %s still answers after %d s: no local stack on %s stopped it (is "
                        + "`tierflow local` running there? Remote sites can only be marked: --mark down)%n", site,
                        endpoint, SETTLE_TIMEOUT.toSeconds(), bootstrapServers);
                send(topics.control, site, SiteChaos.request(site, false, operator)); // in case it was just slow
                return 1;
            }
            Instant stopped = Instant.now();
            out.printf("chaos: site %s stopped (%s refuses connections); starting it again in %s%n", site, endpoint,
                    duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT));
            out.flush();
            interrupted.await(duration.toMillis(), TimeUnit.MILLISECONDS);
            send(topics.control, site, SiteChaos.request(site, false, operator));
            if (!awaitReachable(endpoint, true)) {
                err.printf("chaos: site %s did not come back within %d s%n", site, SETTLE_TIMEOUT.toSeconds());
                return 1;
            }
            out.printf("chaos: site %s is back after %.1f s down%n", site,
                    Duration.between(stopped, Instant.now()).toMillis() / 1000.0);
            out.flush();
            return 0;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is already running
            }
        }
    }

    /** Waits until a TCP connection to the endpoint succeeds ({@code reachable}) or is refused (not). */
    private static boolean awaitReachable(URI endpoint, boolean reachable) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : "https".equals(endpoint.getScheme()) ? 443 : 80;
        while (System.nanoTime() < deadline) {
            boolean connected;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(endpoint.getHost(), port), 1_000);
                connected = true;
            } catch (IOException e) {
                connected = false;
            }
            if (connected == reachable) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** The catalogue as it is now: the latest entry per site, read from every partition of the compacted topic. */
    private Map<String, Site> readCatalogue(Topic<String, Site> topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        Map<String, Site> sites = new HashMap<>();
        try (KafkaConsumer<String, Site> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
            while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read topic " + topic.name() + " within "
                            + SETTLE_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, Site> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        sites.remove(record.key());
                    } else {
                        sites.put(record.key(), record.value());
                    }
                }
            }
        }
        return sites;
    }

    private <V> void send(Topic<String, V> topic, String key, V value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(props, topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get(SETTLE_TIMEOUT.toSeconds(),
                    TimeUnit.SECONDS);
        }
    }
}
