package io.tierflow.migrator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

class SiteCredentialsTest {
    @Test
    void shouldPreferTheSitesOwnKeysThenTheSharedOnesThenTheLocalDefaults() {
        Map<String, String> env = Map.of(
                "TIERFLOW_SITE_AWS_ACCESS_KEY", "aws-key", "TIERFLOW_SITE_AWS_SECRET_KEY", "aws-secret",
                "TIERFLOW_S3_ACCESS_KEY", "shared-key", "TIERFLOW_S3_SECRET_KEY", "shared-secret");

        AwsBasicCredentials aws = SiteCredentials.resolve("aws", env);
        AwsBasicCredentials gcp = SiteCredentials.resolve("gcp", env);
        AwsBasicCredentials local = SiteCredentials.resolve("gcp", Map.of());

        assertEquals("aws-key", aws.accessKeyId());
        assertEquals("aws-secret", aws.secretAccessKey());
        assertEquals("shared-key", gcp.accessKeyId());
        assertEquals("shared-secret", gcp.secretAccessKey());
        assertEquals("tierflow", local.accessKeyId());
        assertEquals("tierflow-local-secret", local.secretAccessKey());
    }

    @Test
    void shouldNameSitesWithDashesAsEnvironmentVariablesCan() {
        AwsBasicCredentials eu = SiteCredentials.resolve("eu-west",
                Map.of("TIERFLOW_SITE_EU_WEST_ACCESS_KEY", "eu-key", "TIERFLOW_SITE_EU_WEST_SECRET_KEY", "eu-secret"));
        assertEquals("eu-key", eu.accessKeyId());
    }

    @Test
    void shouldNotPrintTheSecret() {
        AwsBasicCredentials credentials = SiteCredentials.resolve("aws",
                Map.of("TIERFLOW_S3_SECRET_KEY", "very-secret-value"));
        assertEquals(false, credentials.toString().contains("very-secret-value"), credentials.toString());
    }
}
