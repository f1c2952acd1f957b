package io.sockwave.interop.matrix;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for localhost and 127.0.0.1, made once per run by the JDK's keytool: the server's SSL
 * context, a client context that trusts only it, and the certificate and key as PEM files for peers in other
 * processes.
 */
public final class TestCertificates {
    private static final char[] PASSWORD = "changeit".toCharArray();

    private final SSLContext server;
    private final SSLContext client;
    private final KeyStore trustStore;
    private final Path pem;
    private final Path keyPem;

    private TestCertificates() throws IOException, InterruptedException, GeneralSecurityException {
        Path dir = Files.createTempDirectory("sockwave-interop-tls");
        dir.toFile().deleteOnExit();
        Path store = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        Files.delete(store);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);

        Certificate certificate = keys.getCertificate("server");
        trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("server", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore);
        client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);

        pem = dir.resolve("server.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        pem.toFile().deleteOnExit();
        keyPem = dir.resolve("server-key.pem");
        Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(
                        keys.getKey("server", PASSWORD).getEncoded())
                + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
        keyPem.toFile().deleteOnExit();
    }

    private static final class Holder {
        static final TestCertificates INSTANCE;

        static {
            try {
                INSTANCE = new TestCertificates();
            } catch (IOException | InterruptedException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot make the test certificate", e);
            }
        }
    }

    /** @return the run's certificate */
    public static TestCertificates get() {
        return Holder.INSTANCE;
    }

    /** @return an SSL context holding the key, for a server */
    public SSLContext server() {
        return server;
    }

    /** @return an SSL context trusting only this certificate, for a client */
    public SSLContext client() {
        return client;
    }

    /** @return a trust store holding only this certificate */
    public KeyStore trustStore() {
        return trustStore;
    }

    /** @return the certificate as a PEM file */
    public Path pem() {
        return pem;
    }

    /** @return the private key as a PKCS #8 PEM file, for a server in another process */
    public Path keyPem() {
        return keyPem;
    }
}
