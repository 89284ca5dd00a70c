package io.tierflow.cli.trace;

import io.tierflow.schemas.AccessOp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * libCacheSim's {@code oracleGeneral} binary trace: little-endian records of 24 bytes, {@code uint32 clock_time,
 * uint64 obj_id, uint32 obj_size, int64 next_access_vtime}. The format has no op: every request is a read. The
 * next-access field is libCacheSim's oracle for simulators and is not needed to import.
 */
public final class OracleGeneralFormat implements TraceFormat {
    static final int RECORD_BYTES = 24;
    private static final int RECORDS_PER_READ = 4096;

    @Override
    public void read(InputStream in, String source, TraceSink sink) throws IOException {
        byte[] buffer = new byte[RECORD_BYTES * RECORDS_PER_READ];
        ByteBuffer records = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
        long number = 0;
        int filled = 0;
        int n;
        while ((n = in.read(buffer, filled, buffer.length - filled)) != -1) {
            filled += n;
            int whole = filled - filled % RECORD_BYTES;
            for (int at = 0; at < whole; at += RECORD_BYTES) {
                number++;
                long time = Integer.toUnsignedLong(records.getInt(at));
                long objId = records.getLong(at + 4);
                long size = Integer.toUnsignedLong(records.getInt(at + 12));
                sink.request(new TraceRequest(time, Long.toUnsignedString(objId), AccessOp.GET, size, size,
                        Double.NaN, number));
            }
            System.arraycopy(buffer, whole, buffer, 0, filled - whole);
            filled -= whole;
        }
        if (filled > 0) {
            sink.bad(source, number + 1, "truncated record: " + filled + " of " + RECORD_BYTES + " bytes at the end");
        }
    }
}
