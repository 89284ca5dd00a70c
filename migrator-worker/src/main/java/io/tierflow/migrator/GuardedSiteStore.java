package io.tierflow.migrator;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * A site store behind its site's circuit breaker: calls fail fast with {@code site_unavailable} while the breaker
 * is open, and every call's outcome feeds the breaker. Only "no answer" failures (connection refused, timeouts,
 * 5xx) count against the site; an answer such as 404 or 412 shows the site is up. A failure while streaming
 * bytes from another site into this one is counted here too, since the two cannot be told apart cheaply.
 */
final class GuardedSiteStore implements SiteStore {
    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException, MigrationFailure;
    }

    private final SiteStore store;
    private final CircuitBreaker breaker;

    GuardedSiteStore(SiteStore store, CircuitBreaker breaker) {
        this.store = store;
        this.breaker = breaker;
    }

    private <T> T guard(Call<T> call) throws IOException, MigrationFailure {
        if (!breaker.tryAcquire()) {
            throw new MigrationFailure(ErrorCode.SITE_UNAVAILABLE, "site " + store.name()
                    + " is backed off after repeated failures until " + breaker.retryAt());
        }
        try {
            T result = call.run();
            breaker.recordSuccess();
            return result;
        } catch (IOException | MigrationFailure | RuntimeException e) {
            if (ErrorClassifier.classify(e) == ErrorCode.SITE_UNAVAILABLE) {
                breaker.recordFailure();
            } else {
                breaker.recordSuccess();
            }
            throw e;
        }
    }

    @Override
    public String name() {
        return store.name();
    }

    @Override
    public Optional<ObjectInfo> head(String key) throws IOException {
        try {
            return guard(() -> store.head(key));
        } catch (MigrationFailure e) {
            throw new IOException(e.getMessage(), e); // keeps its code: the classifier looks through causes
        }
    }

    @Override
    public ObjectStream open(String key, String versionToken) throws IOException, MigrationFailure {
        return guard(() -> store.open(key, versionToken));
    }

    @Override
    public WriteResult put(String key, InputStream data, long size, WriteOptions options, LongConsumer progress)
            throws IOException, MigrationFailure {
        return guard(() -> store.put(key, data, size, options, progress));
    }

    @Override
    public ObjectInfo changeStorageClass(String key, String storageClass, boolean serverSideEncryption)
            throws IOException, MigrationFailure {
        return guard(() -> store.changeStorageClass(key, storageClass, serverSideEncryption));
    }

    @Override
    public boolean deleteIfVersion(String key, String expectedSha256, String expectedVersionToken)
            throws IOException {
        try {
            return guard(() -> store.deleteIfVersion(key, expectedSha256, expectedVersionToken));
        } catch (MigrationFailure e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public boolean deleteCorrupt(String key, String versionToken, String readSha256) throws IOException {
        try {
            return guard(() -> store.deleteCorrupt(key, versionToken, readSha256));
        } catch (MigrationFailure e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public boolean deletesConditionally() throws IOException {
        try {
            return guard(store::deletesConditionally);
        } catch (MigrationFailure e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
