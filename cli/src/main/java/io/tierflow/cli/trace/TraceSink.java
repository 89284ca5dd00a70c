package io.tierflow.cli.trace;

/** Where a {@link TraceFormat} puts what it reads: requests, lines it skips on purpose, and lines it cannot read. */
public interface TraceSink {
    /** A request that counts as an access. */
    void request(TraceRequest request);

    /** A well-formed line that is not an object access (a bucket listing, a failed request, a comment). */
    void skipped(String reason);

    /** A line that is not in the format; {@code line} counts from 1 in {@code source}. */
    void bad(String source, long line, String reason);
}
