package io.tierflow.api;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;

/**
 * Writes epoch milliseconds as {@link Instant#toString()} does ({@code 2026-11-21T11:59:30.500Z}, the fraction only
 * when there is one), straight into a JSON generator. A dataset's answer holds half a dozen instants, and
 * {@code Instant.toString} goes through a {@code DateTimeFormatter} and a {@code StringBuilder} for each: about a
 * twentieth of an owned GET's CPU. Years outside 0000-9999, which ISO-8601 writes differently, are left to it.
 */
final class IsoInstants {
    private static final int MAX_CHARS = "yyyy-MM-ddTHH:mm:ss.SSSZ".length();
    private static final long SECONDS_PER_DAY = 86_400;
    /** Days from 0000-03-01 to 1970-01-01, in the proleptic Gregorian calendar. */
    private static final long DAYS_0000_03_01_TO_EPOCH = 719_468;
    private static final long DAYS_PER_400_YEARS = 146_097;

    private IsoInstants() {
    }

    /** Writes the instant as a JSON string. */
    static void write(JsonGenerator json, long epochMillis) throws IOException {
        char[] text = new char[MAX_CHARS];
        int length = format(epochMillis, text);
        if (length < 0) {
            json.writeString(Instant.ofEpochMilli(epochMillis).toString());
        } else {
            json.writeString(text, 0, length);
        }
    }

    /** Writes the instant as a JSON string, as {@link Instant#toString()} (finer than milliseconds included). */
    static void write(JsonGenerator json, Instant instant) throws IOException {
        if (instant.getNano() % 1_000_000 != 0) {
            json.writeString(instant.toString());
        } else {
            write(json, instant.toEpochMilli());
        }
    }

    /**
     * Writes the instant into {@code out} (at least 24 chars) and returns how many chars it took, or -1 if its year
     * is outside 0000-9999 (nothing useful is written then).
     */
    static int format(long epochMillis, char[] out) {
        long seconds = Math.floorDiv(epochMillis, 1000);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        // Civil date from a day count (the algorithm of java.time.LocalDate.ofEpochDay, with years starting on
        // March 1st so that the leap day is the last day of a year).
        long shifted = days + DAYS_0000_03_01_TO_EPOCH;
        long era = Math.floorDiv(shifted, DAYS_PER_400_YEARS);
        long dayOfEra = shifted - era * DAYS_PER_400_YEARS;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
        int month = (int) (monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return -1;
        }
        digits(out, 0, (int) year, 4);
        out[4] = '-';
        digits(out, 5, month, 2);
        out[7] = '-';
        digits(out, 8, day, 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        int end = 19;
        if (millis != 0) {
            out[19] = '.';
            digits(out, 20, millis, 3);
            end = 23;
        }
        out[end] = 'Z';
        return end + 1;
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
