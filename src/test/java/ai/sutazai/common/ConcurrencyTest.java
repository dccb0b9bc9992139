package ai.sutazai.common;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
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
  void blockingIsTheBlockingDispatcher() {
    ActorTestKit kit = ActorTestKit.create();
    try {
      assertNotNull(Concurrency.blocking(kit.system()));
    } finally {
      kit.shutdownTestKit();
    }
  }
}
