package dev.samvaad.examples.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samvaad.agent.ConversationAgent;
import dev.samvaad.audio.WavWriter;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The page in a real browser: headless Chromium with a fake microphone that plays a WAV file in
 * a loop (a burst of speech-like tone, then silence, so the server's detector ends a turn). The
 * model is tiny and random, so the reply is noise: this checks the plumbing (capture worklet,
 * WebSocket, server, reply streaming, playback, latency display), not the answer.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} (or {@code SAMVAAD_CHROMIUM} /
 * {@code SAMVAAD_CHROMEDRIVER}); without them the test is skipped, saying so.
 */
class WebDemoBrowserTest {
    /** A guard against a hang, not a measurement. */
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int WAV_RATE = 48_000;

    @TempDir
    Path dir;

    private ConversationAgent agent;
    private VoiceServer server;
    private ChromeDriver driver;

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void thePageStreamsTheMicrophoneAndPlaysTheRepliesWithTheirLatency() throws Exception {
        Optional<Path> chromium = executable("SAMVAAD_CHROMIUM", "chromium", "chromium-browser", "google-chrome");
        Optional<Path> chromedriver = executable("SAMVAAD_CHROMEDRIVER", "chromedriver");
        String missing = "the real-browser test of the web demo is SKIPPED: it needs Chromium and its driver "
                + "(apt-get install chromium chromium-driver, or set SAMVAAD_CHROMIUM and SAMVAAD_CHROMEDRIVER); "
                + "found chromium=" + chromium.map(Path::toString).orElse("none") + ", chromedriver="
                + chromedriver.map(Path::toString).orElse("none");
        if (chromium.isEmpty() || chromedriver.isEmpty()) {
            // Also in the build log, not only in the test report.
            System.err.println("WARNING: " + missing);
        }
        assumeTrue(chromium.isPresent() && chromedriver.isPresent(), missing);

        Path question = dir.resolve("question.wav");
        WavWriter.writePcm16(question, WebFixtures.question(300, 0.4, 0.9, 1.6, WAV_RATE), WAV_RATE);
        agent = WebFixtures.agent(1.0);
        server = VoiceServer.start(agent, VoiceServer.Options.defaults().withPort(0), null);

        driver = chrome(chromium.get(), chromedriver.get(), question);
        driver.get(server.uri().toString());
        assertThat(driver.getTitle()).contains("Samvaad");
        driver.findElement(By.id("start")).click();

        Path screenshot = Path.of(System.getProperty("basedir", ".")).resolve("target").resolve("web-demo.png");
        Map<String, Object> stats;
        try {
            stats = waitFor(s -> played(s) && !answeredTurns(s).isEmpty());
        } finally {
            Files.createDirectories(screenshot.getParent());
            Files.write(screenshot, driver.getScreenshotAs(OutputType.BYTES));
        }

        assertThat(stats.get("micRate")).isNotNull();
        assertThat(((Number) stats.get("sampleRate")).intValue()).isEqualTo(WebFixtures.RATE);
        assertThat(number(stats, "sentSeconds")).isPositive();
        assertThat(number(stats, "receivedSeconds")).isPositive();
        assertThat(number(stats, "playedSeconds")).isPositive();
        Map<String, Object> turn = answeredTurns(stats).get(0);
        assertThat(number(turn, "replySeconds")).isPositive();
        assertThat(number(turn, "receivedSeconds")).isCloseTo(number(turn, "replySeconds"), org.assertj.core.api.Assertions.within(1e-9));
        // Measured, whatever the values: no timed asserts.
        assertThat(number(turn, "latencyMs")).isPositive();
        assertThat(number(turn, "serverLatencyMs")).isPositive();
        // The figure the page shows is the user's wait: the silence the server waited for, then the reply's way here.
        assertThat(number(turn, "perceivedMs")).isCloseTo(number(turn, "hangoverMs") + number(turn, "latencyMs"),
                org.assertj.core.api.Assertions.within(1e-6));
        assertThat(number(turn, "hangoverMs")).isPositive();
        assertThat(number(turn, "questionSeconds")).isPositive();
        // The page shows the turn with its latency and two spectrograms.
        String card = driver.findElement(By.cssSelector(".turn")).getText();
        assertThat(card).contains("Turn", " ms", "question", "reply", "of silence");
        assertThat(driver.findElements(By.cssSelector(".turn canvas"))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(screenshot).isNotEmptyFile();
    }

    private ChromeDriver chrome(Path chromium, Path chromedriver, Path question) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--use-file-for-fake-audio-capture=" + question.toAbsolutePath(),
                "--autoplay-policy=no-user-gesture-required", "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--no-first-run", "--disable-extensions");
        if ("root".equals(System.getProperty("user.name"))) {
            options.addArguments("--no-sandbox");
        }
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** Polls {@code window.samvaadStats} until {@code done}; fails with what the page saw after {@link #WAIT}. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> waitFor(Predicate<Map<String, Object>> done) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        Map<String, Object> stats = Map.of();
        while (System.nanoTime() < end) {
            Object s = ((JavascriptExecutor) driver).executeScript("return window.samvaadStats;");
            if (s instanceof Map<?, ?> m) {
                stats = (Map<String, Object>) m;
                if (done.test(stats)) {
                    return stats;
                }
                if ("error".equals(stats.get("state"))) {
                    break;
                }
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        String console = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(Object::toString).collect(Collectors.joining("\n"));
        throw new AssertionError("the page did not receive and play a reply within " + WAIT.toSeconds() + " s; it saw "
                + new ObjectMapper().writeValueAsString(stats) + "\nstatus: "
                + driver.findElement(By.id("status")).getText() + "\nbrowser console:\n" + console);
    }

    private static boolean played(Map<String, Object> stats) {
        return number(stats, "receivedSeconds") > 0 && number(stats, "playedSeconds") > 0;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> answeredTurns(Map<String, Object> stats) {
        Object turns = stats.get("turns");
        if (!(turns instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().map(t -> (Map<String, Object>) t)
                .filter(t -> t.get("latencyMs") instanceof Number && number(t, "replySeconds") > 0).toList();
    }

    private static double number(Map<String, Object> map, String key) {
        Object v = map.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** An environment variable's file, or the first of {@code names} on the PATH. */
    private static Optional<Path> executable(String variable, String... names) {
        String given = System.getenv(variable);
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : names) {
            for (String folder : path.split(File.pathSeparator)) {
                Path p = Path.of(folder, name);
                if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
