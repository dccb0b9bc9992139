package ai.sutazai.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
  @Test
  void unwrapStripsFutureWrappersOnly() {
    IllegalStateException cause = new IllegalStateException("boom");
    assertSame(cause, Concurrency.unwrap(cause));
    assertSame(cause, Concurrency.unwrap(new CompletionException(cause)));
    assertSame(cause, Concurrency.unwrap(new ExecutionException(cause)));
    assertSame(cause, Concurrency.unwrap(new CompletionException(new ExecutionException(cause))));
    RuntimeException other = new RuntimeException(cause);
    assertSame(other, Concurrency.unwrap(other));
    CompletionException empty = new CompletionException("no cause", null);
    assertSame(empty, Concurrency.unwrap(empty));
  }

  @Test
  void askTimeoutDefaultsToFiveSecondsAndIsConfigurable() {
    ActorTestKit kit = ActorTestKit.create();
    try {
      assertEquals(Duration.ofSeconds(5), Concurrency.askTimeout(kit.system()));
      assertNotNull(Concurrency.blocking(kit.system()));
    } finally {
      kit.shutdownTestKit();
    }
    ActorTestKit tuned = ActorTestKit.create(ConfigFactory.parseString("sutazai.ask-timeout = 750ms"));
    try {
      assertEquals(Duration.ofMillis(750), Concurrency.askTimeout(tuned.system()));
    } finally {
      tuned.shutdownTestKit();
    }
  }
}
