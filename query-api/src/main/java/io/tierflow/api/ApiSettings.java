package io.tierflow.api;

import io.tierflow.catalogue.SitePlace;
import java.time.Duration;
import java.util.Map;

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
 * @param sitePins where the operator's configuration puts sites ({@value #SITE_PIN_PREFIX}{@code <name>.endpoint} /
 *     {@code .bucket}): {@code PUT /sites/{name}} may place a pinned site only there, and may move only a pinned site
 */
public record ApiSettings(String bindHost, int port, String advertisedHost, String token, String operator,
        Duration rebalanceWait, Map<String, SitePlace> sitePins) {
    public static final int DEFAULT_PORT = 18080;
    /** Config keys {@code tierflow.api.site.<name>.endpoint} and {@code .bucket}: where site {@code <name>} may be. */
    public static final String SITE_PIN_PREFIX = "tierflow.api.site.";

    public ApiSettings {
        sitePins = Map.copyOf(sitePins);
    }

    /** Settings without site pins: a site's place is the one the catalogue first had. */
    public ApiSettings(String bindHost, int port, String advertisedHost, String token, String operator,
            Duration rebalanceWait) {
        this(bindHost, port, advertisedHost, token, operator, rebalanceWait, Map.of());
    }

    public static ApiSettings defaults() {
        return new ApiSettings("127.0.0.1", DEFAULT_PORT, "127.0.0.1", null, "api", Duration.ofSeconds(3));
    }

    public ApiSettings withPort(int port) {
        return new ApiSettings(bindHost, port, advertisedHost, token, operator, rebalanceWait, sitePins);
    }

    public ApiSettings withToken(String token) {
        return new ApiSettings(bindHost, port, advertisedHost, token, operator, rebalanceWait, sitePins);
    }

    public ApiSettings withSitePins(Map<String, SitePlace> sitePins) {
        return new ApiSettings(bindHost, port, advertisedHost, token, operator, rebalanceWait, sitePins);
    }

    @Override
    public String toString() { // the token is a secret: never printed
        return "ApiSettings[bind=" + bindHost + ":" + port + ", advertised=" + advertisedHost + ", writes="
                + (token == null ? "disabled" : "token required") + ", rebalanceWait=" + rebalanceWait + ", sitePins=" + sitePins + "]";
    }
}
