package io.tierflow.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import io.tierflow.catalogue.SitePlace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

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
    /** {@link #freePort()} draws from here up to the OS's ephemeral range (above the default ports, 18081-19093). */
    private static final int CHOSEN_PORTS_FROM = 20_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

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

    /**
     * A port that is free now on the loopback address, for a stack (or server) about to bind it. Drawn at random
     * below the range the OS hands out for port 0 and for the source ports of outgoing connections (Linux:
     * ip_local_port_range, 32768-60999 by default). A port taken from that range, free when we looked, could become
     * the source port of any client connection on the machine before the stack binds it, and on a build machine
     * full of Kafka clients that made stack starts fail now and then. Below it, only a program binding that very
     * port can take it meanwhile; and this JVM hands no port out twice, so stacks started one after another in a
     * test JVM never reuse one another's ports.
     */
    public static int freePort() {
        int below = ephemeralPortsFrom();
        if (below - CHOSEN_PORTS_FROM < 1000) { // an unusual ephemeral range: let the OS choose, as before
            return osChosenPort();
        }
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(CHOSEN_PORTS_FROM, below);
            if (HANDED_OUT.add(port) && isFree(port)) {
                return port;
            }
        }
        throw new UncheckedIOException(new IOException("no free port on " + HOST + " between " + CHOSEN_PORTS_FROM
                + " and " + below));
    }

    /** Lowest port of the range free ports and outgoing connections get from the OS (32768 if it does not say). */
    static int ephemeralPortsFrom() {
        try {
            // readAllLines: readString returned only the first byte of this file here (it reports a size of 0)
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).strip();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768; // not Linux: macOS and Windows start theirs at 49152, so this stays below them
        }
    }

    private static boolean isFree(int port) {
        try {
            new ServerSocket(port, 1, InetAddress.getByName(HOST)).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int osChosenPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
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
