package io.tierflow.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the catalogue's topics that do not exist yet; existing topics are left as they are. */
public final class TopicAdmin {
    private TopicAdmin() {
    }

    /** Creates the missing topics and returns the names of those it created. */
    public static List<String> ensureTopics(Admin admin, Collection<TopicSpec> specs, int partitions,
            short replicationFactor) throws InterruptedException {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec spec : specs) {
                if (!existing.contains(spec.name())) {
                    missing.add(new NewTopic(spec.name(), partitions, replicationFactor).configs(spec.configs()));
                }
            }
            List<String> created = new ArrayList<>();
            var results = admin.createTopics(missing).values();
            for (var entry : results.entrySet()) {
                try {
                    entry.getValue().get();
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e; // another instance creating it at the same time is fine; anything else is not
                    }
                }
            }
            return created;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create Tierflow's topics: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
