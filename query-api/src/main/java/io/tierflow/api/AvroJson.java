package io.tierflow.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.LogicalTypes;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro records as the plain JSON people expect, and back. Avro's own JSON encoding wraps every union value
 * ({@code {"string": "aws"}}) and writes timestamps as numbers; the API instead writes unions as their value, enums
 * as their name and {@code timestamp-millis} fields as ISO-8601 instants, with the schemas' field names, so the
 * field names are as stable as the schemas (which only evolve compatibly).
 */
public final class AvroJson {
    /** Reads the token buffers {@link #toJson} writes into trees. */
    private static final ObjectMapper TREES = new ObjectMapper();
    /** Resolves unions of logical types too (a nullable timestamp-millis holds an Instant in generated classes). */
    private static final GenericData MODEL = new GenericData();

    static {
        MODEL.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    }

    private AvroJson() {
    }

    /** The record as a JSON tree (for answers that merge or sort records before writing them). */
    static JsonNode toJson(Object value) {
        TokenBuffer buffer = new TokenBuffer(TREES, false);
        try {
            write(buffer, value);
            return TREES.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: a token buffer is in memory", e);
        }
    }

    /** Writes the record as JSON (the API's form, see the class comment). */
    static void write(JsonGenerator json, Object value) throws IOException {
        if (value instanceof GenericRecord record) {
            write(json, record.getSchema(), record);
            return;
        }
        throw new IllegalArgumentException("not an Avro record: " + value);
    }

    private static void write(JsonGenerator json, Schema schema, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
            return;
        }
        switch (schema.getType()) {
            case RECORD -> {
                GenericRecord record = (GenericRecord) value;
                json.writeStartObject();
                for (Schema.Field field : schema.getFields()) {
                    json.writeFieldName(field.name());
                    write(json, field.schema(), record.get(field.pos()));
                }
                json.writeEndObject();
            }
            case UNION -> write(json, schema.getTypes().get(MODEL.resolveUnion(schema, value)), value);
            case ARRAY -> {
                json.writeStartArray();
                for (Object item : (Collection<?>) value) {
                    write(json, schema.getElementType(), item);
                }
                json.writeEndArray();
            }
            case MAP -> {
                json.writeStartObject();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    json.writeFieldName(entry.getKey().toString());
                    write(json, schema.getValueType(), entry.getValue());
                }
                json.writeEndObject();
            }
            case LONG -> {
                if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                    if (value instanceof Instant instant) {
                        IsoInstants.write(json, instant);
                    } else {
                        IsoInstants.write(json, (Long) value);
                    }
                } else {
                    json.writeNumber((Long) value);
                }
            }
            case INT -> json.writeNumber((Integer) value);
            case DOUBLE -> json.writeNumber((Double) value);
            case FLOAT -> json.writeNumber((Float) value);
            case BOOLEAN -> json.writeBoolean((Boolean) value);
            case NULL -> json.writeNull();
            default -> json.writeString(value.toString()); // strings, enums
        }
    }

    /**
     * Reads a record of the given specific type from plain JSON, filling schema defaults for absent fields.
     *
     * @throws ApiException naming the field when a required field is missing or a value has the wrong type
     */
    public static <T extends SpecificRecord> T fromJson(JsonNode json, Class<T> type) {
        // The generated class's own model knows its logical-type conversions (timestamp-millis as Instant).
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        GenericRecord generic = (GenericRecord) fromJson(schema, json, "");
        @SuppressWarnings("unchecked")
        T specific = (T) model.deepCopy(schema, generic);
        return specific;
    }

    private static Object fromJson(Schema schema, JsonNode json, String path) {
        String where = path.isEmpty() ? "body" : "'" + path + "'";
        switch (schema.getType()) {
            case RECORD -> {
                if (!json.isObject()) {
                    throw ApiException.badRequest(where + " must be a JSON object");
                }
                for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (schema.getField(name) == null) {
                        throw ApiException.badRequest("unknown field '" + join(path, name) + "'; known fields: "
                                + schema.getFields().stream().map(Schema.Field::name).toList());
                    }
                }
                GenericRecordBuilder builder = new GenericRecordBuilder(schema);
                for (Schema.Field field : schema.getFields()) {
                    JsonNode value = json.get(field.name());
                    if (value != null) {
                        builder.set(field, fromJson(field.schema(), value, join(path, field.name())));
                    } else if (!field.hasDefaultValue()) {
                        throw ApiException.badRequest("missing required field '" + join(path, field.name()) + "'");
                    }
                }
                try {
                    return builder.build();
                } catch (AvroRuntimeException e) {
                    throw ApiException.badRequest("invalid " + where + ": " + e.getMessage());
                }
            }
            case UNION -> {
                if (json.isNull() && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL)) {
                    return null;
                }
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        return fromJson(branch, json, path);
                    }
                }
                throw ApiException.badRequest(where + " must be null");
            }
            case ARRAY -> {
                if (!json.isArray()) {
                    throw ApiException.badRequest(where + " must be an array");
                }
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < json.size(); i++) {
                    items.add(fromJson(schema.getElementType(), json.get(i), path + "[" + i + "]"));
                }
                return items;
            }
            case MAP -> {
                if (!json.isObject()) {
                    throw ApiException.badRequest(where + " must be a JSON object");
                }
                Map<String, Object> map = new LinkedHashMap<>();
                json.fields().forEachRemaining(e -> map.put(e.getKey(),
                        fromJson(schema.getValueType(), e.getValue(), join(path, e.getKey()))));
                return map;
            }
            case ENUM -> {
                if (!json.isTextual() || !schema.getEnumSymbols().contains(json.asText())) {
                    throw ApiException.badRequest(where + " must be one of " + schema.getEnumSymbols());
                }
                return new GenericData.EnumSymbol(schema, json.asText());
            }
            case STRING -> {
                if (!json.isTextual()) {
                    throw ApiException.badRequest(where + " must be a string");
                }
                return json.asText();
            }
            case LONG -> {
                if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis && json.isTextual()) {
                    try {
                        return Instant.parse(json.asText());
                    } catch (DateTimeParseException e) {
                        throw ApiException.badRequest(where + " must be an ISO-8601 instant or epoch milliseconds");
                    }
                }
                if (!json.canConvertToLong() || !json.isIntegralNumber()) {
                    throw ApiException.badRequest(where + " must be an integer");
                }
                if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                    return Instant.ofEpochMilli(json.asLong());
                }
                return json.asLong();
            }
            case INT -> {
                if (!json.isIntegralNumber() || !json.canConvertToInt()) {
                    throw ApiException.badRequest(where + " must be a 32-bit integer");
                }
                return json.asInt();
            }
            case DOUBLE, FLOAT -> {
                if (!json.isNumber()) {
                    throw ApiException.badRequest(where + " must be a number");
                }
                double d = json.asDouble();
                if (!Double.isFinite(d)) {
                    throw ApiException.badRequest(where + " must be finite");
                }
                return schema.getType() == Schema.Type.FLOAT ? (Object) (float) d : d;
            }
            case BOOLEAN -> {
                if (!json.isBoolean()) {
                    throw ApiException.badRequest(where + " must be true or false");
                }
                return json.asBoolean();
            }
            default -> throw ApiException.badRequest(where + ": unsupported type " + schema.getType());
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
