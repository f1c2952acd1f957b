package io.sockwave;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates made by the JDK's {@code keytool} once per test run, and SSL contexts over them: a server
 * context with the key, and a client context that trusts only that certificate.
 */
final class TestCertificates {
    private static final char[] PASSWORD = "changeit".toCharArray();

    final SSLContext server;
    final SSLContext client;

    private TestCertificates(String subjectAltNames) {
        try {
            Path dir = Files.createTempDirectory("sockwave-tls");
            Path store = dir.resolve("server.p12");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                    "-ext", "SAN=" + subjectAltNames, "-validity", "2", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", new String(PASSWORD),
                    "-keypass", new String(PASSWORD))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, PASSWORD);
            }
            Files.delete(store);
            Files.delete(dir);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD);
            server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);

            Certificate certificate = keys.getCertificate("server");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
        } catch (IOException | InterruptedException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    private static final class ForLoopback {
        static final TestCertificates INSTANCE = new TestCertificates("dns:localhost,ip:127.0.0.1");
    }

    private static final class ForOtherHost {
        static final TestCertificates INSTANCE = new TestCertificates("dns:other.example");
    }

    private static final class ForLoopbackAddress {
        static final TestCertificates INSTANCE = new TestCertificates("ip:127.0.0.1");
    }

    /** @return certificates valid for {@code 127.0.0.1} only, not for the name {@code localhost} */
    static TestCertificates loopbackAddressOnly() {
        return ForLoopbackAddress.INSTANCE;
    }

    /** @return certificates valid for {@code localhost} and {@code 127.0.0.1} */
    static TestCertificates loopback() {
        return ForLoopback.INSTANCE;
    }

    /** @return certificates valid only for {@code other.example}: host name verification must refuse them */
    static TestCertificates otherHost() {
        return ForOtherHost.INSTANCE;
    }
}
