package dev.mux.cli;

import dev.mux.ca.CertificateAuthority;
import dev.mux.ca.CertificateAuthorityException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mux ca path|show|export}: the proxy's CA, which clients must trust. */
@Command(
    name = "ca",
    header = "Show or export the proxy CA (created on first use).",
    description = {
      "Clients trust the proxy by trusting this CA: its certificate is proxy-ca.pem in the state folder;",
      "its private key (proxy-ca-key.pem, 0600) never leaves the host.",
      "",
      "Examples:",
      "  mux ca show",
      "  mux ca export --out /tmp/mux-ca.pem && openssl x509 -in /tmp/mux-ca.pem -noout -subject",
      ""
    },
    subcommands = {CaCommand.PathCommand.class, CaCommand.ShowCommand.class, CaCommand.ExportCommand.class})
final class CaCommand extends CommandGroup {

  /** Loads the CA in the state folder, creating it if neither file exists. */
  static CertificateAuthority loadOrCreate(StateFolder state) {
    state.ensureExists();
    try {
      return CertificateAuthority.loadOrCreate(state.dir());
    } catch (CertificateAuthorityException e) {
      throw new ExitException(ExitCodes.FAILURE, e.getMessage(), e);
    }
  }

  @Command(name = "path", header = "Print the path of the CA certificate (proxy-ca.pem).")
  static final class PathCommand extends BaseCommand {
    @Mixin HomeOption home;

    @Override
    public Integer call() {
      StateFolder state = StateFolder.resolve(home, environment());
      out().println(state.caCertificate());
      if (!Files.exists(state.caCertificate())) {
        info("note: %s does not exist yet; `mux daemon` or `mux ca show` creates it", state.caCertificate());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "show", header = "Print the CA's subject, validity, key and SHA-256 fingerprint.")
  static final class ShowCommand extends BaseCommand {
    @Mixin HomeOption home;

    @Override
    public Integer call() {
      StateFolder state = StateFolder.resolve(home, environment());
      CertificateAuthority ca = loadOrCreate(state);
      X509Certificate certificate = ca.certificate();
      out().printf("Certificate:  %s%n", state.caCertificate());
      out().printf("Private key:  %s%n", state.caKey());
      out().printf("Subject:      %s%n", certificate.getSubjectX500Principal().getName());
      out().printf("Not before:   %s%n", certificate.getNotBefore().toInstant());
      out().printf("Not after:    %s%n", certificate.getNotAfter().toInstant());
      out().printf("Key:          %s%n", certificate.getPublicKey().getAlgorithm());
      out().printf("SHA-256:      %s%n", ca.fingerprintSha256());
      return ExitCodes.OK;
    }
  }

  @Command(name = "export", header = "Print the CA certificate as PEM, or write it to a file.")
  static final class ExportCommand extends BaseCommand {
    @Mixin HomeOption home;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the PEM here instead of stdout.")
    Path outFile;

    @Override
    public Integer call() {
      CertificateAuthority ca = loadOrCreate(StateFolder.resolve(home, environment()));
      if (outFile == null) {
        out().print(ca.certificatePem());
        out().flush();
        return ExitCodes.OK;
      }
      try {
        Files.writeString(outFile, ca.certificatePem(), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new ExitException(ExitCodes.FAILURE, "cannot write " + outFile + ": " + e.getMessage(), e);
      }
      info("wrote the CA certificate to %s", outFile);
      return ExitCodes.OK;
    }
  }
}
