package io.tierflow.serde;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * The one place where Tierflow's generated classes are trusted for Avro deserialization.
 *
 * <p>Avro 1.12 reads its trusted packages from the system property
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES} once, when {@link SpecificDatumReader} is first loaded, so
 * setting the property from code is order-dependent. Each reader carries its own mutable trusted list instead,
 * and every specific reader in Tierflow is made here.
 */
public final class TrustedAvro {
    /** Package of the generated records. */
    public static final String TRUSTED_PACKAGE = "io.tierflow.";

    private TrustedAvro() {
    }

    /** A reader that resolves data written with {@code writer} into the generated class of {@code reader}. */
    public static <T> SpecificDatumReader<T> specificReader(Schema writer, Schema reader) {
        SpecificDatumReader<T> datumReader = new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader));
        if (!datumReader.getTrustedPackages().contains(TRUSTED_PACKAGE)) {
            datumReader.getTrustedPackages().add(TRUSTED_PACKAGE);
        }
        return datumReader;
    }
}
