package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Selenium WebDriver through Debian's chromedriver, both paths
 * set explicitly (so Selenium Manager never runs and nothing is downloaded), on a fresh profile, with
 * every host name but localhost and 127.0.0.1 unresolvable. When no browser is installed the tests
 * are skipped with a message saying how to install one, except in CI ({@code CI=true}), where that
 * is a failure.
 */
final class Browser implements AutoCloseable {
  static final String CHROMIUM = System.getProperty("latchkey.chromium", "/usr/bin/chromium");
  static final String CHROMEDRIVER = System.getProperty("latchkey.chromedriver", "/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  final ChromeDriver driver;
  private final WebDriverWait wait;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
    this.wait = new WebDriverWait(driver, Duration.ofSeconds(10), Duration.ofMillis(50));
    this.wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
  }

  /** Why the browser tests cannot run here, or empty when they can. */
  static Optional<String> unavailable() {
    Optional<String> missing = !new File(CHROMIUM).canExecute() ? Optional.of(CHROMIUM)
        : !new File(CHROMEDRIVER).canExecute() ? Optional.of(CHROMEDRIVER) : Optional.empty();
    return missing.map(m -> "browser tests need Debian's chromium and chromium-driver (" + m + " not found):"
        + " apt-get install -y chromium chromium-driver");
  }

  /**
   * A browser; null outside CI when none is installed (the tests then skip, saying why), and a
   * failure in CI ({@code CI=true}), where the browser tests must run.
   */
  static Browser start() {
    Optional<String> missing = unavailable();
    if (missing.isPresent()) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException("CI=true, so the browser tests may not be skipped: " + missing.get());
      }
      System.err.println("SKIPPING the browser tests: " + missing.get());
      return null;
    }
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
    Path profile;
    try {
      profile = Files.createTempDirectory("latchkey-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-default-apps", "--disable-extensions", "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort()
        .build();
    return new Browser(new ChromeDriver(service, options), profile);
  }

  void open(String url) {
    driver.get(url);
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  WebElement waitFor(By by) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  void waitGone(By by) {
    wait.until(ExpectedConditions.invisibilityOfElementLocated(by));
  }

  void waitUntil(String what, java.util.function.Supplier<Boolean> condition) {
    wait.withMessage(what).until(d -> condition.get());
  }

  /** How many times the page has redrawn its list (the console counts them on body[data-renders]). */
  long renders() {
    return ((Number) js("return Number(document.body.dataset.renders || 0)")).longValue();
  }

  /** Runs an action and waits until the page has redrawn with its result. */
  void act(Runnable action) {
    long before = renders();
    action.run();
    waitUntil("the page redraws after the action", () -> renders() > before);
  }

  /** Waits until a freshly loaded page has drawn its list once. */
  void loaded() {
    waitUntil("the page draws its list", () -> renders() > 0);
  }

  WebElement find(By by) {
    return driver.findElement(by);
  }

  List<WebElement> findAll(By by) {
    return driver.findElements(by);
  }

  // ---- the open dialog

  static final By OPEN_DIALOG = By.cssSelector("dialog[open]");

  WebElement dialog() {
    return waitFor(OPEN_DIALOG);
  }

  /** The control labelled {@code label} in the open dialog. */
  WebElement field(String label) {
    WebElement l = dialog().findElement(By.xpath(".//label[normalize-space()='" + label + "']"));
    String forId = l.getAttribute("for");
    return forId == null || forId.isEmpty() ? l.findElement(By.xpath(".//input")) : find(By.id(forId));
  }

  void type(String label, String text) {
    WebElement f = field(label);
    f.clear();
    f.sendKeys(text);
  }

  void press(String buttonText) {
    dialog().findElement(By.xpath(".//button[normalize-space()='" + buttonText + "']")).click();
  }

  /** Every control in the open dialog has a label, every button a name (keyboard and screen-reader use). */
  void assertDialogIsLabelled() {
    Object unlabelled = js("return Array.from(document.querySelectorAll('dialog[open] input, dialog[open] select,"
        + " dialog[open] textarea')).filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).length"
        + " + Array.from(document.querySelectorAll('dialog[open] button')).filter(b => !b.textContent.trim()"
        + " && !b.getAttribute('aria-label')).length");
    assertThat(((Number) unlabelled).intValue()).as("unlabelled controls in the dialog").isZero();
    assertThat(js("return document.querySelector('dialog[open]').getAttribute('aria-labelledby') !== null")).isEqualTo(true);
  }

  // ---- "More Options (⋮)" menus

  /** Opens the ⋮ menu whose button is labelled {@code menuLabel} and selects {@code item}, with the keyboard. */
  void menu(String menuLabel, String item) {
    WebElement button = waitFor(By.cssSelector("button.more[aria-label='" + menuLabel + "']"));
    button.sendKeys(Keys.ENTER);
    WebElement menu = find(By.id(button.getAttribute("aria-controls")));
    wait.until(ExpectedConditions.visibilityOf(menu));
    assertThat(button.getAttribute("aria-expanded")).isEqualTo("true");
    WebElement entry = menu.findElement(By.xpath(".//button[normalize-space()='" + item + "']"));
    // Walk to the entry with the arrow keys, as a keyboard user would.
    for (int i = 0; i < 5 && !entry.equals(driver.switchTo().activeElement()); i++) {
      driver.switchTo().activeElement().sendKeys(Keys.ARROW_DOWN);
    }
    assertThat(driver.switchTo().activeElement()).as("focus reached " + item).isEqualTo(entry);
    entry.sendKeys(Keys.ENTER);
  }

  // ---- evidence

  void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Screenshots the page at 375 px and checks that nothing is wider than the screen. */
  void narrow(String name) {
    Dimension before = driver.manage().window().getSize();
    driver.manage().window().setSize(new Dimension(375, 812));
    try {
      waitUntil("layout at 375 px", () -> ((Number) js("return window.innerWidth")).intValue() <= 375);
      long overflow = ((Number) js("return document.documentElement.scrollWidth - window.innerWidth")).longValue();
      assertThat(overflow).as(name + " scrolls sideways at 375 px").isLessThanOrEqualTo(0);
      screenshot(name + "-375px");
    } finally {
      driver.manage().window().setSize(before);
    }
  }

  private final List<String> console = new ArrayList<>();

  /** Browser console messages (errors, CSP violations) since {@link #clearConsole()}. */
  List<String> consoleMessages() {
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      console.add(e.getLevel() + " " + e.getMessage());
    }
    return List.copyOf(console);
  }

  void clearConsole() {
    consoleMessages();
    console.clear();
  }

  /** Grants the page's origin clipboard access, so that the Copy button can be checked for real. */
  void allowClipboard(String origin) {
    driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", origin,
        "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary profile left behind is harmless
      }
    }
  }
}
