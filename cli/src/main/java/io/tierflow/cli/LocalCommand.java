package io.tierflow.cli;

import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.LocalStackConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tierflow local}: the whole stack on this machine, until Ctrl-C. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Starts the local stack on 127.0.0.1: a Kafka broker (KRaft), a schema registry (Apicurio, "
                + "Confluent API), three S3-compatible sites (aws, azure, gcp) and an on-prem file:// site.",
                "Prints the endpoints and runs until Ctrl-C. State is kept in the data directory across restarts."})
final class LocalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final LocalStackConfig defaults = LocalStackConfig.defaults();

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where all state is kept (default: ${DEFAULT-VALUE}; env TIERFLOW_DATA_DIR).")
    Path dataDir = defaults.dataDir();

    @Option(names = "--kafka-port", description = "Kafka client port (default: ${DEFAULT-VALUE}; env TIERFLOW_KAFKA_PORT).")
    int kafkaPort = defaults.kafkaPort();

    @Option(names = "--controller-port",
            description = "KRaft controller port (default: ${DEFAULT-VALUE}; env TIERFLOW_CONTROLLER_PORT).")
    int controllerPort = defaults.controllerPort();

    @Option(names = "--registry-port",
            description = "Schema registry port (default: ${DEFAULT-VALUE}; env TIERFLOW_REGISTRY_PORT).")
    int registryPort = defaults.registryPort();

    @Option(names = "--site-port", paramLabel = "SITE=PORT",
            description = "Port of an S3-compatible site, repeatable (defaults: aws=19001, azure=19002, gcp=19003; "
                    + "env TIERFLOW_SITE_<NAME>_PORT).")
    Map<String, Integer> sitePorts = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Integer> ports = new LinkedHashMap<>(defaults.sitePorts());
        for (String site : sitePorts.keySet()) {
            if (!ports.containsKey(site)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "unknown site '" + site + "' in --site-port: the S3-compatible sites are aws, azure and gcp");
            }
        }
        ports.putAll(sitePorts);
        LocalStackConfig config = defaults.withDataDir(dataDir).withPorts(kafkaPort, controllerPort, registryPort, ports);
        out.println("tierflow local: starting Kafka, the schema registry and the sites in " + dataDir.toAbsolutePath()
                + " (first start unpacks the registry, ~10 s)...");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        LocalStack stack = LocalStack.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("tierflow local: stopping...");
            stack.close();
            stopped.countDown();
        }, "tierflow-local-stop"));
        out.println("tierflow local: ready.");
        out.print(stack.describe());
        out.println("Press Ctrl-C to stop; state stays in " + stack.dataDir() + ".");
        out.flush();
        stopped.await();
        return 0;
    }
}
