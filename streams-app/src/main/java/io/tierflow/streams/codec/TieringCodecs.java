package io.tierflow.streams.codec;

import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.Placement;
import io.tierflow.serde.RecordCodec;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The hand-written codecs of the records the tiering topology writes at every decision, for its serdes
 * ({@code Topics.using(config, TieringCodecs.ALL)}): the dataset record (written and read), the placement and the
 * migration command (written). The same bytes as Avro's; see {@link HandWrittenEncoders} for why.
 */
public final class TieringCodecs {
    public static final RecordCodec<DatasetState> DATASET_STATE = new Codec<>(DatasetState.class,
            HandWrittenEncoders::datasetState, avro -> HandWrittenDecoders.datasetState());
    public static final RecordCodec<Placement> PLACEMENT = new Codec<>(Placement.class,
            avro -> HandWrittenEncoders.placement(), UnaryOperator.identity());
    public static final RecordCodec<MigrationCommand> MIGRATION_COMMAND = new Codec<>(MigrationCommand.class,
            avro -> HandWrittenEncoders.command(), UnaryOperator.identity());
    public static final List<RecordCodec<?>> ALL = List.of(DATASET_STATE, PLACEMENT, MIGRATION_COMMAND);

    private TieringCodecs() {
    }

    private record Codec<T extends SpecificRecord>(Class<T> type, UnaryOperator<DatumWriter<T>> writers,
            UnaryOperator<DatumReader<T>> readers) implements RecordCodec<T> {
        @Override
        public DatumWriter<T> writer(DatumWriter<T> avro) {
            return writers.apply(avro);
        }

        @Override
        public DatumReader<T> reader(DatumReader<T> avro) {
            return readers.apply(avro);
        }
    }
}
