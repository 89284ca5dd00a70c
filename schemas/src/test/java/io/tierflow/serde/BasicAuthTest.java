package io.tierflow.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The registry client sends HTTP basic credentials and the Confluent content type. The local registry has no
 * authentication, so the request is captured by the JDK's own HTTP server.
 */
class BasicAuthTest {
    @Test
    void shouldSendBasicAuthAndTheSchemaRegistryContentType() throws Exception {
        AtomicReference<String> authorization = new AtomicReference<>();
        AtomicReference<String> contentType = new AtomicReference<>();
        AtomicReference<String> path = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            contentType.set(exchange.getRequestHeaders().getFirst("Content-Type"));
            path.set(exchange.getRequestURI().getRawPath());
            byte[] body = "{\"id\":42}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            SchemaRegistryClient client = new SchemaRegistryClient(
                    List.of("http://127.0.0.1:" + server.getAddress().getPort()), "alice:s3cret", Duration.ofSeconds(5));
            int id = client.register("my topic-value", io.tierflow.schemas.AccessEvent.getClassSchema());
            assertEquals(42, id);
            assertEquals("Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)),
                    authorization.get());
            assertEquals("application/vnd.schemaregistry.v1+json", contentType.get());
            assertEquals("/subjects/my%20topic-value/versions", path.get());
            assertTrue(!client.describe().contains("s3cret"));
        } finally {
            server.stop(0);
        }
    }
}
