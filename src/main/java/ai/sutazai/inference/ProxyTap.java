package ai.sutazai.inference;

import akka.stream.Attributes;
import akka.stream.FlowShape;
import akka.stream.Inlet;
import akka.stream.Outlet;
import akka.stream.stage.AbstractInHandler;
import akka.stream.stage.AbstractOutHandler;
import akka.stream.stage.GraphStage;
import akka.stream.stage.GraphStageLogic;
import akka.util.ByteString;

/**
 * Passes a proxied response body through unchanged, chunk by chunk as it arrives (no buffering, demand
 * flows upstream), and tells a {@link Listener} what happened: first byte, normal end (with the last few
 * KB, where Ollama puts {@code eval_count}), failure (the listener gives the final error line that is
 * emitted before the stream completes normally) or cancellation by the client (which also cancels the
 * upstream request, closing its connection so the worker stops generating).
 */
public final class ProxyTap extends GraphStage<FlowShape<ByteString, ByteString>> {
  /** Bytes kept from the end of the body. */
  static final int TAIL_BYTES = 4096;

  /** Callbacks, each called at most once, from the stream's thread. */
  public interface Listener {
    void firstByte();

    void finished(ByteString tail);

    /** @return the bytes to append as the final line, or null to fail the stream */
    ByteString failed(Throwable cause);

    void cancelled();
  }

  private final Inlet<ByteString> in = Inlet.create("ProxyTap.in");
  private final Outlet<ByteString> out = Outlet.create("ProxyTap.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
  private final Listener listener;

  public ProxyTap(Listener listener) {
    this.listener = listener;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new GraphStageLogic(shape) {
      private boolean seen;
      private boolean over;
      private ByteString tail = ByteString.emptyByteString();

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            ByteString chunk = grab(in);
            if (!seen) {
              seen = true;
              listener.firstByte();
            }
            if (chunk.length() >= TAIL_BYTES) {
              tail = chunk.takeRight(TAIL_BYTES);
            } else {
              ByteString t = tail.concat(chunk);
              tail = t.length() > TAIL_BYTES ? t.takeRight(TAIL_BYTES) : t;
            }
            push(out, chunk);
          }

          @Override
          public void onUpstreamFinish() {
            over = true;
            listener.finished(tail);
            completeStage();
          }

          @Override
          public void onUpstreamFailure(Throwable ex) {
            over = true;
            ByteString line = listener.failed(ex);
            if (line == null) {
              failStage(ex);
            } else {
              emit(out, line, () -> completeStage());
            }
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(in);
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            if (!over) {
              over = true;
              listener.cancelled();
            }
            cancelStage(cause);
          }
        });
      }
    };
  }
}
