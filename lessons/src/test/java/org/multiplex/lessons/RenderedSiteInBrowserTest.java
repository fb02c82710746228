package org.multiplex.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Opens every rendered lesson, deck and deck print view in headless Chromium, with no network
 * (file:// pages, the browser's network emulated offline, and a host resolver that finds no host), and fails on what a reader would see
 * broken: a request that failed or left the site, a console error, a picture that did not load,
 * an empty slide, a slide without speaker notes. Saves screenshots of each deck's first slides
 * and each lesson's top in target/screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class RenderedSiteInBrowserTest {

    private static final Path CHROMIUM = Path.of(System.getProperty("chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver"));
    private static final int SCREENSHOT_SLIDES = 3;
    /** Selenium looks for CDP bindings of this exact Chromium version and warns; the check needs none. */
    private static final java.util.logging.Logger DEVTOOLS_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

    private final Path site = Path.of(System.getProperty("site.dir", "target/site")).toAbsolutePath();
    private final Path screenshots = Path.of(System.getProperty("screenshots.dir", "target/screenshots")).toAbsolutePath();
    private final ObjectMapper json = new ObjectMapper();
    private ChromeDriver browser;
    private Path profile;

    @BeforeAll
    void startChromium() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The rendered lessons and slides are checked in headless Chromium, and " + CHROMIUM + " or "
                    + CHROMEDRIVER + " is missing: install them with 'apt-get install chromium chromium-driver'.");
        }
        DEVTOOLS_LOG.setLevel(Level.SEVERE);
        profile = Files.createTempDirectory("multiplex-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,800", "--user-data-dir=" + profile,
                // No name resolves: anything that tries to leave the machine fails, and is reported.
                "--host-resolver-rules=MAP * ~NOTFOUND");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        // Networking off: any request that is not for a file of the site fails (and is reported below).
        ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
        offline.setOffline(true);
        browser.setNetworkConditions(offline);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
        Files.createDirectories(screenshots);
    }

    @AfterAll
    void stopChromium() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    Stream<String> lessons() throws IOException {
        return pages("lessons", "index.html");
    }

    Stream<String> decks() throws IOException {
        return pages("slides", ".html");
    }

    private Stream<String> pages(String folder, String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(site.resolve(folder))) {
            List<String> pages = files.filter(p -> p.toString().endsWith(suffix))
                    .map(p -> site.relativize(p).toString()).sorted().toList();
            assertThat(pages).as("rendered pages in %s", site.resolve(folder)).isNotEmpty();
            return pages.stream();
        }
    }

    @Test
    void the_contents_page_links_every_lesson_and_deck() throws IOException {
        List<String> problems = open("index.html");
        assertThat(problems).isEmpty();
        List<String> expected = new ArrayList<>(lessons().toList());
        expected.addAll(decks().toList());
        List<String> linked = strings("""
                return [...document.querySelectorAll('a')].map(a => a.getAttribute('href'));""");
        assertThat(linked).containsAll(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lessons")
    void a_lesson_loads_everything_from_the_site(String page) throws IOException {
        List<String> problems = open(page);
        if (!page.equals(lessons().findFirst().orElseThrow())) {
            problems.addAll(check(page, "a link to the previous lesson", "document.querySelector('a[rel=prev]') !== null"));
        }
        save(page.replace("/index.html", "").replace('/', '-') + ".png");
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decks")
    void a_deck_loads_everything_and_every_slide_has_content_and_notes(String page) throws IOException {
        List<String> problems = open(page);
        awaitReveal();
        problems.addAll(strings("""
                return Reveal.getSlides().flatMap((s, i) => {
                  const found = [];
                  const visible = s.innerText.trim() !== '' || s.querySelector('img, svg, video, iframe, canvas');
                  if (!visible) found.push('slide ' + (i + 1) + ' is empty');
                  const notes = s.querySelector('aside.notes');
                  if (!notes || notes.textContent.trim() === '') found.push('slide ' + (i + 1) + ' has no speaker notes');
                  return found;
                });"""));
        String name = page.replace("slides/", "").replace(".html", "");
        long slides = (Long) browser.executeScript("Reveal.configure({transition: 'none'}); return Reveal.getTotalSlides();");
        for (int i = 0; i < Math.min(SCREENSHOT_SLIDES, slides); i++) {
            browser.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    Reveal.slide(arguments[0]);
                    requestAnimationFrame(() => requestAnimationFrame(() => done()));""", i);
            save("%s-%d.png".formatted(name, i + 1));
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "{0}?print-pdf")
    @MethodSource("decks")
    void a_deck_has_a_print_view_with_a_page_per_slide(String page) {
        List<String> problems = open(page + "?print-pdf");
        awaitReveal();
        // reveal.js lays the pages out a few frames after it is ready, all of them in one go.
        browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const laidOut = () => document.querySelector('.pdf-page') ? done() : requestAnimationFrame(laidOut);
                laidOut();""");
        long slides = (Long) browser.executeScript("return Reveal.getTotalSlides();");
        long printed = (Long) browser.executeScript("return document.querySelectorAll('.pdf-page').length;");
        assertThat(printed).as("pages in the print view").isGreaterThanOrEqualTo(slides);
        assertThat(problems).isEmpty();
    }

    /** Loads a page of the site and returns every problem it showed while loading. */
    private List<String> open(String page) {
        drainLogs();
        String url = site.resolve(page.replaceFirst("\\?.*", "")).toUri() + (page.contains("?") ? page.substring(page.indexOf('?')) : "");
        browser.get(url);
        awaitFonts();
        List<String> problems = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                problems.add("console: " + entry.getMessage());
            }
        }
        for (LogEntry entry : browser.manage().logs().get(LogType.PERFORMANCE)) {
            problems.addAll(network(entry.getMessage()));
        }
        problems.addAll(strings("""
                return [...document.images]
                  .filter(i => !i.complete || i.naturalWidth === 0)
                  .map(i => 'picture did not load: ' + i.getAttribute('src'));"""));
        return problems;
    }

    private List<String> network(String message) {
        try {
            JsonNode event = json.readTree(message).path("message");
            String method = event.path("method").asText();
            JsonNode params = event.path("params");
            if (method.equals("Network.requestWillBeSent")) {
                String url = params.path("request").path("url").asText();
                if (!url.startsWith("file:") && !url.startsWith("data:") && !url.startsWith("about:")) {
                    return List.of("request outside the site: " + url);
                }
            } else if (method.equals("Network.loadingFailed") && !params.path("canceled").asBoolean()) {
                return List.of("request failed: " + params.path("errorText").asText() + " (" + params.path("requestId").asText() + ")");
            }
            return List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> check(String page, String what, String condition) {
        return Boolean.TRUE.equals(browser.executeScript("return " + condition + ";")) ? List.of() : List.of(page + " has no " + what);
    }

    private void drainLogs() {
        browser.manage().logs().get(LogType.BROWSER);
        browser.manage().logs().get(LogType.PERFORMANCE);
    }

    private void awaitFonts() {
        browser.executeAsyncScript("document.fonts.ready.then(() => arguments[arguments.length - 1]());");
    }

    private void awaitReveal() {
        browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                if (Reveal.isReady()) { done(); } else { Reveal.on('ready', () => done()); }""");
    }

    @SuppressWarnings("unchecked")
    private List<String> strings(String script) {
        return new ArrayList<>((List<String>) browser.executeScript(script));
    }

    private void save(String name) throws IOException {
        Files.write(screenshots.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }
}
