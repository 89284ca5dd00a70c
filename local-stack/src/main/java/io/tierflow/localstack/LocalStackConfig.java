package io.tierflow.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import io.tierflow.catalogue.SitePlace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the local stack keeps its state and which loopback ports it listens on.
 *
 * @param dataDir everything the stack writes lives under this directory (default {@code ./.tierflow})
 * @param kafkaPort the broker's client port
 * @param controllerPort the KRaft controller port
 * @param registryPort the schema registry's HTTP port
 * @param sitePorts S3 endpoint port per S3-compatible site, in catalogue order (aws, azure, gcp)
 * @param s3AccessKey access key the S3 sites accept
 * @param s3SecretKey secret key the S3 sites accept (never logged)
 */
public record LocalStackConfig(Path dataDir, int kafkaPort, int controllerPort, int registryPort,
        Map<String, Integer> sitePorts, String s3AccessKey, String s3SecretKey) {

    public static final String HOST = "127.0.0.1";
    /** Names of the S3-compatible sites, in order. */
    public static final String[] S3_SITES = {"aws", "azure", "gcp"};
    /** Name of the filesystem site. */
    public static final String ONPREM_SITE = "onprem";

    public LocalStackConfig {
        sitePorts = Map.copyOf(sitePorts);
        for (String site : S3_SITES) {
            if (!sitePorts.containsKey(site)) {
                throw new IllegalArgumentException("no port given for site " + site);
            }
        }
    }

    /**
     * The defaults for a developer's machine: {@code ./.tierflow}, Kafka on 19092, the registry on 18081 and the
     * sites on 19001-19003; each may be overridden with {@code TIERFLOW_*} environment variables (see README).
     */
    public static LocalStackConfig defaults() {
        Map<String, String> env = System.getenv();
        Map<String, Integer> sites = new LinkedHashMap<>();
        for (int i = 0; i < S3_SITES.length; i++) {
            String name = S3_SITES[i];
            sites.put(name, intEnv(env, "TIERFLOW_SITE_" + name.toUpperCase() + "_PORT", 19001 + i));
        }
        return new LocalStackConfig(
                Path.of(env.getOrDefault("TIERFLOW_DATA_DIR", ".tierflow")),
                intEnv(env, "TIERFLOW_KAFKA_PORT", 19092),
                intEnv(env, "TIERFLOW_CONTROLLER_PORT", 19093),
                intEnv(env, "TIERFLOW_REGISTRY_PORT", 18081),
                sites,
                env.getOrDefault("TIERFLOW_S3_ACCESS_KEY", "tierflow"),
                env.getOrDefault("TIERFLOW_S3_SECRET_KEY", "tierflow-local-secret"));
    }

    /** A configuration on free ports under {@code dataDir}, for tests that run beside other stacks. */
    public static LocalStackConfig onFreePorts(Path dataDir) {
        Map<String, Integer> sites = new LinkedHashMap<>();
        for (String name : S3_SITES) {
            sites.put(name, freePort());
        }
        return new LocalStackConfig(dataDir, freePort(), freePort(), freePort(), sites, "tierflow",
                "tierflow-local-secret");
    }

    public LocalStackConfig withDataDir(Path dir) {
        return new LocalStackConfig(dir, kafkaPort, controllerPort, registryPort, sitePorts, s3AccessKey, s3SecretKey);
    }

    public LocalStackConfig withPorts(int kafka, int controller, int registry, Map<String, Integer> sites) {
        return new LocalStackConfig(dataDir, kafka, controller, registry, sites, s3AccessKey, s3SecretKey);
    }

    /**
     * How to reach one site of a stack with this configuration; also used by commands that talk to a stack
     * running elsewhere, so they find the same ports, bucket and directory.
     */
    public SiteEndpoint site(String name) {
        if (ONPREM_SITE.equals(name)) {
            return new SiteEndpoint(name, onPremDirectory().getParent().toUri(), LocalStack.BUCKET);
        }
        Integer port = sitePorts.get(name);
        if (port == null) {
            throw new IllegalArgumentException("no local site named '" + name + "'; the local sites are aws, azure, "
                    + "gcp and onprem");
        }
        return new SiteEndpoint(name, URI.create("http://" + HOST + ":" + port), LocalStack.BUCKET);
    }

    /** Every site, S3-compatible ones first, then on-prem. */
    public List<SiteEndpoint> sites() {
        List<SiteEndpoint> sites = new ArrayList<>();
        for (String name : S3_SITES) {
            sites.add(site(name));
        }
        sites.add(site(ONPREM_SITE));
        return sites;
    }

    /**
     * Where each site of a stack with this configuration is, exactly as the stack publishes it to {@code sites}: what
     * a migrator for this stack pins.
     */
    public Map<String, SitePlace> sitePlaces() {
        Map<String, SitePlace> places = new LinkedHashMap<>();
        for (SiteEndpoint site : sites()) {
            places.put(site.name(), new SitePlace(site.endpoint().toString(), site.bucket()));
        }
        return places;
    }

    /** Directory holding the on-prem site's objects. */
    public Path onPremDirectory() {
        return dataDir.resolve("sites").resolve(ONPREM_SITE).resolve(LocalStack.BUCKET);
    }

    @Override
    public String toString() {
        return "LocalStackConfig[dataDir=" + dataDir + ", kafkaPort=" + kafkaPort + ", controllerPort="
                + controllerPort + ", registryPort=" + registryPort + ", sitePorts=" + sitePorts + ", s3AccessKey="
                + s3AccessKey + ", s3SecretKey=***]";
    }

    /** A port that is free now on the loopback address (the OS may hand it out again later, rarely). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free port on " + HOST, e);
        }
    }

    private static int intEnv(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, got '" + value + "'", e);
        }
    }
}
