package ai.sutazai.inference;

import ai.sutazai.inference.ollama.Stages;
import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Starts the inference router: the {@link InferenceRouter} actor (which spawns one {@link OllamaWorker}
 * per configured worker) and the {@link InferenceServer} bound to {@code sutazai.inference.bind:port}.
 *
 * <pre>{@code
 * InferenceModule.start(context, config, gateway)            // inside a guardian
 *     .thenAccept(h -> h.addWorker(WorkerConfig.fromUrl("http://127.0.0.1:11434", 4)));
 * }</pre>
 */
public final class InferenceModule {
  private InferenceModule() {}

  /** Spawns the router as a child of {@code context} (call from the actor's thread) and binds the port. */
  public static CompletionStage<Handle> start(ActorContext<?> context, Config config, AgentGateway gateway) {
    InferenceSettings settings = InferenceSettings.from(config);
    UpstreamHttp http = new UpstreamHttp(context.getSystem(), settings);
    ActorRef<InferenceRouter.Command> router = context.spawn(InferenceRouter.create(settings, http), "inference-router");
    return bind(context.getSystem(), settings, router, gateway, http);
  }

  /** Spawns the router as a system actor of {@code system} (tests, benchmarks) and binds the port. */
  public static CompletionStage<Handle> start(ActorSystem<?> system, Config config, AgentGateway gateway) {
    InferenceSettings settings = InferenceSettings.from(config);
    return start(system, settings, gateway, "inference-router");
  }

  /** As above with settings already read; {@code name} must be unique in the system. */
  public static CompletionStage<Handle> start(ActorSystem<?> system, InferenceSettings settings, AgentGateway gateway,
      String name) {
    UpstreamHttp http = new UpstreamHttp(system, settings);
    Behavior<InferenceRouter.Command> behavior = InferenceRouter.create(settings, http);
    ActorRef<InferenceRouter.Command> router = system.systemActorOf(behavior, name, Props.empty());
    return bind(system, settings, router, gateway, http);
  }

  private static CompletionStage<Handle> bind(ActorSystem<?> system, InferenceSettings settings,
      ActorRef<InferenceRouter.Command> router, AgentGateway gateway, UpstreamHttp http) {
    InferenceServer server = new InferenceServer(system, settings, router, gateway, http);
    return Stages.plain(server.bind()).handle((binding, err) -> {
      if (err != null) {
        router.tell(new InferenceRouter.Stop());
        throw new ai.sutazai.common.UserError("inference router: cannot listen on " + settings.bind() + ":"
            + settings.port() + " (sutazai.inference.bind / port): " + OllamaWorker.rootMessage(err));
      }
      return new Handle(system, router, binding);
    });
  }

  /** A running router. */
  public static final class Handle {
    private final ActorSystem<?> system;
    private final ActorRef<InferenceRouter.Command> router;
    private final ServerBinding binding;
    private final Duration ask;

    Handle(ActorSystem<?> system, ActorRef<InferenceRouter.Command> router, ServerBinding binding) {
      this.system = system;
      this.router = router;
      this.binding = binding;
      this.ask = ai.sutazai.common.Concurrency.askTimeout(system);
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
      return binding.localAddress().getPort();
    }

    public ActorRef<InferenceRouter.Command> router() {
      return router;
    }

    public CompletionStage<Done> addWorker(WorkerConfig worker) {
      return Stages.plain(AskPattern.ask(router, replyTo -> new InferenceRouter.AddWorker(worker, replyTo), ask,
          system.scheduler()));
    }

    public CompletionStage<Done> removeWorker(String name) {
      return Stages.plain(AskPattern.ask(router, replyTo -> new InferenceRouter.RemoveWorker(name, replyTo), ask,
          system.scheduler()));
    }

    public CompletionStage<InferenceMetrics.Snapshot> metrics() {
      return Stages.plain(AskPattern.ask(router, InferenceRouter.GetMetrics::new, ask, system.scheduler()));
    }

    /** The router's queues: waiting requests per model, and each worker's in-flight and queued requests. */
    public CompletionStage<RouterReports.Queue> queue() {
      return Stages.plain(AskPattern.ask(router, InferenceRouter.GetQueue::new, ask, system.scheduler()));
    }

    public CompletionStage<RouterReports.Workers> workers() {
      return Stages.plain(AskPattern.ask(router, InferenceRouter.GetWorkers::new, ask, system.scheduler()));
    }

    /** Unbinds (in-flight responses get {@code hardDeadline} to finish) and stops the router and its workers. */
    public CompletionStage<Done> stop(Duration hardDeadline) {
      return Stages.plain(binding.terminate(hardDeadline)).thenApply(t -> {
        router.tell(new InferenceRouter.Stop());
        return Done.getInstance();
      });
    }

    public CompletionStage<Done> stop() {
      return stop(Duration.ofSeconds(2));
    }
  }
}
