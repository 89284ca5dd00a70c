package io.tierflow.cli.trace;

/**
 * Where the imported inventory says the objects are, and what an access to them looks like from there.
 *
 * @param name site name (a key of the sites topic)
 * @param region the site's region; events get it as their client region, since traces do not say where clients are
 * @param storageClass the site's hot storage class, where the objects start
 * @param p95LatencyMs the site's p95 time to first byte, the latency of an event whose trace records none
 */
public record TraceSite(String name, String region, String storageClass, double p95LatencyMs) {
}
