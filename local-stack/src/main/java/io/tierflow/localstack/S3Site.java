package io.tierflow.localstack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/** One S3-compatible site: an embedded S3Proxy over a filesystem directory, on 127.0.0.1, with AWS v2/v4 auth. */
final class S3Site implements AutoCloseable {
    private final String name;
    private final BlobStore blobStore;
    private final S3Proxy proxy;

    private S3Site(String name, BlobStore blobStore, S3Proxy proxy) {
        this.name = name;
        this.blobStore = blobStore;
        this.proxy = proxy;
    }

    /** Starts the site and returns once it accepts connections ({@code S3Proxy.start} returns after binding). */
    static S3Site start(String name, int port, Path baseDir, String bucket, String accessKey, String secretKey)
            throws Exception {
        Files.createDirectories(baseDir); // the filesystem store refuses a missing base directory
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", baseDir.toAbsolutePath().toString());
        BlobStore blobStore = BlobStores.create("filesystem", properties);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://" + LocalStackConfig.HOST + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                // The AWS SDK sends headers S3Proxy does not know (e.g. x-amz-mp-object-size); ignore, not 501.
                .ignoreUnknownHeaders(true)
                // Stop at once: a chaos test stops a site mid-transfer on purpose, and the default waits 30 s.
                .stopTimeout(0)
                .jettyMaxThreads(32)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            closeQuietly(proxy, blobStore);
            throw new IOException("site " + name + " could not listen on " + LocalStackConfig.HOST + ":" + port
                    + " (is the port in use? set TIERFLOW_SITE_" + name.toUpperCase() + "_PORT): " + e.getMessage(), e);
        }
        if (!"STARTED".equals(proxy.getState())) {
            closeQuietly(proxy, blobStore);
            throw new IllegalStateException("site " + name + " did not start: S3Proxy state " + proxy.getState());
        }
        if (!blobStore.containerExists(bucket)) {
            blobStore.createContainer(bucket);
        }
        return new S3Site(name, blobStore, proxy);
    }

    String name() {
        return name;
    }

    int port() {
        return proxy.getPort();
    }

    boolean isRunning() {
        return "STARTED".equals(proxy.getState());
    }

    /** Stops the proxy; its Jetty threads are not daemons, so a JVM with a running site never exits. */
    @Override
    public void close() throws Exception {
        try {
            proxy.stop();
        } finally {
            blobStore.close();
        }
    }

    private static void closeQuietly(S3Proxy proxy, BlobStore blobStore) {
        try {
            proxy.stop();
        } catch (Exception ignored) {
            // already failing; the original error is the one to report
        }
        try {
            blobStore.close();
        } catch (Exception ignored) {
            // same
        }
    }
}
