package ai.sutazai.inference.ollama;

import akka.NotUsed;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.MediaType;
import akka.http.javadsl.model.MediaTypes;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Framing;
import akka.stream.javadsl.FramingTruncation;
import akka.util.ByteString;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Newline-delimited JSON as Ollama streams it: one compact JSON object per line, each followed by
 * {@code \n}, Content-Type {@code application/x-ndjson}, no terminator line. Also the SSE framing of the
 * OpenAI-compatible endpoints ({@code data: <json>\n\n}, ended by {@code data: [DONE]\n\n}).
 */
public final class Ndjson {
  private Ndjson() {}

  /** The Go client reads lines with an 8 MB buffer; lines longer than this are a protocol error. */
  public static final int MAX_LINE_BYTES = 8 * 1024 * 1024;

  public static final MediaType.WithFixedCharset MEDIA_TYPE =
      MediaTypes.applicationWithFixedCharset("x-ndjson", HttpCharsets.UTF_8, "ndjson");
  /** {@code application/x-ndjson}. */
  public static final ContentType CONTENT_TYPE = ContentTypes.create(MEDIA_TYPE);
  /** {@code text/event-stream} for the OpenAI-compatible streams. */
  public static final ContentType SSE_CONTENT_TYPE = ContentTypes.create(MediaTypes.TEXT_EVENT_STREAM);
  /** The last SSE event of an OpenAI-compatible stream. */
  public static final ByteString SSE_DONE = ByteString.fromString("data: [DONE]\n\n");

  private static final ObjectMapper JSON = ai.sutazai.common.JsonMappers.plain();

  /** One NDJSON line: the compact JSON and a newline. */
  public static ByteString line(JsonNode node) {
    try {
      return ByteString.fromArrayUnsafe(JSON.writeValueAsBytes(node)).concat(NEWLINE);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One SSE event {@code data: <json>\n\n}. */
  public static ByteString sseEvent(JsonNode node) {
    try {
      return DATA.concat(ByteString.fromArrayUnsafe(JSON.writeValueAsBytes(node))).concat(BLANK_LINE);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Splits a byte stream into lines (without the newline); a final line without newline is kept. */
  public static Flow<ByteString, ByteString, NotUsed> lines() {
    return Framing.delimiter(NEWLINE, MAX_LINE_BYTES, FramingTruncation.ALLOW);
  }

  private static final ByteString NEWLINE = ByteString.fromString("\n");
  private static final ByteString DATA = ByteString.fromString("data: ");
  private static final ByteString BLANK_LINE = ByteString.fromString("\n\n");
}
