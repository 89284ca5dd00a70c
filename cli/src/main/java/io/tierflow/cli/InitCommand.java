package io.tierflow.cli;

import io.tierflow.localstack.LocalSiteCatalogue;
import io.tierflow.localstack.SiteEndpoint;
import io.tierflow.schemas.Site;
import io.tierflow.topics.TopicAdmin;
import io.tierflow.topics.Topics;
import java.io.PrintWriter;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tierflow init}: what {@code tierflow local} does to its own broker, for a cluster that is not the local
 * stack (docker compose, a real one): creates the topics and publishes the sites.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Creates Tierflow's topics (those that are missing) on a Kafka cluster and publishes sites to "
                + "the `sites` catalogue, priced like the clouds they are named after (aws, azure, gcp, onprem).",
                "Idempotent: run it before the streams nodes and migrators, as often as you like."})
final class InitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", required = true, description = "Confluent-compatible schema registry.")
    String schemaRegistryUrl;

    @Option(names = "--partitions", description = "Partitions of every topic (default: ${DEFAULT-VALUE}).")
    int partitions = Topics.DEFAULT_PARTITIONS;

    @Option(names = "--replication-factor", description = "Replication of every topic (default: ${DEFAULT-VALUE}).")
    short replicationFactor = 1;

    @Option(names = "--site", paramLabel = "NAME=ENDPOINT",
            description = "A site to publish, repeatable: aws, azure or gcp with an S3 endpoint (path-style), or "
                    + "onprem with a file:// directory.")
    Map<String, URI> sites = new LinkedHashMap<>();

    @Option(names = "--bucket", description = "Bucket holding Tierflow's objects on every S3 site (default: "
            + "${DEFAULT-VALUE}).")
    String bucket = io.tierflow.localstack.LocalStack.BUCKET;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Site> catalogue = sites.entrySet().stream().map(e -> site(e.getKey(), e.getValue())).toList();
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(adminProps)) {
            List<String> created = TopicAdmin.ensureTopics(admin, Topics.SPECS, partitions, replicationFactor);
            out.println("tierflow init: created topics " + created);
        }
        Topics topics = Topics.using(Map.of("schema.registry.url", schemaRegistryUrl));
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, Site> producer = new KafkaProducer<>(producerProps,
                topics.sites.keySerde().serializer(), topics.sites.valueSerde().serializer())) {
            for (Site site : catalogue) {
                producer.send(new ProducerRecord<>(Topics.SITES, site.getName(), site)).get();
                out.println("tierflow init: published site " + site.getName() + " at " + site.getEndpoint());
            }
        }
        out.flush();
        return 0;
    }

    private Site site(String name, URI endpoint) {
        try {
            return LocalSiteCatalogue.site(new SiteEndpoint(name, endpoint, bucket));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--site " + name + ": " + e.getMessage()
                    + " (known: aws, azure, gcp, onprem)");
        }
    }
}
