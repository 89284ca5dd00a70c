package io.tierflow.migrator;

import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.LocalStackConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the rclone command line against a local stack's S3 sites, configured through environment variables only
 * (remotes named after the sites), so no config file is read or written.
 */
final class Rclone {
    /** What a run printed (stdout and stderr together) and its exit code. */
    record Result(int exit, String output) {
    }

    private final LocalStack stack;

    Rclone(LocalStack stack) {
        this.stack = stack;
    }

    static boolean available() {
        try {
            Process process = new ProcessBuilder("rclone", "version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("rclone", "--config", "/dev/null"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        // An AWS_CA_BUNDLE in the environment (our machines set one) is loaded by rclone's AWS SDK and can fail it;
        // the local sites are plain http and need no CA.
        env.remove("AWS_CA_BUNDLE");
        for (String site : LocalStackConfig.S3_SITES) {
            String prefix = "RCLONE_CONFIG_" + site.toUpperCase() + "_";
            env.put(prefix + "TYPE", "s3");
            env.put(prefix + "PROVIDER", "Other");
            env.put(prefix + "ENDPOINT", stack.site(site).endpoint().toString());
            env.put(prefix + "ACCESS_KEY_ID", stack.config().s3AccessKey());
            env.put(prefix + "SECRET_ACCESS_KEY", stack.config().s3SecretKey());
            env.put(prefix + "REGION", "us-east-1");
            env.put(prefix + "FORCE_PATH_STYLE", "true");
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("rclone " + String.join(" ", args) + " did not finish: " + output);
        }
        return new Result(process.exitValue(), output);
    }
}
