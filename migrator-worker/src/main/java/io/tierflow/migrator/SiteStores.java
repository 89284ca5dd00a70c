package io.tierflow.migrator;

import io.tierflow.catalogue.CatalogueRules;
import io.tierflow.catalogue.SitePlace;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sites the worker knows, from the {@code sites} topic, each with a ready {@link SiteStore} behind the site's
 * {@link CircuitBreaker}. An entry is acted on only where {@link SiteTrust} allows: one that moves a site elsewhere
 * than the operator pinned (or than this process first saw it) is refused, logged, and leaves the site unusable
 * rather than redirect signed requests. The breaker stays across entries, since a site's health does not change
 * with its entry.
 */
public final class SiteStores implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SiteStores.class);

    /** A catalogue entry, with its store, or the reason it is refused (and no store). */
    private record Entry(Site site, SiteStore store, String refusal) {
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
    private final Map<String, SitePlace> firstSeen = new ConcurrentHashMap<>();
    private volatile SiteTrust trust = SiteTrust.pinned(Map.of()); // nothing is trusted until configured

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

    /** Decides which catalogue entries are acted on from now on; set before the catalogue is read. */
    public SiteStores trust(SiteTrust trust) {
        this.trust = trust;
        return this;
    }

    public SiteTrust trust() {
        return trust;
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
            old = entries.remove(name); // where it was first seen is kept: a tombstone does not reset the trust
        } else {
            old = entries.get(name);
            Optional<String> refusal = CatalogueRules.siteKeyProblem(name, site)
                    .or(() -> trust.refusal(site, firstSeen.get(name)));
            if (refusal.isPresent()) {
                log.error("site {} refused: {}; no request is sent to it until its entry agrees", name,
                        refusal.get());
                entries.put(name, new Entry(site, null, refusal.get()));
            } else {
                firstSeen.putIfAbsent(name, SitePlace.of(site));
                if (old != null && old.store() != null && old.site().getEndpoint().equals(site.getEndpoint())
                        && old.site().getBucket().equals(site.getBucket())) {
                    entries.put(name, new Entry(site, old.store(), null)); // same place, new prices or flags
                    return;
                }
                entries.put(name, new Entry(site, open(site), null));
            }
        }
        if (old != null && old.store() != null) {
            old.store().close();
        }
    }

    /** Why the site's catalogue entry is not acted on, or empty when it is (or the site is unknown). */
    public Optional<String> refusal(String name) {
        return Optional.ofNullable(entries.get(name)).map(Entry::refusal);
    }

    public Optional<Site> site(String name) {
        return Optional.ofNullable(entries.get(name)).map(Entry::site);
    }

    public Optional<SiteStore> store(String name) {
        return Optional.ofNullable(entries.get(name)).map(Entry::store); // none for a refused entry
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
        entries.values().stream().filter(e -> e.store() != null).forEach(e -> e.store().close());
        entries.clear();
    }
}
