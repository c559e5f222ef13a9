package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.PrincipalRef;
import dev.latchkey.Verified;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The console in a real headless Chromium, walking every section of the product documentation (the
 * seed) end to end: as a user on My API Keys, and as an account admin on Service Accounts. Token
 * values are read from the dialog that shows them once and then used against the API as bearer
 * tokens; after the dialog closes they are nowhere in the page, its storage, its URL or its console.
 * One browser serves the whole class; screenshots go to {@code target/screenshots/}.
 */
class ConsoleBrowserTest extends WebTest {
  private static final DateTimeFormatter US = DateTimeFormatter.ofPattern("MM/dd/yyyy");
  private static Browser browser;

  /** On a failure: a screenshot, the page's text and its console, for whoever reads the report. */
  @org.junit.jupiter.api.extension.RegisterExtension
  static final org.junit.jupiter.api.extension.TestWatcher EVIDENCE = new org.junit.jupiter.api.extension.TestWatcher() {
    @Override
    public void testFailed(org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
      if (browser != null) {
        browser.screenshot("FAILED-" + context.getRequiredTestMethod().getName());
        System.err.println("page text at failure:\n" + browser.find(By.tagName("body")).getText());
        System.err.println("browser console:\n" + String.join("\n", browser.consoleMessages()));
      }
    }
  };

  @BeforeAll
  static void startBrowser() {
    browser = Browser.start();
  }

