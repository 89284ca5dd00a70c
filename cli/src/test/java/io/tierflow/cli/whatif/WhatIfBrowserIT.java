package io.tierflow.cli.whatif;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tierflow.api.ApiSettings;
import io.tierflow.api.StreamsNode;
import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import io.tierflow.streams.TieringSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The console's what-if page in a real headless Chromium (Debian's chromium and chromium-driver) against a streams
 * node with the real runner on the local stack: a pasted policy the API rejects shows the message at its field, and a
 * comparison shows its progress, then its table and chart. Skips only where the browser is not installed, never in CI.
 */
class WhatIfBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final String TOKEN = "whatif-browser-it-token";

    @TempDir
    Path dir;

    private WebDriver browser;

    @Test
    void shouldRunAComparisonFromThePageAndShowItsTableAndChart() throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = "no " + CHROMIUM + " or " + CHROMEDRIVER + ": install Debian's chromium and chromium-driver "
                + "to run the what-if page's browser test (.ci/run does)";
        assertTrue(installed || !"true".equals(System.getenv("CI")), missing);
        assumeTrue(installed, missing);
        LocalStack stack = SharedLocalStack.fresh(); // never closed here: the next test class reuses it
        Instant recordedFrom = Instant.now().minus(Duration.ofHours(6));
        WhatIfApiIT.record(stack, recordedFrom);
        Properties config = WhatIfApiIT.streamsConfig(stack, dir.resolve("state"));
        try (StreamsNode node = StreamsNode.start(config, TieringSettings.DEFAULTS,
                ApiSettings.defaults().withPort(WhatIfApiIT.freePort()).withToken(TOKEN),
                TopicWhatIfRunner.forNode(config, TieringSettings.DEFAULTS))) {
            String base = "http://127.0.0.1:" + node.apiPort() + "/";
            browser = chromium();
            try {
                browser.get(base + "#/actions");
                waitFor(() -> !browser.findElements(By.id("token-input")).isEmpty(), "the token field");
                browser.findElement(By.id("token-input")).sendKeys(TOKEN);
                browser.findElement(By.id("token-save")).click();
                waitFor(() -> !browser.findElements(By.id("token-state")).isEmpty(), "the token taken");

                browser.get(base + "#/whatif");
                waitFor(() -> !browser.findElements(By.id("whatif-form")).isEmpty(), "the what-if form");
                WebElement from = browser.findElement(By.id("whatif-from"));
                from.clear();
                from.sendKeys(recordedFrom.minus(Duration.ofMinutes(5)).toString());
                WebElement pasted = browser.findElement(By.id("whatif-policy"));
                pasted.sendKeys("{\"name\": \"<i>lazy</i>\", \"heatHalfLifeSeconds\": 3600, \"hotThreshold\": 1, "
                        + "\"warmThreshold\": 50, \"hysteresis\": 0.25, \"defaultLatencySlaMs\": 50, "
                        + "\"migrationBudgetBytesPerHour\": 1000000000000, \"cooldownSeconds\": 60}");
                browser.findElement(By.id("whatif-run")).click();
                waitFor(() -> text("whatif-error-policies").contains(
                        "hotThreshold must be a number above warmThreshold"), "the rejection at the pasted policy");

                pasted.clear();
                pasted.sendKeys("{\"name\": \"<i>lazy</i>\", \"heatHalfLifeSeconds\": 3600, \"hotThreshold\": "
                        + "500, \"warmThreshold\": 50, \"hysteresis\": 0.25, \"defaultLatencySlaMs\": 50, "
                        + "\"migrationBudgetBytesPerHour\": 1000000000000, \"cooldownSeconds\": 60}");
                browser.findElement(By.id("whatif-run")).click();
                waitFor(() -> text("whatif-state").equals("SUCCEEDED"), "the run to succeed");
                waitFor(() -> text("whatif-table").contains("offline-optimum"), "the result table");
                List<String> rows = browser.findElements(By.cssSelector("#whatif-table tbody tr")).stream()
                        .map(WebElement::getText).toList();
                assertTrue(rows.get(0).startsWith("live"), rows.toString());
                assertTrue(rows.get(1).startsWith("<i>lazy</i>"), "the pasted name as text: " + rows);
                assertTrue(browser.findElements(By.cssSelector("#whatif-table i")).isEmpty(), "no markup");
                assertTrue(rows.stream().anyMatch(r -> r.startsWith("all-hot @")), rows.toString());
                waitFor(() -> !browser.findElements(By.cssSelector("#whatif-chart canvas")).isEmpty(),
                        "the cumulative cost chart");
                assertTrue(browser.getCurrentUrl().contains("#/whatif?run="), browser.getCurrentUrl());
                assertFalse(browser.getPageSource().contains(TOKEN), "the token is not in the page");
            } finally {
                browser.quit();
            }
        }
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000");
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
    }

    private String text(String id) {
        List<WebElement> found = browser.findElements(By.id(id));
        try {
            return found.isEmpty() ? "" : found.get(0).getText();
        } catch (StaleElementReferenceException e) {
            return "";
        }
    }

    /** Waits for a condition of a page that redraws; when it never holds, the failure shows what the page said. */
    private void waitFor(Eventually.Condition condition, String what) throws Exception {
        Eventually.holds(TIMEOUT, () -> what + " (page: " + browser.getCurrentUrl() + ") showing:\n" + text("main"),
                () -> {
                    try {
                        return condition.holds();
                    } catch (StaleElementReferenceException e) {
                        return false; // redrawn while read: ask again
                    }
                });
    }
}
