package dev.farmapi.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.server.ApiException;
import dev.farmapi.server.store.Ids;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The retry-test registry of the fault-injection API: each test holds one FIFO queue of
 * {@link Fault}s per method id. A fault is consumed when it fires; one that cannot fire on a
 * given request (a final-chunk fault on a non-final chunk) waits for one where it can.
 */
final class RetryTests {
  private final Map<String, RetryTest> tests = new ConcurrentHashMap<>();

  RetryTest create(ObjectNode body) {
    JsonNode instructions = body.get("instructions");
    if (!(instructions instanceof ObjectNode byMethod)) {
      throw ApiException.badRequest("invalidInstruction", "send {\"instructions\":"
          + " {\"farm.animals.insert\": [\"return-503\"]}}");
    }
    Map<String, Deque<Fault>> queues = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = byMethod.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> method = it.next();
      if (!method.getValue().isArray()) {
        throw ApiException.badRequest("invalidInstruction", "instructions for "
            + Texts.excerpt(method.getKey()) + " must be an array of strings");
      }
      Deque<Fault> queue = new ArrayDeque<>();
      method.getValue().forEach(text -> queue.add(Fault.parse(text.textValue())));
      queues.put(method.getKey(), queue);
    }
    RetryTest test = new RetryTest(Ids.uploadId(), queues);
    tests.put(test.id, test);
    return test;
  }

  Optional<RetryTest> get(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(tests.get(id));
  }

  boolean delete(String id) {
    return tests.remove(id) != null;
  }

  /** One scripted test. */
  static final class RetryTest {
    final String id;
    private final Map<String, Deque<Fault>> queues; // guarded by this

    RetryTest(String id, Map<String, Deque<Fault>> queues) {
      this.id = id;
      this.queues = queues;
    }

    /** Consumes and returns the head fault for {@code methodId} if {@code canFire} accepts it. */
    synchronized Optional<Fault> take(String methodId, Predicate<Fault> canFire) {
      Deque<Fault> queue = queues.get(methodId);
      if (queue == null || queue.isEmpty() || !canFire.test(queue.peekFirst())) {
        return Optional.empty();
      }
      return Optional.of(queue.pollFirst());
    }

    synchronized ObjectNode toJson() {
      ObjectNode json = Json.object().put("id", id);
      ObjectNode instructions = json.putObject("instructions");
      boolean completed = true;
      for (Map.Entry<String, Deque<Fault>> q : queues.entrySet()) {
        var array = instructions.putArray(q.getKey());
        q.getValue().forEach(f -> array.add(f.text()));
        completed &= q.getValue().isEmpty();
      }
      return json.put("completed", completed);
    }
  }
}
