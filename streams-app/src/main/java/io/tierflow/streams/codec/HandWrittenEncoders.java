package io.tierflow.streams.codec;

import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.Placement;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;

/**
 * Writers of the records the tiering topology writes at every decision (the dataset record, the placement, the
 * migration command) in Avro's binary encoding, field by field in schema order: the same bytes as Avro's own writer,
 * in well under half the time.
 *
 * <p>Why by hand: the dataset record is written at every evaluation of a dataset (hundreds of thousands in a run of
 * {@code scripts/bench topology}), with a placement and often a command, and Avro generates its fast encoders
 * ({@code customEncode}) only for records without logical types. These records carry timestamps (and the dataset
 * record embeds the other two and the inventory), so Avro writes them through its generic path: a field lookup, a
 * boxed value and a union resolution per field. For this writer against Avro's, see microbench
 * DatasetStateCodecBenchmark ({@code scripts/microbench DatasetStateCodec}). The records inside that have Avro's
 * encoders (the explanation with its site scores, the
 * pending cost) are written with them.
 *
 * <p>A dataset record that still carries the activity of an old version (state written before the activity store
 * existed) is written by Avro's writer: it is rare and its layout is not worth repeating here.
 * {@code HandWrittenEncodersTest} checks the bytes against Avro's writer for random records of each schema, so a
 * schema change that this class does not follow fails it. {@link TieringCodecs} gives these writers to the serdes.
 */
final class HandWrittenEncoders {
    private HandWrittenEncoders() {
    }

    /**
     * The writer of dataset records; those of old versions, which still carry an activity, go to {@code avro}.
     *
     * @param avro Avro's writer of the class's schema
     */
    static DatumWriter<DatasetState> datasetState(DatumWriter<DatasetState> avro) {
        return new Writer<>(DatasetState.getClassSchema(), (state, out) -> {
            if (state.getActivity() != null) {
                avro.write(state, out);
            } else {
                datasetState(state, out);
            }
        });
    }

    static DatumWriter<Placement> placement() {
        return new Writer<>(Placement.getClassSchema(), HandWrittenEncoders::placement);
    }

    static DatumWriter<MigrationCommand> command() {
        return new Writer<>(MigrationCommand.getClassSchema(), HandWrittenEncoders::command);
    }

    private interface Encoding<T> {
        void write(T record, Encoder out) throws IOException;
    }

    /** A writer of one schema only: the serde uses it for that schema object, so {@link #setSchema} may not change it. */
    private record Writer<T>(Schema schema, Encoding<T> encoding) implements DatumWriter<T> {
        @Override
        public void setSchema(Schema other) {
            if (other != schema) {
                throw new IllegalArgumentException("a writer of " + schema.getFullName() + " cannot write "
                        + other.getFullName());
            }
        }

        @Override
        public void write(T record, Encoder out) throws IOException {
            encoding.write(record, out);
        }
    }

    private static void datasetState(DatasetState state, Encoder out) throws IOException {
        out.writeString(state.getKey());
        if (present(out, state.getInventory())) {
            dataset(state.getInventory(), out);
        }
        present(out, null); // activity: only records of old versions have one, and Avro writes those
        if (present(out, state.getTier())) {
            out.writeEnum(state.getTier().ordinal());
        }
        optionalString(state.getPrimarySite(), out);
        strings(state.getReplicaSites(), out);
        optionalString(state.getStorageClass(), out);
        if (present(out, state.getInFlight())) {
            command(state.getInFlight(), out);
        }
        if (present(out, state.getInFlightPhase())) {
            out.writeEnum(state.getInFlightPhase().ordinal());
        }
        out.writeLong(state.getCommandsIssued());
        out.writeLong(state.getLastMoveAt());
        out.writeLong(state.getDueAt());
        if (present(out, state.getLastPlacement())) {
            placement(state.getLastPlacement(), out);
        }
        optionalString(state.getLastFailure(), out);
        strings(state.getActiveAlerts(), out);
        out.writeLong(state.getCostAccruedAt());
        state.getPendingCost().customEncode(out);
        Map<String, String> versions = state.getCopyVersions();
        out.writeMapStart();
        out.setItemCount(versions.size());
        for (Map.Entry<String, String> version : versions.entrySet()) {
            out.startItem();
            out.writeString(version.getKey());
            out.writeString(version.getValue());
        }
        out.writeMapEnd();
        if (present(out, state.getGlobalPin())) {
            out.writeString(state.getGlobalPin().getSite());
            out.writeString(state.getGlobalPin().getPass());
            out.writeLong(state.getGlobalPin().getExpiresAtMs());
        }
    }

