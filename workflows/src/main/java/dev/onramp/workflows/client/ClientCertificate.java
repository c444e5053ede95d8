package dev.onramp.workflows.client;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A client certificate and its private key for mTLS to the Temporal frontend (Temporal Cloud's
 * certificate authentication): PEM files, the key in PKCS#8 ({@code -----BEGIN PRIVATE KEY-----};
 * {@code openssl pkcs8 -topk8 -nocrypt} converts others). Read and checked when made, so a wrong
 * file stops the start naming it rather than failing the first call.
 */
public final class ClientCertificate {
  private final SslContext sslContext;

  private ClientCertificate(SslContext sslContext) {
    this.sslContext = sslContext;
  }

  public static ClientCertificate of(Path certificate, Path privateKey) {
    for (Path p : new Path[] {certificate, privateKey}) {
      if (!Files.isReadable(p)) {
        throw new IllegalArgumentException(
            (p == certificate ? "temporal.tlsCertFile " : "temporal.tlsKeyFile ")
                + p
                + " cannot be read: it should be a PEM file readable by the worker");
      }
    }
    try (InputStream cert = Files.newInputStream(certificate);
        InputStream key = Files.newInputStream(privateKey)) {
      return new ClientCertificate(SimpleSslContextBuilder.forPKCS8(cert, key).build());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "temporal.tlsCertFile "
              + certificate
              + " and temporal.tlsKeyFile "
              + privateKey
              + " are not a PEM certificate and its PKCS#8 private key (convert the key with"
              + " openssl pkcs8 -topk8 -nocrypt): "
              + e.getMessage(),
          e);
    }
  }

  SslContext sslContext() {
    return sslContext;
  }
}
