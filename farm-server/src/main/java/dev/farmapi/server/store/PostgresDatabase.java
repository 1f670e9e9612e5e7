package dev.farmapi.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a cluster's PostgreSQL is: {@code postgresql://HOST:PORT/DB?user=U}, the password given
 * apart (from {@code FARM_DATABASE_PASSWORD}, never in a URL that ends up in logs and process
 * lists). Makes the connection pools of the metadata store and of the session locks.
 */
public record PostgresDatabase(String host, int port, String database, String user,
    String password) {

  /** Parses {@code postgresql://HOST[:PORT]/DB?user=U}; the password comes from the caller. */
  public static PostgresDatabase parse(String url, String password) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("database URL '" + url + "' is malformed; expected"
          + " postgresql://HOST:PORT/DB?user=USER");
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new IllegalArgumentException("database URL '" + url + "' must start with"
          + " postgresql://; expected postgresql://HOST:PORT/DB?user=USER");
    }
    String db = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    Map<String, String> query = query(uri.getRawQuery());
    String user = query.get("user");
    if (uri.getHost() == null || db.isEmpty() || user == null) {
      throw new IllegalArgumentException("database URL '" + url + "' needs a host, a database"
          + " and ?user=; expected postgresql://HOST:PORT/DB?user=USER");
    }
    return new PostgresDatabase(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db,
        user, password);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /**
   * A pool of at most {@code size} connections. TCP keepalives and a short socket timeout on
   * connect let a node notice a database that went away, rather than hang on it.
   */
  HikariDataSource pool(String name, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(jdbcUrl());
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(Math.min(2, size));
    config.setConnectionTimeout(10_000);
    config.addDataSourceProperty("tcpKeepAlive", "true");
    config.addDataSourceProperty("connectTimeout", "5");
    config.addDataSourceProperty("ApplicationName", "farm-server");
    // Fail fast at start-up when the database cannot be reached at all.
    config.setInitializationFailTimeout(10_000);
    return new HikariDataSource(config);
  }

  /** The URL without the password: safe to log. */
  @Override
  public String toString() {
    return "postgresql://" + host + ":" + port + "/" + database + "?user=" + user;
  }
}
