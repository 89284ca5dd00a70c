package io.tierflow.bench;

import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.LocalStackConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The reference side of the migration benchmark: rclone copies the objects between the two sites. */
final class RcloneCopy {
    private final MigrationBenchmark.Settings settings;
    private final Progress progress;
    private final LocalStack stack;
    private final MigrationObjects objects;

    RcloneCopy(MigrationBenchmark.Settings settings, Progress progress, LocalStack stack, MigrationObjects objects) {
        this.settings = settings;
        this.progress = progress;
        this.stack = stack;
        this.objects = objects;
    }

    MeasuredCopy run(String label) throws Exception {
        objects.clearDestination();
        // Through bash for its `times` built-in, which reports the CPU time of the children (rclone) when it ends.
        List<String> command = List.of("bash", "-c", "rclone \"$@\"; status=$?; times; exit $status", "rclone",
                "--config", "/dev/null", "copy", "--transfers",
                String.valueOf(settings.rcloneTransfers()), "--checksum",
                settings.from() + ":" + LocalStack.BUCKET + "/" + MigrationObjects.PREFIX,
                settings.to() + ":" + LocalStack.BUCKET + "/" + MigrationObjects.PREFIX);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        rcloneEnvironment(stack, builder.environment());
        ThreadCpu threadsBefore = ThreadCpu.now();
        long cpuBefore = MeasuredCopy.jvmCpuNanos();
        long started = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(MigrationBenchmark.RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(label + " did not finish within " + MigrationBenchmark.RUN_TIMEOUT);
        }
        long elapsed = System.nanoTime() - started;
        long jvmCpu = MeasuredCopy.jvmCpuNanos() - cpuBefore;
        progress.say("%s: CPU by thread in this JVM: %s", label, ThreadCpu.now().since(threadsBefore, jvmCpu));
        if (process.exitValue() != 0) {
            throw new IllegalStateException(label + " failed (exit " + process.exitValue() + "): " + output);
        }
        long copied = objects.destinationObjects().stream().mapToLong(S3Object::size).sum();
        if (copied != settings.totalBytes()) {
            throw new IllegalStateException(label + " left " + copied + " bytes at " + settings.to() + ", expected "
                    + settings.totalBytes());
        }
        return MeasuredCopy.report(progress, label, settings.totalBytes(), elapsed,
                jvmCpu + BashTimes.childCpuNanos(output));
    }

    /** rclone remotes named after the sites, from environment variables only (no config file). */
    private static void rcloneEnvironment(LocalStack stack, Map<String, String> env) {
        env.remove("AWS_CA_BUNDLE"); // see Rclone in the migrator's tests: it breaks rclone here
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
}
