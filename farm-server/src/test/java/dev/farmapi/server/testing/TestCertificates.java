package dev.farmapi.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private certificate authority and a server certificate it signed, made fresh for a test by
 * Debian's {@code openssl} (no private key is committed): {@code ca.pem}, the server's
 * {@code server.pem} (for 127.0.0.1 and localhost, valid two days) and its key
 * {@code server.key} in PKCS#8 PEM, as {@code farm serve --tls-cert --tls-key} takes them.
 *
 * @param dir where the files are
 */
public record TestCertificates(Path dir) {
  private static final Path OPENSSL = Path.of("/usr/bin/openssl");

  /** Makes a CA and a server certificate in {@code dir}; EC P-256 keys (fast to make). */
  public static TestCertificates create(Path dir) throws IOException {
    if (!Files.isExecutable(OPENSSL)) {
      throw new IllegalStateException(OPENSSL + " is missing: apt-get install openssl");
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("ca.cnf"), String.join("\n",
        "[req]", "distinguished_name = dn", "x509_extensions = ca", "prompt = no",
        "[dn]", "CN = Farm Test CA",
        "[ca]", "basicConstraints = critical, CA:TRUE", "keyUsage = critical, keyCertSign, cRLSign",
        "subjectKeyIdentifier = hash", ""));
    Files.writeString(dir.resolve("server.ext"), String.join("\n",
        "basicConstraints = CA:FALSE", "keyUsage = critical, digitalSignature, keyEncipherment",
        "extendedKeyUsage = serverAuth", "subjectAltName = IP:127.0.0.1, DNS:localhost",
        "subjectKeyIdentifier = hash", "authorityKeyIdentifier = keyid", ""));
    openssl(dir, "req", "-x509", "-config", "ca.cnf", "-newkey", "ec", "-pkeyopt",
        "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2");
    openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-out", "server.key");
    openssl(dir, "req", "-new", "-key", "server.key", "-subj", "/CN=localhost",
        "-out", "server.csr");
    openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "2", "-extfile", "server.ext", "-out", "server.pem");
    return new TestCertificates(dir);
  }

  /** The CA's certificate: what a client trusts ({@code --cacert}). */
  public Path ca() {
    return dir.resolve("ca.pem");
  }

  /** The server's certificate chain. */
  public Path cert() {
    return dir.resolve("server.pem");
  }

  /** The server's private key, PKCS#8 PEM. */
  public Path key() {
    return dir.resolve("server.key");
  }

  /** A TLS context that trusts only this CA, for a JDK client in a test. */
  public javax.net.ssl.SSLContext sslContext() throws java.security.GeneralSecurityException,
      IOException {
    java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    try (var in = Files.newInputStream(ca())) {
      trusted.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(in));
    }
    var tmf = javax.net.ssl.TrustManagerFactory.getInstance(
        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    var tls = javax.net.ssl.SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return tls;
  }

  /** Runs {@code openssl ARGS...} in {@code dir}; its output, or a failure saying what it said. */
  public static String openssl(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(OPENSSL.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("openssl " + String.join(" ", args) + " failed:\n" + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return out;
  }
}
