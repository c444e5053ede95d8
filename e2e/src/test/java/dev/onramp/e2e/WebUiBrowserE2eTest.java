package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.aws.AwsSettings;
import dev.onramp.activities.materialize.MaterializeSettings;
import dev.onramp.activities.pg.PgTls;
import dev.onramp.worker.ProductionActivities;
import dev.onramp.worker.core.TemporalWorker;
import dev.onramp.workflows.OnboardingProgress;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.OnboardingStatus;
import dev.onramp.workflows.OnboardingStep;
import dev.onramp.workflows.RebootPolicy;
import dev.onramp.workflows.TableSelection;
import dev.onramp.workflows.WaitSettings;
import dev.onramp.workflows.client.OnboardingClient;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Temporal Web UI as a person uses it, in headless Chromium (Debian's chromium and
 * chromium-driver, installed by scripts/install-tools): an onboarding that waits for approval is
 * listed; its detail page shows the summary and, in the current details, the step it is on and the
 * pending approval; the approval is given with the UI's own "Send a Signal" ({@code rebootDecision}
 * with a JSON payload); the run completes. Screenshots go to {@code e2e/target/screenshots/}.
 */
class WebUiBrowserE2eTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final String APPROVER = "web-ui-browser-test";

  /** README's other saved views. */
  static final java.util.List<String> OTHER_VIEWS =
      java.util.List.of(
          "WorkflowType = \"OnboardingWorkflow\" AND ExecutionStatus = \"Running\""
              + " AND OnboardingStatus = \"WAITING_FOR_MAINTENANCE_WINDOW\"",
          "WorkflowType IN (\"OnboardingWorkflow\", \"OffboardingWorkflow\")"
              + " AND ExecutionStatus = \"Failed\"",
          "WorkflowType = \"VerificationWorkflow\" AND VerificationStatus != \"HEALTHY\"");

  /** README's saved view "waiting for approval". */
  static final String WAITING_FOR_APPROVAL_VIEW =
      "WorkflowType = \"OnboardingWorkflow\" AND ExecutionStatus = \"Running\""
          + " AND OnboardingStatus = \"WAITING_FOR_APPROVAL\"";

  @TempDir Path dir;
  private WebDriver browser;
  private Path screenshots;

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void aPersonFollowsAndApprovesAnOnboardingInTheWebUi() throws Exception {
    assertThat(CHROMIUM).as("Chromium (scripts/install-tools installs it)").isExecutable();
    assertThat(CHROMEDRIVER).as("chromedriver (scripts/install-tools installs it)").isExecutable();
    screenshots = Files.createDirectories(Path.of("target", "screenshots").toAbsolutePath());
    System.out.println("WebUiBrowserE2eTest: screenshots in " + screenshots);

    try (E2eEnvironment env = E2eEnvironment.withWebUi(dir, Duration.ofSeconds(2));
        // The worker in this JVM (no process to kill here; a second JVM would only cost time).
        ProductionActivities activities = activities(env)) {
      TemporalWorker worker =
          new TemporalWorker(
              env.temporal.client(),
              env.taskQueue,
              activities.implementations(),
              Duration.ofSeconds(10));
      worker.start();
      try {
        run(env);
      } finally {
        worker.stop();
      }
    }
  }

  private static ProductionActivities activities(E2eEnvironment env) {
    return new ProductionActivities(
        new AwsSettings(env.aws.endpoint(), Duration.ofSeconds(30), 8),
        new MaterializeSettings(
            env.mz.host(),
            env.mz.port(),
            env.mz.user(),
            env.mz.password(),
            "materialize",
            env.mzSslMode(),
            env.mz.caCertificate() == null ? null : env.mz.caCertificate().toString()),
        new PgTls("verify-full", env.aws.caCertificate().toString()),
        Map.of(),
        env.temporal.client(),
        env.taskQueue);
  }

  private void run(E2eEnvironment env) throws Exception {
    OnboardingClient client = new OnboardingClient(env.temporal.client(), env.taskQueue);
    String id = client.start(request());
    browser = chromium(); // starts while the onboarding gets to its approval
    awaitStatus(client, id, OnboardingStatus.WAITING_FOR_APPROVAL);
    log("the onboarding waits for approval");
    // README's saved views, exactly as written there.
    awaitListed(env, WAITING_FOR_APPROVAL_VIEW, id, true);
    awaitListed(env, "DbInstance = \"e2e-db\"", id, true);
    // The README's other views are queries the server accepts.
    for (String view : OTHER_VIEWS) {
      assertThat(env.temporal.client().listExecutions(view).count()).as(view).isNotNegative();
    }
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));

    // The list: the run is there (visibility lags a moment behind the start).
    String list = env.temporal.webUi() + "/namespaces/default/workflows";
    browser.get(list);
    Instant reload = Instant.now().plusSeconds(5);
    Instant giveUp = Instant.now().plusSeconds(60);
    while (!bodyText().contains(id)) {
      if (Instant.now().isAfter(giveUp)) {
        screenshot("1-workflow-list-failed.png");
        throw new AssertionError("the list never showed " + id + ":\n" + bodyText());
      }
      if (Instant.now().isAfter(reload)) {
        browser.navigate().refresh();
        reload = Instant.now().plusSeconds(5);
      }
      Thread.sleep(250);
    }
    log("the list shows " + id);
    screenshot("1-workflow-list.png");

    // Its detail page, reached as a person would: by the link in the list.
    visible(By.xpath("//a[normalize-space(.)='" + id + "']"), wait).click();
    visible(By.xpath("//*[normalize-space(text())='User Metadata']"), wait).click();
    assertThat(frameText("user-metadata-summary", "onboard", wait))
        .contains("onboard e2e-db/shop into Materialize");
    String waiting = frameText("user-metadata-current-details", "WAITING_FOR_APPROVAL", wait);
    assertThat(waiting)
        .contains("WAITING_FOR_APPROVAL · step 4 of 11: Associate the parameter group")
        .contains("Waiting for approval to reboot e2e-db")
        .contains("onramp approve " + id)
        .contains("Send a Signal named rebootDecision")
        .contains("4. Associate the parameter group, pass the reboot gate")
        .contains("WAITING");
    screenshot("2-current-details-waiting-for-approval.png");
    log("the detail page shows the step and the pending approval");

    // The approval, with the UI's own Send a Signal.
    visible(By.cssSelector("button[aria-controls='workflow-actions']"), wait).click();
    visible(By.xpath("//*[@role='menuitem'][normalize-space(.)='Send a Signal']"), wait).click();
    visible(By.cssSelector("[data-testid='signal-select-button']"), wait).click();
    visible(By.xpath("//*[@role='option'][normalize-space(.)='rebootDecision']"), wait).click();
    WebElement data = visible(By.cssSelector(".cm-content[aria-label='Data']"), wait);
    data.click();
    // The editor closes brackets and quotes itself; typing the closing ones steps over them.
    data.sendKeys("{\"approved\": true, \"by\": \"" + APPROVER + "\"}");
    screenshot("3-send-a-signal.png");
    visible(
            By.xpath(
                "//*[@id='signal-confirmation-modal' or @data-testid='signal-confirmation-modal']"
                    + "//button[normalize-space(.)='Submit']"),
            wait)
        .click();

    log("signal sent from the UI");
    OnboardingProgress done = awaitStatus(client, id, OnboardingStatus.COMPLETED);
    log("the onboarding completed");
    awaitListed(env, WAITING_FOR_APPROVAL_VIEW, id, false);
    assertThat(done.step(OnboardingStep.ASSOCIATE_AND_GATE).message())
        .isEqualTo("reboot approved by " + APPROVER);

    browser.navigate().refresh();
    visible(By.xpath("//*[normalize-space(text())='User Metadata']"), wait).click();
    assertThat(frameText("user-metadata-current-details", "COMPLETED", wait))
        .contains("COMPLETED")
        .doesNotContain("Send a Signal");
    screenshot("4-current-details-completed.png");
  }

  private static OnboardingRequest request() {
    return OnboardingRequest.of(
            E2eEnvironment.REGION,
            E2eEnvironment.INSTANCE,
            E2eEnvironment.DATABASE,
            TableSelection.tables("orders"))
        .withRebootPolicy(RebootPolicy.APPROVAL)
        .withReverifyEvery(Duration.ZERO)
        .withWaits(
            new WaitSettings(
                Duration.ofSeconds(1),
                Duration.ofMinutes(5),
                Duration.ofSeconds(1),
                Duration.ofMinutes(5),
                Duration.ofMinutes(30)));
  }

  private WebDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1100",
        "--user-data-dir=" + dir.resolve("chromium-profile"));
    // The driver is Debian's, matching its Chromium: nothing is downloaded (no Selenium Manager).
    ChromeDriverService driver =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .withLogFile(dir.resolve("chromedriver.log").toFile())
            .build();
    return new ChromeDriver(driver, options);
  }

  /** The first displayed element matching {@code by}, once there is one. */
  private WebElement visible(By by, WebDriverWait wait) {
    return wait.until(
        b -> b.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
  }

  /**
   * The text of a user-metadata iframe (the UI renders the markdown in one), once it contains
   * {@code expected}.
   */
  private String frameText(String frameId, String expected, WebDriverWait wait) {
    String[] last = {""};
    try {
      wait.until(
          b -> {
            try {
              b.switchTo().frame(b.findElement(By.id(frameId)));
              last[0] = b.findElement(By.tagName("body")).getText();
            } catch (RuntimeException notYet) {
              return false;
            } finally {
              b.switchTo().defaultContent();
            }
            return last[0].contains(expected);
          });
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(
          frameId + " never showed '" + expected + "'; last read:\n" + last[0], e);
    }
    return last[0];
  }

  private final Instant began = Instant.now();

  private void log(String what) {
    System.out.println(
        "WebUiBrowserE2eTest: +"
            + Duration.between(began, Instant.now()).toMillis()
            + " ms "
            + what);
  }

  private String bodyText() {
    return browser.findElement(By.tagName("body")).getText();
  }

  private void screenshot(String name) throws Exception {
    Path file = screenshots.resolve(name);
    Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    System.out.println("WebUiBrowserE2eTest: screenshot " + file);
  }

  /** Waits (visibility lags a moment) until {@code query} lists {@code id}, or no longer does. */
  private static void awaitListed(E2eEnvironment env, String query, String id, boolean listed)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      boolean found =
          env.temporal
              .client()
              .listExecutions(query)
              .anyMatch(e -> e.getExecution().getWorkflowId().equals(id));
      if (found == listed) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(query + (listed ? " never listed " : " still lists ") + id);
      }
      Thread.sleep(250);
    }
  }

  private static OnboardingProgress awaitStatus(
      OnboardingClient client, String id, OnboardingStatus status) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(90);
    Supplier<OnboardingProgress> read = () -> client.progress(id);
    OnboardingProgress p = null;
    while (Instant.now().isBefore(deadline)) {
      p = read.get();
      if (p.status() == status) {
        return p;
      }
      if (p.status() == OnboardingStatus.FAILED || p.status() == OnboardingStatus.CANCELLED) {
        break;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("never reached " + status + ": " + p);
  }
}
