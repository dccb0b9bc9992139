package ai.sutazai.api;

import ai.sutazai.common.Version;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Generates the OpenAPI 3.0 document from {@link ApiCatalog}; schemas come from the view records. */
final class OpenApi {
  private OpenApi() {}

  static ObjectNode document() {
    ObjectNode doc = Json.MAPPER.createObjectNode();
    doc.put("openapi", "3.0.3");
    ObjectNode info = doc.putObject("info");
    info.put("title", "SutazAI Supervisor management API");
    info.put("version", Version.current());
    info.put("description", "Bearer tokens from sutazai.management.auth.tokens: role viewer may GET, role "
        + "operator may also POST/PUT/DELETE. Errors are application/problem+json (type, title, status, "
        + "detail, field). GET /api/v1/events/stream also accepts ?ticket= (single use, 30 s, from "
        + "GET /api/v1/events/ticket) because browsers' EventSource cannot send headers.");
    ObjectNode schemes = doc.putObject("components").putObject("securitySchemes");
    schemes.putObject("bearer").put("type", "http").put("scheme", "bearer");
    Map<String, ObjectNode> schemas = new LinkedHashMap<>();
    schemas.put("Problem", problemSchema());
    ObjectNode paths = doc.putObject("paths");
    for (ApiCatalog.Operation op : ApiCatalog.OPERATIONS) {
      ObjectNode item = paths.has(op.path()) ? (ObjectNode) paths.get(op.path()) : paths.putObject(op.path());
      ObjectNode o = item.putObject(op.method().toLowerCase(java.util.Locale.ROOT));
      o.put("summary", op.summary());
      o.putArray("tags").add(op.tag());
      o.put("operationId", op.method().toLowerCase(java.util.Locale.ROOT) + op.path()
          .replaceAll("[{}]", "").replaceAll("[^A-Za-z0-9]+", "_"));
      if (op.access() == ApiCatalog.Access.PUBLIC) {
        o.putArray("security");
      } else {
        o.putArray("security").addObject().putArray("bearer");
      }
      if (!op.params().isEmpty()) {
        ArrayNode ps = o.putArray("parameters");
        for (ApiCatalog.Param p : op.params()) {
          ObjectNode pn = ps.addObject();
          pn.put("name", p.name()).put("in", p.in()).put("required", p.required()).put("description", p.description());
          pn.putObject("schema").put("type", p.type());
        }
      }
      if (op.requestType() != null) {
        ObjectNode rb = o.putObject("requestBody").put("required", true);
        rb.putObject("content").putObject("application/json").set("schema", schemaOf(op.requestType(), schemas));
      }
      ObjectNode responses = o.putObject("responses");
      ObjectNode ok = responses.putObject(Integer.toString(op.okStatus())).put("description", "success");
      ObjectNode media = ok.putObject("content").putObject(op.mediaType());
      if (op.responseType() != null) {
        ObjectNode schema = schemaOf(op.responseType(), schemas);
        if (op.listOf()) {
          ObjectNode arr = Json.MAPPER.createObjectNode().put("type", "array");
          arr.set("items", schema);
          schema = arr;
        }
        media.set("schema", schema);
      } else {
        media.putObject("schema").put("type", "string");
      }
      if (op.okStatus() == 202) {
        responses.putObject("200").put("description", "already active").putObject("content")
            .putObject("application/json").set("schema", schemaOf(op.responseType(), schemas));
      }
      for (int code : op.errors()) {
        problem(responses, code);
      }
      if (op.access() != ApiCatalog.Access.PUBLIC) {
        problem(responses, 401);
      }
      if (op.access() == ApiCatalog.Access.OPERATOR) {
        problem(responses, 403);
      }
      if (op.path().startsWith("/api/")) {
        problem(responses, 503);
      }
    }
    ObjectNode comps = (ObjectNode) doc.get("components").withObject("/schemas");
    schemas.forEach(comps::set);
    return doc;
  }

  private static void problem(ObjectNode responses, int code) {
    responses.putObject(Integer.toString(code)).put("description", "problem")
        .putObject("content").putObject("application/problem+json").putObject("schema")
        .put("$ref", "#/components/schemas/Problem");
  }

  private static ObjectNode problemSchema() {
    ObjectNode s = Json.MAPPER.createObjectNode().put("type", "object");
    ObjectNode props = s.putObject("properties");
    props.putObject("type").put("type", "string");
    props.putObject("title").put("type", "string");
    props.putObject("status").put("type", "integer");
    props.putObject("detail").put("type", "string");
    props.putObject("field").put("type", "string").put("description", "the offending input, when one was at fault");
    s.putArray("required").add("type").add("title").add("status").add("detail");
    return s;
  }

  /** A schema for a Java type; records become components referenced by name. */
  static ObjectNode schemaOf(Type type, Map<String, ObjectNode> schemas) {
    ObjectNode s = Json.MAPPER.createObjectNode();
    if (type instanceof ParameterizedType pt) {
      Class<?> raw = (Class<?>) pt.getRawType();
      if (java.util.List.class.isAssignableFrom(raw)) {
        s.put("type", "array").set("items", schemaOf(pt.getActualTypeArguments()[0], schemas));
      } else if (Map.class.isAssignableFrom(raw)) {
        s.put("type", "object").set("additionalProperties", schemaOf(pt.getActualTypeArguments()[1], schemas));
      } else {
        s.put("type", "object");
      }
      return s;
    }
    Class<?> c = (Class<?>) type;
    if (c == String.class) {
      s.put("type", "string");
    } else if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
      s.put("type", "integer").put("format", c == int.class || c == Integer.class ? "int32" : "int64");
    } else if (c == double.class || c == Double.class) {
      s.put("type", "number");
    } else if (c == boolean.class || c == Boolean.class) {
      s.put("type", "boolean");
    } else if (c == Instant.class) {
      s.put("type", "string").put("format", "date-time");
    } else if (c.isEnum()) {
      ArrayNode values = s.put("type", "string").putArray("enum");
      for (Object v : c.getEnumConstants()) {
        values.add(((Enum<?>) v).name());
      }
    } else if (c.isRecord()) {
      String name = c.getName().substring(c.getName().lastIndexOf('.') + 1).replace('$', '_');
      if (!schemas.containsKey(name)) {
        ObjectNode r = Json.MAPPER.createObjectNode().put("type", "object");
        schemas.put(name, r);
        ObjectNode props = r.putObject("properties");
        ArrayNode required = r.putArray("required");
        for (RecordComponent rc : c.getRecordComponents()) {
          props.set(rc.getName(), schemaOf(rc.getGenericType(), schemas));
          if (rc.getType().isPrimitive()) {
            required.add(rc.getName());
          }
        }
        r.put("additionalProperties", false);
      }
      s.put("$ref", "#/components/schemas/" + name);
    } else {
      s.put("type", "object").put("description", "free-form JSON");
    }
    return s;
  }
}
