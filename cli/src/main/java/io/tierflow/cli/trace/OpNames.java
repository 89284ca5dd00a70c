package io.tierflow.cli.trace;

import io.tierflow.schemas.AccessOp;
import java.util.Locale;
import java.util.Map;

/** The op names traces use for reads and writes, in one vocabulary: words, SCSI opcodes, CacheLib op types. */
final class OpNames {
    private static final Map<String, AccessOp> NAMES = Map.ofEntries(
            Map.entry("get", AccessOp.GET), Map.entry("read", AccessOp.GET), Map.entry("r", AccessOp.GET),
            Map.entry("put", AccessOp.PUT), Map.entry("write", AccessOp.PUT), Map.entry("w", AccessOp.PUT),
            Map.entry("set", AccessOp.PUT),
            Map.entry("head", AccessOp.HEAD),
            Map.entry("delete", AccessOp.DELETE), Map.entry("del", AccessOp.DELETE),
            // SCSI READ(10)/WRITE(10), as block traces such as CloudPhysics write them (hex, as in libCacheSim's csv)
            Map.entry("28", AccessOp.GET), Map.entry("2a", AccessOp.PUT),
            // CacheLib's cachebench traces: OpType 1 is a GET (the only one their CDN sample holds)
            Map.entry("1", AccessOp.GET),
            Map.entry("rest.get.object", AccessOp.GET), Map.entry("rest.head.object", AccessOp.HEAD),
            Map.entry("rest.put.object", AccessOp.PUT), Map.entry("rest.copy.object", AccessOp.PUT),
            Map.entry("rest.delete.object", AccessOp.DELETE));

    private OpNames() {
    }

    static AccessOp parse(String name) throws BadLineException {
        AccessOp op = NAMES.get(name.strip().toLowerCase(Locale.ROOT));
        if (op == null) {
            throw new BadLineException("unknown op '" + name + "' (known: get/read/28, put/write/set/2a, head, "
                    + "delete, 1 = CacheLib GET)");
        }
        return op;
    }
}
