package io.tierflow.localstack;

import java.net.URI;

/**
 * How to reach one local site.
 *
 * @param name site name (aws, azure, gcp, onprem)
 * @param endpoint {@code http://127.0.0.1:port} for S3-compatible sites, a {@code file://} directory for on-prem
 * @param bucket the bucket (or, for file:// sites, the subdirectory) holding Tierflow's objects
 */
public record SiteEndpoint(String name, URI endpoint, String bucket) {
    public boolean isS3() {
        return endpoint.getScheme().startsWith("http");
    }
}
