package dev.farmapi.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certificate chain and its private key from PEM files, as web servers take them
 * ({@code farm serve --tls-cert FILE --tls-key FILE}), made into a key store for Jetty with the
 * JDK alone: a PKCS#8 key ({@code BEGIN PRIVATE KEY}: RSA, EC or EdDSA) or a PKCS#1 RSA key
 * ({@code BEGIN RSA PRIVATE KEY}), unencrypted. Every problem is said in terms of the files,
 * before the server opens anything.
 */
final class TlsFiles {
  static final String PASSWORD = "farm"; // the key store lives only in memory
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
  /** rsaEncryption's AlgorithmIdentifier: wraps a PKCS#1 key into PKCS#8. */
  private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48,
      (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

  private TlsFiles() {}

  /** The key store holding {@code key} under the alias "farm" with the chain of {@code cert}. */
  static KeyStore keyStore(Path cert, Path key) throws IOException {
    List<X509Certificate> chain = certificates(cert);
    PrivateKey privateKey = privateKey(key);
    if (!matches(privateKey, chain.get(0))) {
      throw new IOException("the key in " + key + " is not the key of the first certificate in "
          + cert + " (" + chain.get(0).getSubjectX500Principal() + ")");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("farm", privateKey, PASSWORD.toCharArray(),
          chain.toArray(Certificate[]::new));
      return store;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the key of " + key + ": " + e.getMessage(), e);
    }
  }

  /** The certificates of a PEM (or DER) file, the server's first. */
  static List<X509Certificate> certificates(Path file) throws IOException {
    List<X509Certificate> chain = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        chain.add((X509Certificate) c);
      }
    } catch (GeneralSecurityException e) {
      throw new IOException(file + " holds no readable certificate (PEM, BEGIN CERTIFICATE): "
          + e.getMessage(), e);
    }
    if (chain.isEmpty()) {
      throw new IOException(file + " holds no certificate (PEM, BEGIN CERTIFICATE)");
    }
    return chain;
  }

  private static PrivateKey privateKey(Path file) throws IOException {
    Matcher m = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
    while (m.find()) {
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      switch (m.group(1)) {
        case "PRIVATE KEY":
          return pkcs8(der, file);
        case "RSA PRIVATE KEY":
          return pkcs8(wrapPkcs1(der), file);
        case "ENCRYPTED PRIVATE KEY":
          throw new IOException(file + " holds an encrypted key; give an unencrypted one"
              + " (openssl pkey -in KEY -out plain.pem), readable by the server's user only");
        case "EC PRIVATE KEY":
          throw new IOException(file + " holds an EC key in the SEC1 form; convert it to PKCS#8"
              + " (openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem)");
        default:
          // another block (parameters, a certificate): look further
      }
    }
    throw new IOException(file + " holds no private key (PEM, BEGIN PRIVATE KEY)");
  }

  private static PrivateKey pkcs8(byte[] der, Path file) throws IOException {
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // not this algorithm
      }
    }
    throw new IOException(file + " holds a private key of a kind this server cannot use"
        + " (RSA, EC and EdDSA keys work)");
  }

  /** PKCS#8 PrivateKeyInfo around a PKCS#1 RSAPrivateKey: version 0, rsaEncryption, the key. */
  private static byte[] wrapPkcs1(byte[] pkcs1) {
    byte[] version = {0x02, 0x01, 0x00};
    byte[] octets = der(0x04, pkcs1);
    byte[] body = new byte[version.length + RSA_ALGORITHM.length + octets.length];
    System.arraycopy(version, 0, body, 0, version.length);
    System.arraycopy(RSA_ALGORITHM, 0, body, version.length, RSA_ALGORITHM.length);
    System.arraycopy(octets, 0, body, version.length + RSA_ALGORITHM.length, octets.length);
    return der(0x30, body);
  }

  private static byte[] der(int tag, byte[] content) {
    int n = content.length;
    byte[] length = n < 0x80 ? new byte[] {(byte) n}
        : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
        : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
        : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    byte[] out = new byte[1 + length.length + n];
    out[0] = (byte) tag;
    System.arraycopy(length, 0, out, 1, length.length);
    System.arraycopy(content, 0, out, 1 + length.length, n);
    return out;
  }

  /** Whether {@code key} signs what the certificate's public key verifies. */
  private static boolean matches(PrivateKey key, X509Certificate cert) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "RSASSA-PSS" -> null;
      default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA
    };
    if (algorithm == null) {
      return true; // PSS needs parameters; a mismatch then shows in the first handshake
    }
    try {
      byte[] probe = "farm".getBytes(StandardCharsets.US_ASCII);
      Signature sign = Signature.getInstance(algorithm);
      sign.initSign(key);
      sign.update(probe);
      byte[] signature = sign.sign();
      Signature verify = Signature.getInstance(algorithm);
      verify.initVerify(cert.getPublicKey());
      verify.update(probe);
      return verify.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
