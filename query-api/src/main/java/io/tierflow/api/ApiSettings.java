package io.tierflow.api;

import java.time.Duration;

/**
 * How the API serves.
 *
 * @param bindHost address the HTTP server binds (127.0.0.1 unless told otherwise)
 * @param port port it listens on (0 picks a free one)
 * @param advertisedHost host other instances reach this one at; with the port it is this streams node's
 *     {@code application.server}
 * @param token bearer token the write endpoints require; null disables writes (403)
 * @param operator who writes made with the token are attributed to in control records
 * @param rebalanceWait how long a read is retried while ownership moves before it is answered 503
 */
public record ApiSettings(String bindHost, int port, String advertisedHost, String token, String operator,
        Duration rebalanceWait) {
    public static final int DEFAULT_PORT = 18080;

    public static ApiSettings defaults() {
        return new ApiSettings("127.0.0.1", DEFAULT_PORT, "127.0.0.1", null, "api", Duration.ofSeconds(3));
    }

    public ApiSettings withPort(int port) {
        return new ApiSettings(bindHost, port, advertisedHost, token, operator, rebalanceWait);
    }

    public ApiSettings withToken(String token) {
        return new ApiSettings(bindHost, port, advertisedHost, token, operator, rebalanceWait);
    }

    @Override
    public String toString() { // the token is a secret: never printed
        return "ApiSettings[bind=" + bindHost + ":" + port + ", advertised=" + advertisedHost + ", writes="
                + (token == null ? "disabled" : "token required") + ", rebalanceWait=" + rebalanceWait + "]";
    }
}
