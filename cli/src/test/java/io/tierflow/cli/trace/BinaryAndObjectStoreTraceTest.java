package io.tierflow.cli.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.AccessOp;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinaryAndObjectStoreTraceTest {

    @Test
    void shouldReadOracleGeneralRecordsAsUnsignedLittleEndian() throws Exception {
        ByteBuffer records = ByteBuffer.allocate(3 * 24 + 10).order(ByteOrder.LITTLE_ENDIAN);
        records.putInt(7).putLong(42).putInt(4096).putLong(2);
        records.putInt(0xFFFFFFFF).putLong(-1L).putInt(0x80000000).putLong(-1); // unsigned: 2^32-1, 2^64-1, 2^31
        records.putInt(9).putLong(42).putInt(512).putLong(-1);
        CollectingSink sink = new CollectingSink();

        // Fed a few bytes at a time, records span reads: the reader must stitch them together.
        new OracleGeneralFormat().read(new TrickleInputStream(records.array(), 5), "t.bin", sink);

        assertEquals(3, sink.requests.size());
        assertEquals(new TraceRequest(7, "42", AccessOp.GET, 4096, 4096, Double.NaN, 1), sink.requests.get(0));
        assertEquals(4294967295.0, sink.requests.get(1).timeSeconds());
        assertEquals("18446744073709551615", sink.requests.get(1).objectId());
        assertEquals(2147483648L, sink.requests.get(1).objectSize());
        assertEquals(1, sink.bad.size(), "the 10 trailing bytes are a truncated record");
        assertEquals(4, sink.bad.get(0).line());
    }

    @Test
    void shouldReadObjectStoreTraceLines() throws Exception {
        String trace = String.join("\r\n",
                "1219008 REST.PUT.OBJECT 8d4fcda3d675bac9 1056",
                "1221974 REST.HEAD.OBJECT 39d177fb735ac5df 528",
                "1232437 REST.GET.OBJECT 3b2255e9a0a4b4ea 2000 0 99",
                "1232438 REST.GET.OBJECT 3b2255e9a0a4b4ea 2000",
                "1232439 REST.DELETE.OBJECT 8d4fcda3d675bac9",
                "1232440 REST.GET.BUCKET bucket",
                "1232441 REST.GET.OBJECT obj 2000 5",
                "12x REST.GET.OBJECT obj",
                "1232442 GET obj",
                "1232443 REST.GET.OBJECT obj 2000 99 0");
        CollectingSink sink = new CollectingSink();
        new ObjectStoreTraceFormat().read(new ByteArrayInputStream(trace.getBytes(StandardCharsets.UTF_8)), "ibm",
                sink);

        assertEquals(List.of(AccessOp.PUT, AccessOp.HEAD, AccessOp.GET, AccessOp.GET, AccessOp.DELETE),
                sink.requests.stream().map(TraceRequest::op).toList());
        assertEquals(1219.008, sink.requests.get(0).timeSeconds(), 1e-9);
        assertEquals(1056, sink.requests.get(0).bytes());
        assertEquals(0, sink.requests.get(1).bytes());
        assertEquals(100, sink.requests.get(2).bytes(), "the byte range read");
        assertEquals(2000, sink.requests.get(3).bytes(), "no range: the whole object");
        assertEquals(-1, sink.requests.get(4).objectSize());
        assertEquals(List.of("REST.GET.BUCKET"), sink.skipped);
        assertEquals(List.of(7L, 8L, 9L, 10L), sink.bad.stream().map(TraceImporter.BadLine::line).toList());
        assertTrue(sink.bad.get(3).reason().contains("ends before it starts"), sink.bad.toString());
    }

    /** Hands out at most {@code chunk} bytes per read, like a slow pipe. */
    private static final class TrickleInputStream extends ByteArrayInputStream {
        private final int chunk;

        TrickleInputStream(byte[] bytes, int chunk) {
            super(Arrays.copyOf(bytes, bytes.length));
            this.chunk = chunk;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, chunk));
        }
    }
}
