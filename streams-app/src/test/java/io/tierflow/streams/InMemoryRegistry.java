package io.tierflow.streams;

import io.tierflow.serde.InMemorySchemaRegistry;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A schema registry of its own for each topology test, held in memory ({@code mock://<scope>}): the serdes register
 * and resolve schemas as they would with a registry process, and none is started. The real registry's behaviour is
 * covered by the integration tests (AvroSerdeIT, TieringTopologyIT), which keep it.
 */
public final class InMemoryRegistry implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(InMemoryRegistry.class);

    /** The {@code schema.registry.url} of the test's registry, as a test parameter. */
    public record Url(String value) {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Url.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent("url", k -> new Url(InMemorySchemaRegistry.URL_PREFIX
                + context.getRequiredTestClass().getSimpleName() + "-" + UUID.randomUUID()), Url.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Url url = context.getStore(NAMESPACE).remove("url", Url.class);
        if (url != null) {
            InMemorySchemaRegistry.drop(url.value());
        }
    }
}
