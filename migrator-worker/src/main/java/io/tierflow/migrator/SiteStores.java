package io.tierflow.migrator;

import io.tierflow.schemas.Site;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The sites the worker knows, from the {@code sites} topic, each with a ready {@link SiteStore} behind the site's
 * {@link CircuitBreaker}. A site whose catalogue entry changes (new endpoint or bucket) gets a new store; its
 * breaker stays, since the site's health does not change with its entry.
 */
public final class SiteStores implements AutoCloseable {
    private record Entry(Site site, SiteStore store) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, String> environment;
    private final long multipartThreshold;
    private final long partSize;
    private final int partsInFlight;
    private final PartMemory partMemory;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final int breakerFailures;
    private final Duration breakerOpen;
    private final Clock clock;
    private volatile BiConsumer<String, CircuitBreaker> breakerListener = (name, breaker) -> { };

    /** Stores with breakers that open after 3 consecutive failures, for 30 seconds. */
    public SiteStores(Map<String, String> environment, long multipartThreshold, long partSize) {
        this(environment, multipartThreshold, partSize, 3, Duration.ofSeconds(30), Clock.systemUTC());
    }

    public SiteStores(Map<String, String> environment, long multipartThreshold, long partSize, int breakerFailures,
            Duration breakerOpen, Clock clock) {
        this(environment, multipartThreshold, partSize, 3, breakerFailures, breakerOpen, clock);
    }

    public SiteStores(Map<String, String> environment, long multipartThreshold, long partSize, int partsInFlight,
            int breakerFailures, Duration breakerOpen, Clock clock) {
        this(environment, multipartThreshold, partSize, partsInFlight, PartMemory.DEFAULT_BYTES, breakerFailures,
                breakerOpen, clock);
    }

    /** @param partMemoryBytes what all multipart uploads of this process may hold in part buffers at once */
    public SiteStores(Map<String, String> environment, long multipartThreshold, long partSize, int partsInFlight,
            long partMemoryBytes, int breakerFailures, Duration breakerOpen, Clock clock) {
        this.partMemory = new PartMemory(Math.max(partMemoryBytes, partSize));
        this.environment = Map.copyOf(environment);
        this.multipartThreshold = multipartThreshold;
        this.partSize = partSize;
        this.partsInFlight = partsInFlight;
        this.breakerFailures = breakerFailures;
        this.breakerOpen = breakerOpen;
        this.clock = clock;
    }

    /** The site's breaker (created on first use, so even a site not yet in the catalogue has one). */
    public CircuitBreaker breaker(String name) {
        CircuitBreaker existing = breakers.get(name);
        if (existing != null) {
            return existing;
        }
        boolean[] created = {false};
        CircuitBreaker breaker = breakers.computeIfAbsent(name, n -> {
            created[0] = true;
            return new CircuitBreaker(breakerFailures, breakerOpen, clock);
        });
        if (created[0]) {
            breakerListener.accept(name, breaker);
        }
        return breaker;
    }

    /** Tells {@code listener} about every breaker, those that exist now and those created later (metrics). */
    public void onBreaker(BiConsumer<String, CircuitBreaker> listener) {
        this.breakerListener = listener;
        breakers.forEach(listener);
    }

    /** When a command that needs this site may run again: now, unless the site's breaker is open. */
    public Instant availableAt(String name) {
        return breaker(name).retryAt();
    }

    /** Adds or updates a site from the catalogue; null removes it (a tombstone). */
    public void update(String name, Site site) {
        if (site != null) {
            // An operator's (or the chaos command's) up/down in the catalogue wins over what requests show.
            if (site.getUp()) {
                breaker(name).markUp();
            } else {
                breaker(name).markDown();
            }
        }
        Entry old;
        if (site == null) {
            old = entries.remove(name);
        } else {
            old = entries.get(name);
            if (old != null && old.site().getEndpoint().equals(site.getEndpoint())
                    && old.site().getBucket().equals(site.getBucket())) {
                entries.put(name, new Entry(site, old.store())); // same place, new prices or flags
                return;
            }
            entries.put(name, new Entry(site, open(site)));
        }
        if (old != null) {
            old.store().close();
        }
    }

    public Optional<Site> site(String name) {
        return Optional.ofNullable(entries.get(name)).map(Entry::site);
    }

    public Optional<SiteStore> store(String name) {
        return Optional.ofNullable(entries.get(name)).map(Entry::store);
    }

    private SiteStore open(Site site) {
        URI endpoint = URI.create(site.getEndpoint());
        SiteStore store;
        if ("file".equals(endpoint.getScheme())) {
            store = new FileSiteStore(site.getName(), Path.of(endpoint).resolve(site.getBucket()));
        } else {
            store = new S3SiteStore(site.getName(), endpoint, site.getBucket(),
                    SiteCredentials.resolve(site.getName(), environment), multipartThreshold, partSize,
                    partsInFlight, partMemory);
        }
        return new GuardedSiteStore(store, breaker(site.getName()));
    }

    @Override
    public void close() {
        entries.values().forEach(e -> e.store().close());
        entries.clear();
    }
}
