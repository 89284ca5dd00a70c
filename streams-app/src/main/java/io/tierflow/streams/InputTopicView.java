package io.tierflow.streams;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Runs the dataset processor so that a record re-routed through the {@code dataset-inputs-rerouted} repartition topic
 * (see {@link DatasetInputsGate}) looks read from the topic it was produced to: the processor tells access events,
 * inventory and statuses apart by their topic, and a re-routed record carries that topic in the
 * {@link DatasetInputs#ORIGIN_TOPIC_HEADER} header. Every other record, and everything else the processor asks of its
 * context, goes straight through.
 */
final class InputTopicView<VIn, KOut, VOut> implements Processor<String, VIn, KOut, VOut> {
    private final Processor<String, VIn, KOut, VOut> processor;
    private final Context context = new Context();
    private String reroutedTopic;

    InputTopicView(Processor<String, VIn, KOut, VOut> processor) {
        this.processor = processor;
    }

    @Override
    public void init(ProcessorContext<KOut, VOut> context) {
        this.context.delegate = context;
        reroutedTopic = DatasetInputs.reroutedTopic(context.applicationId());
        processor.init(this.context);
    }

    @Override
    public void process(Record<String, VIn> record) {
        Optional<RecordMetadata> metadata = context.delegate.recordMetadata();
        if (metadata.isPresent() && metadata.get().topic().equals(reroutedTopic)) {
            Header origin = record.headers().lastHeader(DatasetInputs.ORIGIN_TOPIC_HEADER);
            RecordMetadata read = metadata.get();
            String topic = origin == null ? read.topic() : new String(origin.value(), StandardCharsets.UTF_8);
            metadata = Optional.of(new Origin(topic, read.partition(), read.offset()));
        }
        context.current = metadata;
        try {
            processor.process(record);
        } finally {
            context.current = null;
        }
    }

    @Override
    public void close() {
        processor.close();
    }

    private record Origin(String topic, int partition, long offset) implements RecordMetadata {
    }

    /** The processor's context: the task's own, with the record's metadata as above while a record is processed. */
    private final class Context implements ProcessorContext<KOut, VOut> {
        private ProcessorContext<KOut, VOut> delegate;
        /** The metadata of the record being processed; null outside {@link #process} (punctuation, init). */
        private Optional<RecordMetadata> current;

        @Override
        public Optional<RecordMetadata> recordMetadata() {
            return current != null ? current : delegate.recordMetadata();
        }

        @Override
        public <K extends KOut, V extends VOut> void forward(Record<K, V> record) {
            delegate.forward(record);
        }

        @Override
        public <K extends KOut, V extends VOut> void forward(Record<K, V> record, String childName) {
            delegate.forward(record, childName);
        }

        @Override
        public String applicationId() {
            return delegate.applicationId();
        }

        @Override
        public TaskId taskId() {
            return delegate.taskId();
        }

        @Override
        public Serde<?> keySerde() {
            return delegate.keySerde();
        }

        @Override
        public Serde<?> valueSerde() {
            return delegate.valueSerde();
        }

        @Override
        public File stateDir() {
            return delegate.stateDir();
        }

        @Override
        public StreamsMetrics metrics() {
            return delegate.metrics();
        }

        @Override
        public <S extends StateStore> S getStateStore(String name) {
            return delegate.getStateStore(name);
        }

        @Override
        public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
            return delegate.schedule(interval, type, callback);
        }

        @Override
        public Cancellable schedule(Instant startTime, Duration interval, PunctuationType type, Punctuator callback) {
            return delegate.schedule(startTime, interval, type, callback);
        }

        @Override
        public void commit() {
            delegate.commit();
        }

        @Override
        public Map<String, Object> appConfigs() {
            return delegate.appConfigs();
        }

        @Override
        public Map<String, Object> appConfigsWithPrefix(String prefix) {
            return delegate.appConfigsWithPrefix(prefix);
        }

        @Override
        public long currentSystemTimeMs() {
            return delegate.currentSystemTimeMs();
        }

        @Override
        public long currentStreamTimeMs() {
            return delegate.currentStreamTimeMs();
        }
    }
}
