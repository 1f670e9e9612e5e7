package dev.farmapi.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.server.store.ApiKey;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * API keys as operators read them: by public id, never the key, in a table (times to the
 * minute, in this machine's time zone) or as JSON (exact UTC instants).
 */
final class KeyText {
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

  private KeyText() {}

  static String scope(ApiKey key) {
    return key.readOnly() ? "read-only" : "read-write";
  }

  /** active, expired or revoked, as of {@code now}. */
  static String state(ApiKey key, Instant now) {
    return key.isRevoked() ? "revoked" : key.isExpiredAt(now) ? "expired" : "active";
  }

  static String minute(Instant time, String unset) {
    return time == null ? unset : MINUTE.format(time);
  }

  static void table(List<ApiKey> keys, Instant now, PrintStream out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ID", "FARM", "SCOPE", "STATE", "CREATED", "EXPIRES", "LAST USED",
        "NOTE"});
    for (ApiKey k : keys) {
      rows.add(new String[] {AnimalText.clean(k.id()), k.farm(), scope(k), state(k, now),
          minute(k.createTime(), "-"), minute(k.expireTime(), "never"),
          minute(k.lastUseTime(), "never"), AnimalText.clean(k.note())});
    }
    Columns.print(rows, out);
  }

  static ArrayNode json(List<ApiKey> keys, Instant now) {
    ArrayNode array = JsonOutput.array();
    for (ApiKey k : keys) {
      ObjectNode o = array.addObject()
          .put("id", k.id())
          .put("farm", k.farm())
          .put("scope", scope(k))
          .put("state", state(k, now))
          .put("createTime", k.createTime().toString());
      putTime(o, "expireTime", k.expireTime());
      putTime(o, "lastUseTime", k.lastUseTime());
      putTime(o, "revokeTime", k.revokeTime());
      if (k.note() != null) {
        o.put("note", k.note());
      }
    }
    return array;
  }

  private static void putTime(ObjectNode o, String name, Instant time) {
    if (time != null) {
      o.put(name, time.toString());
    }
  }
}
