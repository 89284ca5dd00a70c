package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.streams.store.StoreImplementation;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class TieringSettingsTest {
    @Test
    void shouldUseTheWriteBehindStoresUnlessTheConfigSaysStock() {
        assertEquals(StoreImplementation.WRITE_BEHIND, TieringSettings.from(new Properties()).stores());
        assertEquals(TieringSettings.DEFAULTS, TieringSettings.from(new Properties()));

        Properties stock = new Properties();
        stock.setProperty(TieringSettings.STORES, " Stock ");
        TieringSettings settings = TieringSettings.from(stock);
        assertEquals(StoreImplementation.STOCK, settings.stores());
        assertEquals(TieringSettings.DEFAULTS.withStores(StoreImplementation.STOCK), settings, "the rest as default");
        assertEquals(StoreImplementation.STOCK, settings.withEventTimeClock(true).stores(), "kept by other withers");
    }

    @Test
    void shouldRefuseAnUnknownStoreImplementationNamingTheKnownOnes() {
        Properties config = new Properties();
        config.setProperty(TieringSettings.STORES, "fast");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TieringSettings.from(config));
        assertTrue(e.getMessage().startsWith(TieringSettings.STORES) && e.getMessage().contains("'fast'") && e.getMessage().contains("write-behind")
                && e.getMessage().contains("stock"), e.getMessage());
    }

    @Test
    void shouldReadTheCandidateNamesAndTheDriftMarginAndRefuseValuesThatCannotWork() {
        assertEquals(ModelRollout.DEFAULTS, TieringSettings.from(new Properties()).models());
        Properties config = new Properties();
        config.setProperty(ModelRollout.CANDIDATES, " gbt-next, logistic-next ,");
        config.setProperty(ModelRollout.DRIFT_MARGIN, "0.1");
        ModelRollout models = TieringSettings.from(config).models();
        assertEquals(java.util.List.of("gbt-next", "logistic-next"), models.candidates());
        assertEquals(0.1, models.driftMargin());
        assertEquals(ModelRollout.DEFAULTS.pendingPerModel(), models.pendingPerModel());

        config.setProperty(ModelRollout.CANDIDATES, "candidate,current");
        IllegalArgumentException current = assertThrows(IllegalArgumentException.class,
                () -> TieringSettings.from(config));
        assertTrue(current.getMessage().contains("'current' is the model in force"), current.getMessage());
        config.setProperty(ModelRollout.CANDIDATES, "");
        assertEquals(java.util.List.of(), TieringSettings.from(config).models().candidates(), "no shadow scoring");
        config.setProperty(ModelRollout.DRIFT_MARGIN, "lots");
        IllegalArgumentException margin = assertThrows(IllegalArgumentException.class,
                () -> TieringSettings.from(config));
        assertTrue(margin.getMessage().startsWith(ModelRollout.DRIFT_MARGIN), margin.getMessage());
    }

    @Test
    void shouldReadTheBacklogDrainLimitAndRefuseOneThatIsNoDuration() {
        assertEquals(TieringSettings.DEFAULT_BACKLOG_DRAIN_LIMIT, TieringSettings.DEFAULTS.migrationBacklogDrainLimit());
        Properties config = new Properties();
        config.setProperty(TieringSettings.BACKLOG_DRAIN_LIMIT, "PT2H");
        assertEquals(java.time.Duration.ofHours(2), TieringSettings.from(config).migrationBacklogDrainLimit());
        assertEquals(java.time.Duration.ofHours(2), TieringSettings.from(config).withStores(StoreImplementation.STOCK)
                .migrationBacklogDrainLimit(), "kept by other withers");

        config.setProperty(TieringSettings.BACKLOG_DRAIN_LIMIT, "2h");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TieringSettings.from(config));
        assertTrue(e.getMessage().startsWith(TieringSettings.BACKLOG_DRAIN_LIMIT) && e.getMessage().contains("'2h'"),
                e.getMessage());
        config.setProperty(TieringSettings.BACKLOG_DRAIN_LIMIT, "PT0S");
        assertThrows(IllegalArgumentException.class, () -> TieringSettings.from(config));
    }

    @Test
    void shouldReadTheCapacityHeadroomAndRefuseAFractionOutsideZeroToOne() {
        assertEquals(TieringSettings.DEFAULT_CAPACITY_HEADROOM,
                TieringSettings.from(new Properties()).capacityHeadroom());
        Properties config = new Properties();
        config.setProperty(TieringSettings.CAPACITY_HEADROOM, " 0.25 ");
        TieringSettings settings = TieringSettings.from(config);
        assertEquals(0.25, settings.capacityHeadroom());
        assertEquals(0.25, settings.withEventTimeClock(true).capacityHeadroom(), "kept by other withers");
        for (String bad : new String[] {"1", "-0.1", "NaN", "ten percent"}) {
            config.setProperty(TieringSettings.CAPACITY_HEADROOM, bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TieringSettings.from(config));
            assertTrue(e.getMessage().startsWith(TieringSettings.CAPACITY_HEADROOM) && e.getMessage().contains(bad),
                    e.getMessage());
        }
    }
}
