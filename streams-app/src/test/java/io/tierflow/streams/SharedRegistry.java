package io.tierflow.streams;

import io.tierflow.localstack.ApicurioRegistry;
import io.tierflow.localstack.LocalStackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real schema registry (Apicurio, as in the local stack) for all topology tests of a test run, started on
 * first use and stopped when the run ends.
 */
public final class SharedRegistry implements BeforeAllCallback, ParameterResolver {
    private static final String KEY = "tierflow-registry";

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        url(context);
    }

    /** The URL of the run's registry, as a test parameter. */
    public record Url(String value) {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Url.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        try {
            return new Url(url(context));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The registry's Confluent API URL, starting it if this run has none yet. */
    public static String url(ExtensionContext context) throws Exception {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        Running running = store.getOrComputeIfAbsent(KEY, k -> {
            try {
                Path dir = Files.createTempDirectory("tierflow-test-registry");
                return new Running(ApicurioRegistry.start(dir, LocalStackConfig.freePort()));
            } catch (Exception e) {
                throw new IllegalStateException("could not start the test schema registry", e);
            }
        }, Running.class);
        return running.registry.confluentApiUrl();
    }

    /** Closed by JUnit when the run ends. */
    record Running(ApicurioRegistry registry) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            registry.close();
        }
    }
}
