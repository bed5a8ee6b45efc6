package dev.clauderelay.doctor;

import dev.clauderelay.transport.CaBundle;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** Whether the configured CA bundle ({@code tls.caFile}) can be used. Pure. */
final class CaBundleCheck {
  private static final int SUBJECTS_SHOWN = 3;

  private CaBundleCheck() {}

  /**
   * @param caFile {@code tls.caFile}, or null
   * @param bundle the file read, or null when it could not be
   * @param error why it could not be read, or null
   */
  static CheckResult check(Path caFile, CaBundle bundle, String error, Instant now) {
    if (caFile == null) {
      return CheckResult.pass(
          CheckId.CA_BUNDLE, "none configured (tls.caFile): the JVM's trusted CAs only");
    }
    if (bundle == null) {
      return CheckResult.fail(
              CheckId.CA_BUNDLE,
              "tls.caFile " + caFile + " is not usable",
              error,
              "point tls.caFile (or CLAUDE_RELAY_TLS_CA_FILE) at a readable PEM file holding the"
                  + " CA certificate(s), each starting with -----BEGIN CERTIFICATE-----")
          .with("file", caFile.toString());
    }
    List<X509Certificate> certs = bundle.certificates();
    List<X509Certificate> expired =
        certs.stream().filter(c -> c.getNotAfter().toInstant().isBefore(now)).toList();
    String subjects =
        String.join(
            "; ",
            certs.stream()
                .limit(SUBJECTS_SHOWN)
                .map(c -> c.getSubjectX500Principal().getName())
                .toList());
    String summary =
        caFile
            + ": "
            + certs.size()
            + (certs.size() == 1 ? " certificate (" : " certificates (")
            + subjects
            + (certs.size() > SUBJECTS_SHOWN ? "; …" : "")
            + "), trusted besides the JVM's CAs";
    if (!expired.isEmpty()) {
      X509Certificate first = expired.get(0);
      return CheckResult.warn(
              CheckId.CA_BUNDLE,
              summary,
              expired.size()
                  + " of them expired, e.g. "
                  + first.getSubjectX500Principal().getName()
                  + " on "
                  + first.getNotAfter().toInstant(),
              "replace the expired CA certificates with current ones from your network's"
                  + " administrators")
          .with("file", caFile.toString())
          .with("certificates", certs.size());
    }
    return CheckResult.pass(CheckId.CA_BUNDLE, summary)
        .with("file", caFile.toString())
        .with("certificates", certs.size());
  }
}
