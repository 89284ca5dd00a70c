package io.tierflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
final class AvroJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Resolves unions of logical types too (a nullable timestamp-millis holds an Instant in generated classes). */
    private static final GenericData MODEL = new GenericData();

    static {
        MODEL.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    }

    private AvroJson() {
    }

    static JsonNode toJson(Object value) {
        if (value instanceof GenericRecord record) {
            return toJson(record.getSchema(), record);
        }
        throw new IllegalArgumentException("not an Avro record: " + value);
    }

    static JsonNode toJson(Schema schema, Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        switch (schema.getType()) {
            case RECORD -> {
                GenericRecord record = (GenericRecord) value;
                ObjectNode node = NODES.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    node.set(field.name(), toJson(field.schema(), record.get(field.pos())));
                }
                return node;
            }
            case UNION -> {
                int branch = MODEL.resolveUnion(schema, value);
                return toJson(schema.getTypes().get(branch), value);
            }
            case ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (Object item : (Collection<?>) value) {
                    array.add(toJson(schema.getElementType(), item));
                }
                return array;
            }
            case MAP -> {
                ObjectNode node = NODES.objectNode();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    node.set(entry.getKey().toString(), toJson(schema.getValueType(), entry.getValue()));
                }
                return node;
            }
            case LONG -> {
                if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                    long millis = value instanceof Instant instant ? instant.toEpochMilli() : (Long) value;
                    return NODES.textNode(Instant.ofEpochMilli(millis).toString());
                }
                return NODES.numberNode((Long) value);
            }
            case INT -> {
                return NODES.numberNode((Integer) value);
            }
            case DOUBLE -> {
                return NODES.numberNode((Double) value);
            }
            case FLOAT -> {
                return NODES.numberNode((Float) value);
            }
            case BOOLEAN -> {
                return NODES.booleanNode((Boolean) value);
            }
            case NULL -> {
                return NODES.nullNode();
            }
            default -> {
                return NODES.textNode(value.toString()); // strings, enums
            }
        }
    }

    /**
     * Reads a record of the given specific type from plain JSON, filling schema defaults for absent fields.
     *
     * @throws ApiException naming the field when a required field is missing or a value has the wrong type
     */
    static <T extends SpecificRecord> T fromJson(JsonNode json, Class<T> type) {
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
