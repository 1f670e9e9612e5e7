package dev.farmapi.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * {@code --cacert FILE}, as curl's: the certificates in a PEM (or DER) file become the only
 * authorities trusted for HTTPS, e.g. the private CA that signed a {@code farm serve --tls-cert}.
 */
final class TrustedCertificates {
  private TrustedCertificates() {}

  static SSLContext sslContext(Path file) throws IOException {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(file)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (NoSuchFileException e) {
      throw new Failures.CommandFailure(ExitCodes.USAGE, "--cacert " + file + ": no such file");
    } catch (GeneralSecurityException e) {
      throw unreadable(file, e);
    }
    if (certificates.isEmpty()) {
      throw unreadable(file, null);
    }
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate c : certificates) {
        trusted.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, tmf.getTrustManagers(), null);
      return tls;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot trust the certificates of " + file + ": " + e.getMessage(), e);
    }
  }

  private static Failures.CommandFailure unreadable(Path file, Exception e) {
    return new Failures.CommandFailure(ExitCodes.USAGE, "--cacert " + file + " holds no"
        + " certificate (PEM: -----BEGIN CERTIFICATE-----)", e);
  }
}
