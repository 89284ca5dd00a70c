package io.tierflow.migrator;

import io.tierflow.schemas.Site;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sites the worker knows, from the {@code sites} topic, each with a ready {@link SiteStore}. A site whose
 * catalogue entry changes (new endpoint or bucket) gets a new store.
 */
public final class SiteStores implements AutoCloseable {
    private record Entry(Site site, SiteStore store) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, String> environment;
    private final long multipartThreshold;
    private final long partSize;

    public SiteStores(Map<String, String> environment, long multipartThreshold, long partSize) {
        this.environment = Map.copyOf(environment);
        this.multipartThreshold = multipartThreshold;
        this.partSize = partSize;
    }

    /** Adds or updates a site from the catalogue; null removes it (a tombstone). */
    public void update(String name, Site site) {
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
        if ("file".equals(endpoint.getScheme())) {
            return new FileSiteStore(site.getName(), Path.of(endpoint).resolve(site.getBucket()));
        }
        return new S3SiteStore(site.getName(), endpoint, site.getBucket(),
                SiteCredentials.resolve(site.getName(), environment), multipartThreshold, partSize);
    }

    @Override
    public void close() {
        entries.values().forEach(e -> e.store().close());
        entries.clear();
    }
}
