package io.tierflow.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack of this test JVM: started on first use and shared by every integration test that asks for it, each
 * getting it back as it was just after {@link LocalStack#start}. Starting a stack (a broker, the registry's JVM, three
 * sites) is the slowest step of most integration tests; handing the running one back as new is quick: {@link #fresh()}
 * restarts any stopped site, deletes every consumer group and every topic, creates Tierflow's topics again (empty),
 * publishes the local sites to them and empties every site.
 *
 * <p>What stays: the registry's schemas (the same schema gets the same id again; a test that counts subjects or versions
 * needs a stack of its own), and the broker's memory of transactional ids (the next producer with one fences the
 * last, as after any restart).
 *
 * <p>Never close it: it stops with the JVM. A test that needs a stack of its own, e.g. to restart it on its data
 * directory, calls {@link LocalStack#start} as before; that stops the shared stack first (a JVM runs one broker), and
 * the next {@link #fresh()} starts a new one.
 */
public final class SharedLocalStack {
    private static final Logger log = LoggerFactory.getLogger(SharedLocalStack.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static LocalStack stack; // guarded by the class
    private static final List<Path> dataDirs = new ArrayList<>(); // guarded by the class
    private static boolean hooked; // guarded by the class

    private SharedLocalStack() {
    }

    /** The shared stack, with no topic, record, consumer group or object left by an earlier test. */
    public static synchronized LocalStack fresh() throws Exception {
        if (stack != null && stack.isRunning()) {
            reset(stack);
            return stack;
        }
        deleteOldDataDirs();
        Path dataDir = Files.createTempDirectory("tierflow-shared-stack-");
        dataDirs.add(dataDir);
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(SharedLocalStack::stopAtExit, "tierflow-shared-stack-stop"));
            hooked = true;
        }
        stack = LocalStack.start(LocalStackConfig.onFreePorts(dataDir));
        stack.leaveStoppingToOwner(); // stopAtExit stops it, then deletes its data directory
        stack.yieldToNextStart();
        return stack;
    }

    private static synchronized void stopAtExit() {
        if (stack != null) {
            stack.close();
            stack = null;
        }
        deleteOldDataDirs();
    }

    /** Data directories of shared stacks that have stopped (a test's own stack stopped them). */
    private static void deleteOldDataDirs() {
        for (Path dir : dataDirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                log.warn("could not delete {}: {}", dir, e.toString());
            }
        }
        dataDirs.clear();
    }

    private static void reset(LocalStack stack) throws Exception {
        long started = System.nanoTime();
        for (String site : LocalStackConfig.S3_SITES) {
            stack.startSite(site); // nothing if it runs
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            stack.renew(() -> {
                deleteGroups(admin);
                deleteTopics(admin);
            });
        }
        emptySites(stack);
        log.info("shared local stack reset in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private static void deleteGroups(Admin admin) throws Exception {
        Set<String> groups = admin.listGroups().all().get().stream()
                .filter(g -> g.type().map(t -> t == GroupType.CLASSIC || t == GroupType.CONSUMER).orElse(true))
                .map(GroupListing::groupId).collect(Collectors.toSet());
        if (groups.isEmpty()) {
            return;
        }
        for (var result : admin.deleteConsumerGroups(groups).deletedGroups().entrySet()) {
            try {
                result.getValue().get();
            } catch (ExecutionException e) {
                // A group a client of an earlier test still belongs to: its offsets go with the topics anyway.
                log.warn("consumer group {} not deleted: {}", result.getKey(), e.getCause().toString());
            }
        }
    }

    /** Deletes every topic but the broker's own, and waits until the broker no longer lists them. */
    private static void deleteTopics(Admin admin) throws Exception {
        Set<String> topics = admin.listTopics().names().get(); // internal ones (__consumer_offsets ...) not listed
        if (topics.isEmpty()) {
            return;
        }
        admin.deleteTopics(topics).all().get();
        Eventually.holds(TIMEOUT, "the broker to list none of the deleted topics " + topics,
                () -> Collections.disjoint(admin.listTopics().names().get(), topics));
    }

    /** Empties the bucket of every site, on-prem included, leaving the (empty) bucket. */
    private static void emptySites(LocalStack stack) throws IOException {
        List<Path> buckets = new ArrayList<>();
        for (String site : LocalStackConfig.S3_SITES) {
            buckets.add(stack.dataDir().resolve("sites").resolve(site).resolve(LocalStack.BUCKET));
        }
        buckets.add(stack.onPremDirectory());
        for (Path bucket : buckets) {
            if (!Files.isDirectory(bucket)) {
                continue;
            }
            try (Stream<Path> children = Files.list(bucket)) {
                for (Path child : children.toList()) {
                    try (Stream<Path> files = Files.walk(child)) {
                        files.sorted(Comparator.reverseOrder()).forEach(p -> {
                            try {
                                Files.delete(p);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
                    }
                }
            }
        }
    }
}
