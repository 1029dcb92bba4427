package dev.berth.storage.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The lifecycle shared by the driver contract classes: a fresh driver for each test over an empty
 * key space, and after each test the check that nothing is left behind. Driver tests extend {@link
 * StorageDriverContract}, not this class.
 *
 * <p>Each test states at its end which objects it meant to leave ({@link #expectRemaining}, nothing
 * by default). After each test the key space is walked from the root and anything else fails the
 * test; then {@link #assertNoHiddenLeftovers} looks for leaks the driver's own listing cannot show
 * (temporary files, pending multipart uploads).
 */
public abstract class DriverContractSupport {

  /** The driver under test, fresh for every test. */
  protected StorageDriver driver;

  private final Set<String> expectedRemaining = new HashSet<>();

  /** Creates the driver for one test over an empty key space. */
  protected abstract StorageDriver createDriver() throws Exception;

  /**
   * Checks what the driver's listing cannot show: called after each test with the objects the test
   * meant to leave. Drivers with temporary objects override this; by default it checks nothing.
   */
  protected void assertNoHiddenLeftovers(Set<String> expectedObjects) throws Exception {}

  /**
   * Releases what {@link #createDriver()} set up. Called after each test, also when it failed; by
   * default closes the driver.
   */
  protected void destroyDriver(StorageDriver driver) throws Exception {
    driver.close();
  }

  /** Declares objects the current test means to leave behind. */
  protected final void expectRemaining(String... paths) {
    expectedRemaining.addAll(List.of(paths));
  }

  @BeforeEach
  final void setUpDriver() throws Exception {
    driver = createDriver();
    assertThat(driver.list(StorageKeys.ROOT)).as("a new driver's key space").isEmpty();
  }

  @AfterEach
  final void checkNothingLeftBehind() throws Exception {
    try {
      assertThat(objectsBelowRoot())
          .as("objects left behind")
          .containsExactlyInAnyOrderElementsOf(expectedRemaining);
      assertNoHiddenLeftovers(Set.copyOf(expectedRemaining));
    } finally {
      destroyDriver(driver);
    }
  }

  /** Every object (not directory) below the root, found through the driver's own walk. */
  protected final Set<String> objectsBelowRoot() {
    Set<String> objects = new HashSet<>();
    driver.walk(
        StorageKeys.ROOT,
        info -> {
          if (!info.directory()) {
            objects.add(info.path());
          }
          return true;
        });
    return objects;
  }

  /** Reads an object from {@code offset} to its end. */
  protected final byte[] readAll(String path, long offset) throws IOException {
    try (InputStream in = driver.reader(path, offset)) {
      return in.readAllBytes();
    }
  }
}
