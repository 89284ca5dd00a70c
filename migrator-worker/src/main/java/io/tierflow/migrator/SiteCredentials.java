package io.tierflow.migrator;

import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * S3 credentials for a site, from the environment and never from the {@code sites} catalogue (which is readable
 * by everyone): {@code TIERFLOW_SITE_<NAME>_ACCESS_KEY} / {@code _SECRET_KEY}, else {@code TIERFLOW_S3_ACCESS_KEY}
 * / {@code TIERFLOW_S3_SECRET_KEY}, else the local stack's defaults. Never logged.
 */
final class SiteCredentials {
    static final String DEFAULT_ACCESS_KEY = "tierflow";
    static final String DEFAULT_SECRET_KEY = "tierflow-local-secret";

    private SiteCredentials() {
    }

    static AwsBasicCredentials resolve(String siteName, Map<String, String> environment) {
        String prefix = "TIERFLOW_SITE_" + siteName.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_";
        String access = first(environment.get(prefix + "ACCESS_KEY"), environment.get("TIERFLOW_S3_ACCESS_KEY"),
                DEFAULT_ACCESS_KEY);
        String secret = first(environment.get(prefix + "SECRET_KEY"), environment.get("TIERFLOW_S3_SECRET_KEY"),
                DEFAULT_SECRET_KEY);
        return AwsBasicCredentials.create(access, secret);
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        throw new IllegalStateException("unreachable: the last value is a default");
    }
}
