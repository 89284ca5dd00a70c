package io.tierflow.bench;

import io.tierflow.localstack.LocalStack;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.LoggerFactory;

/** The Kafka admin client the streams benchmarks share, and the client logging they all want quiet. */
final class BenchClients {
    private BenchClients() {
    }

    /**
     * Under exactly-once load the clients log each retried request (CONCURRENT_TRANSACTIONS while a commit completes)
     * and each fetch that races a rebalance at WARN; both are expected and would bury the progress lines. Failures
     * still surface: as ERROR logs, and as a run that stops or times out.
     */
    static void quietClientRetries() {
        if (LoggerFactory.getLogger("org.apache.kafka.clients") instanceof ch.qos.logback.classic.Logger clients) {
            clients.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    static Admin admin(LocalStack stack) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "bench-admin");
        return Admin.create(props);
    }

    static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }
}
