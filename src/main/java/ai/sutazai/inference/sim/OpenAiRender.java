package ai.sutazai.inference.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON objects of {@code /v1/chat/completions} ({@code chat}) and {@code /v1/completions}: stream chunks,
 * the finish and usage chunks, and the whole answer. One instance per request (same id and created).
 */
final class OpenAiRender {
  private final boolean chat;
  private final String id;
  private final String model;
  private final long created;

  OpenAiRender(boolean chat, String n, String model, long createdSeconds) {
    this.chat = chat;
    this.id = (chat ? "chatcmpl-" : "cmpl-") + n;
    this.model = model;
    this.created = createdSeconds;
  }

  ObjectNode chunk(Generation.Event e) {
    ObjectNode o = head(chat ? "chat.completion.chunk" : "text_completion");
    ObjectNode choice = o.putArray("choices").addObject().put("index", 0);
    if (chat) {
      ObjectNode delta = choice.putObject("delta").put("role", "assistant");
      switch (e.kind()) {
        case THINKING -> delta.put("content", "").put("reasoning", e.text());
        case TOOL_CALLS -> delta.put("content", "").set("tool_calls", toolCalls(e.toolCalls()));
        default -> delta.put("content", e.text());
      }
    } else {
      choice.put("text", e.text());
    }
    choice.putNull("finish_reason");
    return o;
  }

  ObjectNode finishChunk(String finishReason) {
    ObjectNode o = head(chat ? "chat.completion.chunk" : "text_completion");
    ObjectNode choice = o.putArray("choices").addObject().put("index", 0);
    if (chat) {
      choice.putObject("delta");
    } else {
      choice.put("text", "");
    }
    choice.put("finish_reason", finishReason);
    return o;
  }

  ObjectNode usageChunk(Generation.Metrics m) {
    ObjectNode o = head(chat ? "chat.completion.chunk" : "text_completion");
    o.putArray("choices");
    usage(o, m);
    return o;
  }

  ObjectNode whole(String content, String reasoning, ArrayNode toolCalls, String finishReason,
      Generation.Metrics m) {
    ObjectNode o = head(chat ? "chat.completion" : "text_completion");
    ObjectNode choice = o.putArray("choices").addObject();
    if (chat) {
      choice.put("index", 0);
      ObjectNode msg = choice.putObject("message").put("role", "assistant").put("content", content);
      if (!reasoning.isEmpty()) {
        msg.put("reasoning", reasoning);
      }
      if (toolCalls != null) {
        msg.set("tool_calls", toolCalls(toolCalls));
      }
    } else {
      choice.put("text", content).put("index", 0);
    }
    choice.put("finish_reason", finishReason);
    usage(o, m);
    return o;
  }

  /** Native tool calls to OpenAI's: an id, an index, type function, arguments as a JSON string. */
  private ArrayNode toolCalls(ArrayNode nativeCalls) {
    ArrayNode out = SimText.JSON.createArrayNode();
    int i = 0;
    for (JsonNode call : nativeCalls) {
      ObjectNode c = out.addObject().put("id", "call_" + Integer.toString(Math.abs((id + i).hashCode()), 36))
          .put("index", i).put("type", "function");
      c.putObject("function").put("name", call.path("function").path("name").asText())
          .put("arguments", call.path("function").path("arguments").toString());
      i++;
    }
    return out;
  }

  private ObjectNode head(String object) {
    return SimText.JSON.createObjectNode().put("id", id).put("object", object).put("created", created)
        .put("model", model).put("system_fingerprint", "fp_ollama");
  }

  private static void usage(ObjectNode o, Generation.Metrics m) {
    o.putObject("usage").put("prompt_tokens", m.promptEvalCount()).put("completion_tokens", m.evalCount())
        .put("total_tokens", m.promptEvalCount() + m.evalCount());
  }
}
