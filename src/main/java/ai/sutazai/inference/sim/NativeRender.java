package ai.sutazai.inference.sim;

import ai.sutazai.inference.ollama.OllamaTime;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * The JSON objects of {@code /api/generate} and {@code /api/chat}, with Ollama's field order (as in the
 * examples): chunks, final chunks with metrics (zero metrics left out, as Go's omitempty does), load and
 * unload answers, and the error line.
 */
final class NativeRender {
  private NativeRender() {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** One generate chunk for a token. */
  static ObjectNode generateChunk(String model, Generation.Event e) {
    ObjectNode o = head(model);
    if (e.kind() == Generation.Kind.THINKING) {
      o.put("response", "").put("thinking", e.text());
    } else {
      o.put("response", e.text());
    }
    return o.put("done", false);
  }

  /** The generate answer with done=true: the final chunk (text "") or the whole non-streamed answer. */
  static ObjectNode generateFinal(String model, String text, String thinking, Generation.Metrics m,
      String contextSeed) {
    ObjectNode o = head(model).put("response", text);
    if (!thinking.isEmpty()) {
      o.put("thinking", thinking);
    }
    o.put("done", true).put("done_reason", m.doneReason());
    o.set("context", SimText.context(contextSeed, m.promptEvalCount() + m.evalCount()));
    return metrics(o, m);
  }

  /** One chat chunk for a token or the tool calls. */
  static ObjectNode chatChunk(String model, Generation.Event e) {
    ObjectNode o = head(model);
    ObjectNode msg = o.putObject("message").put("role", "assistant");
    switch (e.kind()) {
      case THINKING -> msg.put("content", "").put("thinking", e.text());
      case TOOL_CALLS -> msg.put("content", "").set("tool_calls", e.toolCalls());
      default -> msg.put("content", e.text());
    }
    return o.put("done", false);
  }

  /** The chat answer with done=true: final chunk or whole non-streamed answer. */
  static ObjectNode chatFinal(String model, String content, String thinking, ArrayNode toolCalls,
      Generation.Metrics m) {
    ObjectNode o = head(model);
    ObjectNode msg = o.putObject("message").put("role", "assistant").put("content", content);
    if (!thinking.isEmpty()) {
      msg.put("thinking", thinking);
    }
    if (toolCalls != null && !toolCalls.isEmpty()) {
      msg.set("tool_calls", toolCalls);
    }
    o.put("done_reason", m.doneReason()).put("done", true);
    return metrics(o, m);
  }

  /** {@code done_reason} "load" or "unload" for an empty generate prompt (examples 06, 07). */
  static ObjectNode generateLoad(String model, String reason) {
    return head(model).put("response", "").put("done", true).put("done_reason", reason);
  }

  /** {@code done_reason} "load" or "unload" for empty chat messages (examples 12, 13). */
  static ObjectNode chatLoad(String model, String reason) {
    ObjectNode o = head(model);
    o.putObject("message").put("role", "assistant").put("content", "");
    return o.put("done_reason", reason).put("done", true);
  }

  static ObjectNode errorLine(String message) {
    return NODES.objectNode().put("error", message);
  }

  /** Joins token texts of one kind. */
  static String join(List<Generation.Event> events, Generation.Kind kind) {
    StringBuilder sb = new StringBuilder();
    for (Generation.Event e : events) {
      if (e.kind() == kind) {
        sb.append(e.text());
      }
    }
    return sb.toString();
  }

  private static ObjectNode head(String model) {
    return NODES.objectNode().put("model", model).put("created_at", OllamaTime.utc(Instant.now()));
  }

  private static ObjectNode metrics(ObjectNode o, Generation.Metrics m) {
    putIfNonZero(o, "total_duration", m.totalNanos());
    putIfNonZero(o, "load_duration", m.loadNanos());
    putIfNonZero(o, "prompt_eval_count", m.promptEvalCount());
    putIfNonZero(o, "prompt_eval_duration", m.promptEvalNanos());
    putIfNonZero(o, "eval_count", m.evalCount());
    putIfNonZero(o, "eval_duration", m.evalNanos());
    return o;
  }

  private static void putIfNonZero(ObjectNode o, String field, long value) {
    if (value != 0) {
      o.put(field, value);
    }
  }
}
