package ai.sutazai.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.api.view.AgentState;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** The dashboard in real headless Chromium against a server backed by the FakeBackend. */
class DashboardBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private TestServer server;
  private WebDriver driver;
  private Path profile;

  @BeforeEach
  void start() throws Exception {
    assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "Chromium and chromedriver are needed at " + CHROMIUM + " and " + CHROMEDRIVER
            + ": run cluster/dev/chromium.sh (as root) to install Debian's chromium and chromium-driver");
    server = new TestServer();
    profile = Files.createTempDirectory("sutazai-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--window-size=1600,1400", "--lang=en-GB");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  /** The first match's text; "" when none, or when the page re-rendered it between finding and reading (awaits retry). */
  private String text(String css) {
    try {
      return driver.findElements(By.cssSelector(css)).stream().findFirst().map(WebElement::getText).orElse("");
    } catch (org.openqa.selenium.StaleElementReferenceException rerendered) {
      return "";
    }
  }

  private void screenshot(String name) throws Exception {
    Path dir = Path.of("target", "screenshots");
    Files.createDirectories(dir);
    File shot = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  /** Clicks an element that live updates may re-render between finding and clicking it. */
  private void click(String css) {
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
      find(css).click();
      return true;
    });
  }

  private void signIn(String token) {
    await().atMost(Duration.ofSeconds(15)).until(() -> find("#token-input").isDisplayed());
    find("#token-input").sendKeys(token);
    find("#token-submit").click();
    await().atMost(Duration.ofSeconds(15)).until(() -> text("#conn-status").equals("live"));
  }

  @Test
  void showsLiveFleetAndActsWithAnOperatorToken() throws Exception {
    driver.get(server.base + "/");
    assertTrue(find("#signin").isDisplayed(), "without a token the dashboard asks for one");
    signIn(TestServer.OPERATOR);
    assertTrue(text("#whoami").contains("operator"));
    await().atMost(Duration.ofSeconds(30)).until(() -> text("#agents-table").contains("security-scanner"));
    assertTrue(text("#workers-table").contains("simulated"), "the simulator worker is marked simulated");
    assertTrue(text("#alerts").contains("container health rate"));

    // Live host values arrive over SSE and cross the memory thresholds.
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
      server.backend.pushSample(server.backend.sample(0.42, 0.91, 9.0, 0.97));
      return text("#kpi-cpu .value").equals("42%");
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> find("#kpi-mem").getAttribute("class").contains("crit"));
    assertTrue(find("#kpi-load").getAttribute("class").contains("warn"), "load 9 is past the warning threshold 8");

    // An agent event pushed by the backend changes the table without a reload.
    server.backend.setState("code-reviewer", AgentState.HEALTHY, "AgentBecameHealthy", "probe passed");
    await().atMost(Duration.ofSeconds(30)).until(() ->
        text("tr[data-agent-row='code-reviewer']").contains("HEALTHY") && text("#events").contains("probe passed"));

    // The pools' scaling decisions with their reasons: those made before, then one pushed live.
    await().atMost(Duration.ofSeconds(30)).until(() -> text("#decisions").contains("queued security-scanner: max active 2 of 2 in use"));
    server.backend.push(new ai.sutazai.api.view.LiveUpdate.Decision(new ai.sutazai.api.view.DecisionView("core", "IDLE_STOPPED",
        "task-coordinator", "stopped task-coordinator: idle 10m", java.time.Instant.now())));
    await().atMost(Duration.ofSeconds(30)).until(() -> text("#decisions li").contains("stopped task-coordinator: idle 10m"));

    // Authenticated action: the backend receives it and the page reports the queue position.
    click("button[data-action='activate'][data-agent='data-analyst']");
    await().atMost(Duration.ofSeconds(30)).until(() -> server.backend.activations.contains("data-analyst"));
    await().atMost(Duration.ofSeconds(30)).until(() -> find("#toast").getAttribute("textContent").contains("data-analyst queued at position"));
    await().atMost(Duration.ofSeconds(30)).until(() -> text("tr[data-agent-row='data-analyst']").contains("QUEUED"));
    for (int i = 0; i < 20; i++) {
      server.backend.pushSample(server.backend.sample(0.35 + 0.01 * (i % 7), 0.62 + 0.002 * i, 5.5, 0.92));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> text("#kpi-mem .value").equals("66%"));
    screenshot("dashboard.png");

    // The agent page: its journal and metrics.
    driver.get(server.base + "/#/agent/log-summariser");
    await().atMost(Duration.ofSeconds(30)).until(() -> text("#agent-events").contains("CrashLoopDetected"));
    assertTrue(text("#agent-state").contains("CRASH LOOP"), text("#agent-state") + " / " + text("#agent-page"));
    assertTrue(text("#agent-kpis").toLowerCase(java.util.Locale.ROOT).contains("restarts"));
    assertTrue(text("#agent-meta").contains("on node 127.0.0.1:2551"), "the node that runs it: " + text("#agent-meta"));
    click("#agent-actions button[data-action='reset']");
    await().atMost(Duration.ofSeconds(30)).until(() -> text("#agent-events").contains("CrashLoopReset"));
    screenshot("agent.png");
  }

  @Test
  void aViewerCannotAct() throws Exception {
    driver.get(server.base + "/");
    signIn(TestServer.VIEWER);
    await().atMost(Duration.ofSeconds(30)).until(() -> text("#agents-table").contains("doc-writer"));
    WebElement activate = find("button[data-action='activate'][data-agent='data-analyst']");
    assertFalse(activate.isEnabled(), "viewer tokens get disabled action buttons");
    find("#signout").click();
    assertTrue(find("#signin").isDisplayed());
    assertFalse(server.backend.activations.contains("data-analyst"));
  }
}