  @org.junit.jupiter.api.BeforeEach
  void needsTheBrowser() {
    org.junit.jupiter.api.Assumptions.assumeTrue(browser != null, () -> "SKIPPED: " + Browser.unavailable().orElse("?"));
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  private void signIn(String who, String page) {
    browser.open(server.app("/login?as=" + who + "&to=" + TestServer.MOUNT + "/" + page).toString());
    browser.waitFor(By.cssSelector("#who:not(:empty)"));
    browser.loaded();
    browser.allowClipboard(server.origin());
    browser.clearConsole();
  }

  /** The browser's own time zone: the console sends it with every date. */
  private ZoneId browserZone() {
    return ZoneId.of((String) browser.js("return Intl.DateTimeFormat().resolvedOptions().timeZone"));
  }

  private String inOneYear() {
    return World.START.atZone(browserZone()).toLocalDate().plusDays(200).format(US);
  }

  /** Reads the value from the shown-once dialog, copies it with the Copy button, closes the dialog. */
  private String takeTokenFromDialog(String screenshot) {
    WebElement dialog = browser.waitFor(By.cssSelector("dialog.token-dialog[open]"));
    assertThat(dialog.getText()).contains("The token is only displayed once.")
        .contains("Store the token somewhere secure that you can access when you make API requests.")
        .contains("Don't store them in publicly-accessible areas.")
        .contains("After rotating tokens make sure you always use the new token.");
    String value = dialog.findElement(By.cssSelector("code.secret")).getText();
    assertThat(value).matches(WebTest.TOKEN_VALUE);
    browser.assertDialogIsLabelled();
    if (screenshot != null) {
      browser.screenshot(screenshot);
    }
    browser.press("Copy");
    browser.waitFor(By.cssSelector("dialog[open] .copy-status:not(:empty)"));
    Object clipboard = browser.driver.executeAsyncScript(
        "const done = arguments[0]; navigator.clipboard.readText().then(done, () => done(null));");
    assertThat(clipboard).as("what the Copy button put on the clipboard").isEqualTo(value);
    browser.driver.executeAsyncScript("const done = arguments[0]; navigator.clipboard.writeText('').then(done, done);");
    browser.act(() -> browser.press("Close"));
    assertThat(browser.findAll(Browser.OPEN_DIALOG)).isEmpty();
    assertNowhereInThePage(value);
    return value;
  }

  /** The value is not in the DOM, browser storage, the URL or the history, or anything the page logged. */
  private void assertNowhereInThePage(String value) {
    assertThat(browser.driver.getPageSource()).doesNotContain(value);
    assertThat(browser.js("return document.documentElement.outerHTML.includes(arguments[0])"
        + " || location.href.includes(arguments[0])", value)).isEqualTo(false);
    assertThat(browser.js("return localStorage.length + sessionStorage.length")).isEqualTo(0L);
    assertThat(String.join("\n", browser.consoleMessages())).doesNotContain(value);
  }

  private void assertVerifiesAs(String value, String principal) {
    Reply session = bearer(value).get("session");
    assertThat(session.status()).as("the token from the console works against the API").isEqualTo(200);
    assertThat(session.json().get("actor").asString()).isEqualTo(principal);
  }

  private void assertRefused(String value) {
    assertThat(bearer(value).get("session").status()).isEqualTo(401);
  }

  private WebElement keyCard(String keyId) {
    return browser.waitFor(By.cssSelector("li.key[data-key='" + keyId + "']"));
  }

  private WebElement tokenRow(String keyId, String tokenId) {
    return browser.waitFor(By.cssSelector("li.key[data-key='" + keyId + "'] li.token[data-token='" + tokenId + "']"));
  }

  private void status(String contains) {
    browser.waitUntil("status says " + contains, () -> browser.find(By.id("status")).getText().contains(contains));
  }

  /** Creates a key: "select API Key ... enter a Name ... Description and Tags are optional ... Save". */
  private void createKey(String name, String expectedId, String description, String tags) {
    browser.waitFor(By.id("new-api-key")).click();
    browser.dialog();
    browser.assertDialogIsLabelled();
    browser.type("Name", name);
    assertThat(browser.field("Id").getAttribute("value")).as("the Id follows the name").isEqualTo(expectedId);
    browser.type("Description (optional)", description);
    browser.type("Tags (optional)", tags);
    browser.act(() -> browser.press("Save"));
    keyCard(expectedId);
  }

  /** Adds a token: "select Token under the key ... Name ... Set Expiration Date (mm/dd/yyyy) ... Generate Token". */
  private String addToken(String keyId, String name, String expiry, String screenshot) {
    keyCard(keyId).findElement(By.cssSelector("button.add-token")).click();
    browser.dialog();
    browser.assertDialogIsLabelled();
    browser.type("Name", name);
    browser.type("Description (optional)", "made in the browser test");
    browser.type("Tags (optional)", "purpose:test");
    if (expiry != null) {
      browser.field("Set Expiration Date").click();
      browser.type("Expiration Date", expiry);
    }
    if (screenshot != null) {
      browser.screenshot(screenshot);
    }
    browser.press("Generate Token");
    return takeTokenFromDialog(screenshot == null ? null : "token-shown-once");
  }

  @Test
  void aUserWalksEverySectionOfMyApiKeys() {
    signIn(World.ALICE, "");
    assertThat(browser.driver.getCurrentUrl()).endsWith("/my-api-keys.html");
    assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("My API Keys");

    // Create personal API keys and tokens.
    createKey("CI laptop", "CI_laptop", "Alice's laptop", "env:dev, team:core");
    status("API key CI laptop created");
    String expiry = inOneYear();
    String value = addToken("CI_laptop", "Deploy script", expiry, "token-form");
    assertVerifiesAs(value, "acme/user/alice");
    LocalDate lastDay = LocalDate.parse(expiry, US);
    assertThat(world.manager.getToken(dev.latchkey.Actor.system(), PrincipalRef.user("acme", "alice").apiKey("CI_laptop")
        .token("Deploy_script")).expiresAt())
        .as("valid through the whole day entered, in the browser's zone")
        .isEqualTo(lastDay.plusDays(1).atStartOfDay(browserZone()).toInstant());
    WebElement token = tokenRow("CI_laptop", "Deploy_script");
    assertThat(token.findElement(By.cssSelector("[data-status]")).getText()).isEqualTo("Active");
    assertThat(token.getText()).contains("Created").contains("Expires").contains("Last used").contains("Never");
    // Use it: the list shows when it was last used.
    Verified used = (Verified) world.latchkey.verifier().verify(value);
    assertThat(used.principal().id()).isEqualTo("alice");
    world.latchkey.flushLastUsed();
    browser.driver.navigate().refresh();
    browser.waitUntil("last used shows a time", () -> !tokenRow("CI_laptop", "Deploy_script")
        .findElements(By.cssSelector("[data-field='last-used'] time")).isEmpty());
    // and from where: the use noted is assertVerifiesAs's HTTP request (same clock reading, so the
    // plain verify above falls within the resolution), whose peer address the bearer resolver passed
    assertThat(tokenRow("CI_laptop", "Deploy_script").findElement(By.cssSelector("[data-field='last-used-from']"))
        .getText()).as("and from where").isEqualTo("127.0.0.1");
    browser.screenshot("my-api-keys");
    browser.narrow("my-api-keys");

    // Edit API keys: name, description and tags; not the Id.
    browser.menu("More Options for API key CI laptop", "Edit");
    assertThat(browser.field("Id").getAttribute("readonly")).isNotNull();
    browser.type("Name", "Old laptop");
    browser.type("Tags (optional)", "env:prod");
    browser.act(() -> browser.press("Save"));
    browser.waitUntil("renamed", () -> keyCard("CI_laptop").findElement(By.tagName("h3")).getText().equals("Old laptop"));
    assertThat(keyCard("CI_laptop").findElement(By.cssSelector(".tags")).getText()).isEqualTo("env: prod");

    // Edit tokens: name, description, tags and expiration date; not the Id or the value.
    browser.menu("More Options for token Deploy script", "Edit");
    assertThat(browser.field("Id").getAttribute("readonly")).isNotNull();
    assertThat(browser.dialog().getText()).contains("can't be edited");
    browser.type("Name", "Deploy job");
    browser.field("Set Expiration Date").click();
    String newExpiry = LocalDate.parse(expiry, US).minusDays(30).format(US);
    assertThat(browser.field("Expiration Date").getAttribute("value")).as("the current date is filled in").isEqualTo(expiry);
    browser.type("Expiration Date", newExpiry);
    browser.act(() -> browser.press("Save"));
    status("Token Deploy job saved");
    assertThat(as(World.ALICE).get("accounts/acme/users/alice/api-keys/CI_laptop/tokens/Deploy_script").json()
        .get("expiresAt").asString())
        .isEqualTo(LocalDate.parse(newExpiry, US).plusDays(1).atStartOfDay(browserZone()).toInstant().toString());
    assertVerifiesAs(value, "acme/user/alice");

    // Rotate tokens: optional new expiration date, a grace period; the new value is shown once.
    browser.menu("More Options for token Deploy job", "Rotate Token");
    browser.assertDialogIsLabelled();
    browser.field("Set Expiration Date").click();
    browser.type("Expiration Date", expiry);
    new org.openqa.selenium.support.ui.Select(browser.field("Keep the old token working for")).selectByVisibleText("1 hour");
    browser.press("Rotate Token");
    String rotated = takeTokenFromDialog(null);
    assertThat(rotated).isNotEqualTo(value);
    assertVerifiesAs(rotated, "acme/user/alice");
    assertVerifiesAs(value, "acme/user/alice"); // within the grace period
    world.clock.advance(Duration.ofMinutes(61));
    assertRefused(value);                       // after it
    assertVerifiesAs(rotated, "acme/user/alice");

    // Delete tokens.
    String second = addToken("CI_laptop", "Spare", null, null);
    browser.menu("More Options for token Deploy job", "Delete");
    assertThat(browser.dialog().getText()).contains("Deploy job");
    browser.act(() -> browser.press("Delete"));
    assertThat(browser.findAll(By.cssSelector("li.token[data-token='Deploy_script']"))).isEmpty();
    assertRefused(rotated);
    assertVerifiesAs(second, "acme/user/alice");

    // Delete API keys, with all their tokens, after confirmation (Cancel first: nothing happens).
    browser.menu("More Options for API key Old laptop", "Delete");
    browser.press("Cancel");
    browser.waitGone(Browser.OPEN_DIALOG);
    keyCard("CI_laptop");
    browser.menu("More Options for API key Old laptop", "Delete");
    assertThat(browser.dialog().getText()).contains("all its tokens (1)");
    browser.act(() -> browser.press("Delete"));
    assertThat(browser.findAll(By.cssSelector("li.key[data-key='CI_laptop']"))).isEmpty();
    assertRefused(second);
    assertThat(browser.find(By.id("keys")).getText()).contains("No API keys yet");
    assertThat(browser.consoleMessages()).as("no script errors or CSP violations")
        .noneMatch(m -> m.startsWith("SEVERE") || m.contains("Content Security Policy"));
  }

  @Test
  void anAccountAdminWalksServiceAccounts() {
    signIn(World.ADMIN, "service-accounts.html");
    assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("Service Accounts");
    assertThat(browser.find(By.cssSelector(".crumbs")).getText()).contains("Account Settings").contains("Access Control");

    // Create a service account at org scope.
    browser.waitFor(By.id("new-service-account")).click();
    browser.assertDialogIsLabelled();
    browser.type("Name", "Deploy bot");
    browser.type("Organization (optional)", "eng");
    browser.type("Permissions (optional)", "deploy, read");
    browser.act(() -> browser.press("Save"));
    WebElement card = browser.waitFor(By.cssSelector("li[data-service-account='Deploy_bot']"));
    assertThat(card.getText()).contains("Enabled").contains("deploy, read");
    assertThat(card.findElement(By.xpath("ancestor::section[1]/h2")).getText()).isEqualTo("Scope: acme/eng");
    // List by scope.
    browser.act(() -> new org.openqa.selenium.support.ui.Select(browser.find(By.id("scope-filter"))).selectByVisibleText("acme"));
    assertThat(browser.findAll(By.cssSelector("li[data-service-account='Deploy_bot']"))).isEmpty();
    assertThat(browser.findAll(By.cssSelector("li[data-service-account='root_bot']"))).hasSize(1);
    browser.act(() -> new org.openqa.selenium.support.ui.Select(browser.find(By.id("scope-filter")))
        .selectByVisibleText("All scopes"));
    browser.waitFor(By.cssSelector("li[data-service-account='Deploy_bot']"));
    browser.screenshot("service-accounts");
    browser.narrow("service-accounts");

    // Edit it.
    browser.menu("More Options for service account Deploy bot", "Edit");
    assertThat(browser.field("Id").getAttribute("readonly")).isNotNull();
    browser.type("Name", "Deploy robot");
    browser.act(() -> browser.press("Save"));
    browser.waitUntil("renamed", () -> browser.find(By.cssSelector("li[data-service-account='Deploy_bot'] h3")).getText()
        .equals("Deploy robot"));

    // Select it; under API Keys, create a key and a token.
    browser.find(By.linkText("Deploy robot")).click();
    browser.waitUntil("service account page", () -> browser.find(By.id("title")).getText().equals("Deploy robot"));
    browser.loaded();
    createKey("Pipeline", "Pipeline", "CI pipeline", "");
    String value = addToken("Pipeline", "Main", inOneYear(), null);
    assertVerifiesAs(value, "acme/sa/Deploy_bot");
    browser.screenshot("service-account");
    browser.narrow("service-account");

    // Edit the key and the token; rotate with no grace: the old value stops at once.
    browser.menu("More Options for API key Pipeline", "Edit");
    browser.type("Description (optional)", "The release pipeline");
    browser.act(() -> browser.press("Save"));
    browser.waitUntil("description", () -> keyCard("Pipeline").getText().contains("The release pipeline"));
    browser.menu("More Options for token Main", "Edit");
    browser.type("Tags (optional)", "stage:prod, owner:release");
    browser.act(() -> browser.press("Save"));
    browser.waitUntil("tags", () -> tokenRow("Pipeline", "Main").getText().contains("stage: prod"));
    browser.menu("More Options for token Main", "Rotate Token");
    browser.press("Rotate Token");
    String rotated = takeTokenFromDialog(null);
    assertRefused(value);
    assertVerifiesAs(rotated, "acme/sa/Deploy_bot");

    // Delete the token, then the key with a fresh token in it.
    browser.menu("More Options for token Main", "Delete");
    browser.act(() -> browser.press("Delete"));
    assertThat(browser.findAll(By.cssSelector("li.token[data-token='Main']"))).isEmpty();
    assertRefused(rotated);
    String spare = addToken("Pipeline", "Spare", null, null);
    browser.menu("More Options for API key Pipeline", "Delete");
    browser.act(() -> browser.press("Delete"));
    assertThat(browser.findAll(By.cssSelector("li.key[data-key='Pipeline']"))).isEmpty();
    assertRefused(spare);

    // Back on the list: disable (its tokens stop), enable, delete.
    String last = addTokenOnNewKey();
    browser.find(By.id("back")).click();
    browser.waitFor(By.cssSelector("li[data-service-account='Deploy_bot']"));
    browser.loaded();
    browser.menu("More Options for service account Deploy robot", "Disable");
    browser.act(() -> browser.press("Disable"));
    browser.waitUntil("disabled", () -> browser.find(By.cssSelector("li[data-service-account='Deploy_bot'] [data-status]"))
        .getText().equals("Disabled"));
    assertRefused(last);
    browser.act(() -> browser.menu("More Options for service account Deploy robot", "Enable"));
    browser.waitUntil("enabled", () -> browser.find(By.cssSelector("li[data-service-account='Deploy_bot'] [data-status]"))
        .getText().equals("Enabled"));
    assertVerifiesAs(last, "acme/sa/Deploy_bot");
    browser.menu("More Options for service account Deploy robot", "Delete");
    browser.act(() -> browser.press("Delete"));
    assertThat(browser.findAll(By.cssSelector("li[data-service-account='Deploy_bot']"))).isEmpty();
    assertRefused(last);
    assertThat(browser.consoleMessages()).as("no script errors or CSP violations")
        .noneMatch(m -> m.startsWith("SEVERE") || m.contains("Content Security Policy"));
  }

  private String addTokenOnNewKey() {
    createKey("Nightly", "Nightly", "", "");
    return addToken("Nightly", "Night", null, null);
  }

  /**
   * The issue's example in the console: a token that may only read, only from 10.0.0.0/8, at most 10
   * requests a second, made in the form, shown in the list, checked through the core; then narrowed
   * and its limit removed in the edit form; a restriction naming what the owner lacks is refused in
   * the dialog.
   */
  @Test
  void aUserIssuesATokenThatMayOnlyReadFromTenSlashEightTenTimesASecond() {
    world.manager.createUser(dev.latchkey.Actor.system(), dev.latchkey.NewUser.of("acme", "dave", "Dave")
        .withPermissions(java.util.Set.of("read", "write")));
    dev.latchkey.TokenRef ref = PrincipalRef.user("acme", "dave").apiKey("Reports").token("Reader");
    signIn("acme/user/dave", "my-api-keys.html");
    createKey("Reports", "Reports", "", "");
    keyCard("Reports").findElement(By.cssSelector("button.add-token")).click();
    browser.dialog();
    browser.assertDialogIsLabelled();
    browser.type("Name", "Reader");
    browser.field("Only some permissions").click();
    browser.type("Permissions", "read");
    browser.type("Allowed addresses (optional)", "10.0.0.0/8");
    browser.type("Requests", "10");
    new org.openqa.selenium.support.ui.Select(browser.field("Per")).selectByVisibleText("second");
    browser.screenshot("restricted-token-form");
    browser.press("Generate Token");
    String value = takeTokenFromDialog(null);

    WebElement row = tokenRow("Reports", "Reader");
    assertThat(row.findElement(By.cssSelector("[data-field='permissions']")).getText()).isEqualTo("read");
    assertThat(row.findElements(By.cssSelector("[data-field='roles']"))).as("roles are not restricted").isEmpty();
    assertThat(row.findElement(By.cssSelector("[data-field='allowed-from']")).getText()).isEqualTo("10.0.0.0/8");
    assertThat(row.findElement(By.cssSelector("[data-field='rate-limit']")).getText()).isEqualTo("10 per second");
    browser.screenshot("restricted-token");
    // through the core: dave holds read and write, the token carries only read, only from 10/8, 10 a second
    dev.latchkey.Token stored = world.manager.getToken(dev.latchkey.Actor.system(), ref);
    assertThat(stored.restriction()).isEqualTo(dev.latchkey.Restriction.permissions("read").withAllowedAddresses("10.0.0.0/8"));
    assertThat(stored.rateLimit()).isEqualTo(dev.latchkey.RateLimit.of(10, Duration.ofSeconds(1)));
    Verified inside = (Verified) world.latchkey.verifier().verify(value, dev.latchkey.RequestContext.fromAddress("10.20.30.40"));
    assertThat(inside.permissions()).containsExactly("read");
    assertThat(world.latchkey.verifier().verify(value, dev.latchkey.RequestContext.fromAddress("192.0.2.1")))
        .isInstanceOf(dev.latchkey.Rejected.class);
    assertRefused(value); // the API's own bearer check sees 127.0.0.1, outside the allow-list

    // Edit: the form shows the current values; narrow the addresses and remove the limit.
    browser.menu("More Options for token Reader", "Edit");
    assertThat(browser.field("Permissions").getAttribute("value")).isEqualTo("read");
    assertThat(browser.field("Allowed addresses (optional)").getAttribute("value")).isEqualTo("10.0.0.0/8");
    assertThat(browser.field("Requests").getAttribute("value")).isEqualTo("10");
    browser.type("Allowed addresses (optional)", "10.1.0.0/16");
    browser.field("Requests").clear();
    browser.act(() -> browser.press("Save"));
    status("Token Reader saved");
    browser.waitUntil("the narrowed range is shown", () -> tokenRow("Reports", "Reader")
        .findElement(By.cssSelector("[data-field='allowed-from']")).getText().equals("10.1.0.0/16"));
    assertThat(tokenRow("Reports", "Reader").findElements(By.cssSelector("[data-field='rate-limit']"))).isEmpty();
    stored = world.manager.getToken(dev.latchkey.Actor.system(), ref);
    assertThat(stored.restriction()).isEqualTo(dev.latchkey.Restriction.permissions("read").withAllowedAddresses("10.1.0.0/16"));
    assertThat(stored.rateLimit()).isNull();
    assertThat(world.latchkey.verifier().verify(value, dev.latchkey.RequestContext.fromAddress("10.20.30.40")))
        .as("inside 10/8, outside the narrowed 10.1/16").isInstanceOf(dev.latchkey.Rejected.class);

    assertThat(browser.consoleMessages()).as("no script errors or CSP violations")
        .noneMatch(m -> m.startsWith("SEVERE") || m.contains("Content Security Policy"));

    // A permission dave does not hold: the API's refusal is shown in the dialog, which stays open; nothing changes.
    browser.menu("More Options for token Reader", "Edit");
    browser.type("Permissions", "read, admin");
    browser.press("Save");
    browser.waitFor(By.cssSelector("dialog[open] [role=alert]:not(:empty)"));
    assertThat(browser.dialog().getText()).contains("does not hold permission 'admin'");
    browser.press("Cancel");
    browser.waitGone(Browser.OPEN_DIALOG);
    assertThat(world.manager.getToken(dev.latchkey.Actor.system(), ref).restriction().permissions()).containsExactly("read");
    assertThat(browser.consoleMessages()).as("only the refused request (400), no script errors or CSP violations")
        .allMatch(m -> !m.startsWith("SEVERE") || m.contains("status of 400"))
        .noneMatch(m -> m.contains("Content Security Policy"));
  }

  @Test
  void menusWorkWithTheKeyboardAndEscapeReturnsFocus() {
    signIn(World.ALICE, "my-api-keys.html");
    createKey("Keyboard", "Keyboard", "", "");
    WebElement more = browser.waitFor(By.cssSelector("button.more[aria-label='More Options for API key Keyboard']"));
    more.sendKeys(Keys.ENTER);
    WebElement first = browser.driver.switchTo().activeElement();
    assertThat(first.getText()).isEqualTo("Edit");
    first.sendKeys(Keys.ARROW_DOWN);
    assertThat(browser.driver.switchTo().activeElement().getText()).isEqualTo("Delete");
    browser.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    assertThat(more.getAttribute("aria-expanded")).isEqualTo("false");
    assertThat(browser.driver.switchTo().activeElement()).isEqualTo(more);
    // A dialog: Escape closes it and focus returns to where it was.
    browser.find(By.id("new-api-key")).click();
    browser.dialog();
    browser.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    browser.waitGone(Browser.OPEN_DIALOG);
    assertThat(browser.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("new-api-key");
    // Errors from the API are shown in the dialog, which stays open; nothing is created.
    browser.find(By.id("new-api-key")).click();
    browser.type("Name", "Keyboard");
    browser.press("Save");
    browser.waitFor(By.cssSelector("dialog[open] [role=alert]:not(:empty)"));
    assertThat(browser.dialog().getText()).contains("already exists");
    browser.press("Cancel");
    assertThat(browser.findAll(By.cssSelector("li.key"))).hasSize(1);
    List<String> messages = browser.consoleMessages();
    assertThat(messages).noneMatch(m -> m.contains("Content Security Policy"));
  }
}
