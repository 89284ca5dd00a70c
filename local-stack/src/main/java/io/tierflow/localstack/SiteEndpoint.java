package io.tierflow.localstack;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

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

    /**
     * An S3 client for this site with the given credentials; shared by the stack and by commands that reach an
     * already running stack, so both talk to S3Proxy the same way.
     */
    public S3Client s3Client(String accessKey, String secretKey) {
        if (!isS3()) {
            throw new IllegalArgumentException("site " + name + " is a file:// site, not S3");
        }
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true) // S3Proxy serves buckets as paths, not as host names
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }
}
