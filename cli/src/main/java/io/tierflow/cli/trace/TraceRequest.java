package io.tierflow.cli.trace;

import io.tierflow.schemas.AccessOp;

/**
 * One request read from a trace, in the trace's own terms: its time in trace seconds, the object it was for, and
 * what it did. Unknown numbers are negative (sizes) or NaN (latency).
 *
 * @param timeSeconds when the request happened, in seconds on the trace's clock
 * @param objectId the object as the trace names it (an S3 {@code bucket/key}, a block number, a cache key)
 * @param op what the request did
 * @param objectSize the whole object's size in bytes, or -1 if the trace does not say
 * @param bytes bytes transferred by this request, or -1 if the trace does not say
 * @param latencyMs time to first byte the trace recorded, or NaN
 * @param line the line (or record) number in its source, from 1
 */
public record TraceRequest(double timeSeconds, String objectId, AccessOp op, long objectSize, long bytes,
        double latencyMs, long line) {
}
