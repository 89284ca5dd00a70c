package io.tierflow.catalogue;

import io.tierflow.schemas.Site;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where a site's objects are: its endpoint URI and bucket, exactly as a {@code sites} record writes them. Credentials
 * are signed for a site's place, so a place is trusted configuration: an operator pins it
 * ({@code <prefix><name>.endpoint} / {@code .bucket}), and a catalogue write does not move it elsewhere.
 */
public record SitePlace(String endpoint, String bucket) {
    public static SitePlace of(Site site) {
        return new SitePlace(site.getEndpoint(), site.getBucket());
    }

    /**
     * The pins in {@code config} under {@code prefix}: {@code <prefix><name>.endpoint} and {@code <prefix><name>.bucket}
     * per site, values trimmed.
     *
     * @throws IllegalArgumentException when a site has one of the two keys without the other
     */
    public static Map<String, SitePlace> pins(Properties config, String prefix) {
        Map<String, String> endpoints = new HashMap<>();
        Map<String, String> buckets = new HashMap<>();
        for (String key : config.stringPropertyNames()) {
            if (key.startsWith(prefix) && key.endsWith(".endpoint")) {
                endpoints.put(key.substring(prefix.length(), key.length() - ".endpoint".length()),
                        config.getProperty(key).trim());
            } else if (key.startsWith(prefix) && key.endsWith(".bucket")) {
                buckets.put(key.substring(prefix.length(), key.length() - ".bucket".length()),
                        config.getProperty(key).trim());
            }
        }
        Map<String, SitePlace> pins = new HashMap<>();
        for (Map.Entry<String, String> endpoint : endpoints.entrySet()) {
            String bucket = buckets.get(endpoint.getKey());
            if (bucket == null) {
                throw new IllegalArgumentException(prefix + endpoint.getKey() + ".endpoint is set without " + prefix
                        + endpoint.getKey() + ".bucket: a pin names both");
            }
            pins.put(endpoint.getKey(), new SitePlace(endpoint.getValue(), bucket));
        }
        buckets.keySet().stream().filter(site -> !endpoints.containsKey(site)).findFirst().ifPresent(site -> {
            throw new IllegalArgumentException(prefix + site + ".bucket is set without " + prefix + site
                    + ".endpoint: a pin names both");
        });
        return Map.copyOf(pins);
    }

    /** The config entries that pin {@code site} here under {@code prefix} (the inverse of {@link #pins}). */
    public Map<String, String> asConfig(String prefix, String site) {
        return Map.of(prefix + site + ".endpoint", endpoint, prefix + site + ".bucket", bucket);
    }

    @Override
    public String toString() {
        return endpoint + " bucket " + bucket;
    }
}
