package io.tierflow.cli.trace;

import io.tierflow.schemas.AccessOp;
import java.util.Map;

/**
 * The IBM Cloud Object Storage traces (SNIA IOTTA): one request a line, {@code <ms> <REST.op> <objId> [size]
 * [start end]}, the optional byte range being what a GET read. Non-object operations are skipped.
 */
public final class ObjectStoreTraceFormat extends LineTraceFormat {
    private static final Map<String, AccessOp> OPS = Map.of(
            "REST.GET.OBJECT", AccessOp.GET,
            "REST.HEAD.OBJECT", AccessOp.HEAD,
            "REST.PUT.OBJECT", AccessOp.PUT,
            "REST.COPY.OBJECT", AccessOp.PUT,
            "REST.DELETE.OBJECT", AccessOp.DELETE);

    @Override
    void parse(String line, long number, TraceSink sink) throws BadLineException {
        String[] fields = line.strip().split("\\s+");
        if (fields.length < 3 || fields.length == 5 || fields.length > 6) {
            throw new BadLineException("expected <ms> <op> <object> [size] [start end], found " + fields.length
                    + " fields");
        }
        double time = parseLong(fields[0], "time (ms)") / 1000.0;
        AccessOp op = OPS.get(fields[1]);
        if (op == null) {
            if (!fields[1].startsWith("REST.")) {
                throw new BadLineException("op '" + fields[1] + "' is not a REST operation");
            }
            sink.skipped(fields[1]);
            return;
        }
        long size = fields.length >= 4 ? parseLong(fields[3], "size") : -1;
        long bytes;
        if (fields.length == 6) {
            long start = parseLong(fields[4], "range start");
            long end = parseLong(fields[5], "range end");
            if (end < start) {
                throw new BadLineException("range " + start + "-" + end + " ends before it starts");
            }
            bytes = end - start + 1;
        } else {
            bytes = op == AccessOp.GET || op == AccessOp.PUT ? size : 0;
        }
        sink.request(new TraceRequest(time, fields[2], op, size, bytes, Double.NaN, number));
    }
}
