package io.tierflow.streams.domain;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dataset's decayed bytes read per client region, in the order regions were first seen: parallel arrays searched
 * linearly (a handful of regions; see {@link RegionSlots} for how a region is found and when it folds into
 * {@link RegionSlots#OTHER}). Changed in place on every read; it allocates only when a new region outgrows the arrays.
 */
final class RegionReadVolumes {
    private String[] regions;
    private double[] bytes;
    private int count;

    /** Restores saved volumes; several saved regions may fold into one. */
    RegionReadVolumes(Map<String, Double> saved) {
        int n = Math.max(4, saved.size());
        regions = new String[n];
        bytes = new double[n];
        saved.forEach((region, volume) -> {
            int i = index(region);
            bytes[i] += volume;
        });
    }

    private RegionReadVolumes(RegionReadVolumes original) {
        regions = original.regions.clone();
        bytes = original.bytes.clone();
        count = original.count;
    }

    RegionReadVolumes copy() {
        return new RegionReadVolumes(this);
    }

    /** Adds {@code volume} bytes read from {@code region}. */
    void add(String region, double volume) {
        // The index first: adding a region may replace the array (in one expression Java would take the array before
        // the index, and write to the old one).
        int slot = index(region);
        bytes[slot] += volume;
    }

    /** Sets the region's volume (the inverse of {@link #region} and {@link #bytes}). */
    void restore(String region, double volume) {
        int slot = index(region); // before the array: see add
        bytes[slot] = volume;
    }

    /** Multiplies every volume by {@code factor} (a decay). */
    void scale(double factor) {
        for (int i = 0; i < count; i++) {
            bytes[i] *= factor;
        }
    }

    int count() {
        return count;
    }

    String region(int i) {
        return regions[i];
    }

    double bytes(int i) {
        return bytes[i];
    }

    double total() {
        double total = 0;
        for (int i = 0; i < count; i++) {
            total += bytes[i];
        }
        return total;
    }

    Map<String, Double> asMap() {
        Map<String, Double> copy = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            copy.put(regions[i], bytes[i]);
        }
        return copy;
    }

    /** Index of the region's slot, added if new. */
    private int index(String region) {
        int found = RegionSlots.find(regions, count, region);
        if (found >= 0) {
            return found;
        }
        if (RegionSlots.foldsIntoOther(count, region)) {
            return index(RegionSlots.OTHER);
        }
        if (count == regions.length) {
            regions = Arrays.copyOf(regions, count * 2);
            bytes = Arrays.copyOf(bytes, count * 2);
        }
        regions[count] = region;
        bytes[count] = 0;
        return count++;
    }
}