    private static void dataset(Dataset dataset, Encoder out) throws IOException {
        out.writeString(dataset.getKey());
        out.writeLong(dataset.getSizeBytes());
        out.writeString(dataset.getContentType());
        out.writeString(dataset.getOwner());
        if (present(out, dataset.getLatencySlaMs())) {
            out.writeDouble(dataset.getLatencySlaMs());
        }
        out.writeString(dataset.getVersionToken());
        out.writeString(dataset.getSha256());
        out.writeString(dataset.getPrimarySite());
        strings(dataset.getReplicaSites(), out);
        out.writeString(dataset.getStorageClass());
        timestamp(dataset.getUpdatedAt(), out);
    }

    private static void command(MigrationCommand command, Encoder out) throws IOException {
        out.writeString(command.getId());
        out.writeString(command.getKey());
        out.writeEnum(command.getAction().ordinal());
        out.writeString(command.getSourceSite());
        out.writeString(command.getDestinationSite());
        out.writeString(command.getStorageClass());
        out.writeString(command.getExpectedVersionToken());
        out.writeString(command.getExpectedSha256());
        out.writeLong(command.getSizeBytes());
        if (present(out, command.getNotBefore())) {
            timestamp(command.getNotBefore(), out);
        }
        out.writeString(command.getReason());
        out.writeBoolean(command.getRequireEncryption());
        timestamp(command.getIssuedAt(), out);
        out.writeLong(command.getSequence());
        if (present(out, command.getKeepSite())) {
            out.writeString(command.getKeepSite());
        }
        if (present(out, command.getKeepVersionToken())) {
            out.writeString(command.getKeepVersionToken());
        }
        if (present(out, command.getSourceVersionToken())) {
            out.writeString(command.getSourceVersionToken());
        }
    }

    private static void placement(Placement placement, Encoder out) throws IOException {
        out.writeString(placement.getKey());
        out.writeEnum(placement.getTier().ordinal());
        out.writeString(placement.getPrimarySite());
        strings(placement.getReplicaSites(), out);
        out.writeString(placement.getStorageClass());
        out.writeDouble(placement.getObjectiveUsdPerMonth());
        placement.getExplanation().customEncode(out);
        timestamp(placement.getDecidedAt(), out);
    }

    /** The branch of a {@code ["null", T]} union: true if the value follows. */
    private static boolean present(Encoder out, Object value) throws IOException {
        if (value == null) {
            out.writeIndex(0);
            out.writeNull();
            return false;
        }
        out.writeIndex(1);
        return true;
    }

    private static void optionalString(String value, Encoder out) throws IOException {
        if (present(out, value)) {
            out.writeString(value);
        }
    }

    private static void strings(List<String> values, Encoder out) throws IOException {
        out.writeArrayStart();
        out.setItemCount(values.size());
        for (String value : values) {
            out.startItem();
            out.writeString(value);
        }
        out.writeArrayEnd();
    }

    /** A {@code timestamp-millis} value, as Avro's conversion writes it. */
    private static void timestamp(Instant at, Encoder out) throws IOException {
        out.writeLong(at.toEpochMilli());
    }
}
