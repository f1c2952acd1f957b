package io.sockwave.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate made by the JDK's own {@code keytool} (so no certificate library or OpenSSL is needed),
 * with what tests build on it: a PKCS#12 store, the certificate and key as PEM files for programs in other processes,
 * a server SSL context holding the key and a client context trusting only this certificate.
 */
public final class TestCertificates {
    /** The password of every store made here. */
    public static final String PASSWORD = "changeit";
    private static final String EC_P256 = "-keyalg EC -groupname secp256r1";

    private final Path keyStore;
    private final Path certificatePem;
    private final Path keyPem;
    private final PrivateKey key;
    private final Certificate certificate;
    private final KeyStore trustStore;
    private final SSLContext server;
    private final SSLContext client;

    private TestCertificates(Path keyStore, Path certificatePem, Path keyPem, KeyStore keys)
            throws GeneralSecurityException {
        this.keyStore = keyStore;
        this.certificatePem = certificatePem;
        this.keyPem = keyPem;
        this.key = (PrivateKey) keys.getKey("server", PASSWORD.toCharArray());
        this.certificate = keys.getCertificate("server");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        trustStore = KeyStore.getInstance("PKCS12");
        try {
            trustStore.load(null, null);
        } catch (IOException impossibleWithoutAStream) {
            throw new UncheckedIOException(impossibleWithoutAStream);
        }
        trustStore.setCertificateEntry("server", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore);
        client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
    }

    /**
     * Makes a certificate for {@code CN=localhost} valid for the name {@code localhost} and the address 127.0.0.1.
     *
     * @param dir where to put the files
     * @param name a file name prefix
     * @param keytoolAlgorithmArgs such as {@code -keyalg RSA -keysize 2048} or {@code -keyalg EC -groupname
     *     secp256r1}
     * @return the certificate, its files and contexts
     */
    public static TestCertificates make(Path dir, String name, String... keytoolAlgorithmArgs)
            throws IOException, InterruptedException, GeneralSecurityException {
        return generate(dir, name, "dns:localhost,ip:127.0.0.1", List.of(keytoolAlgorithmArgs));
    }

    private static TestCertificates generate(Path dir, String name, String subjectAltNames,
            List<String> keytoolAlgorithmArgs) throws IOException, InterruptedException, GeneralSecurityException {
        Path store = dir.resolve(name + ".p12");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-dname", "CN=localhost", "-validity", "2",
                "-ext", "SAN=" + subjectAltNames, "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
        command.addAll(keytoolAlgorithmArgs);
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore keys = KeyStore.getInstance(store.toFile(), PASSWORD.toCharArray());
        Path certificatePem = Files.writeString(dir.resolve(name + "-cert.pem"),
                pem("CERTIFICATE", keys.getCertificate("server").getEncoded()));
        Path keyPem = Files.writeString(dir.resolve(name + "-key.pem"),
                pem("PRIVATE KEY", keys.getKey("server", PASSWORD.toCharArray()).getEncoded()));
        return new TestCertificates(store, certificatePem, keyPem, keys);
    }

    /** @return an EC certificate valid for {@code localhost} and {@code 127.0.0.1}, made once per test run */
    public static TestCertificates loopback() {
        return Loopback.INSTANCE;
    }

    /** @return an EC certificate valid for {@code 127.0.0.1} only, not for the name {@code localhost} */
    public static TestCertificates loopbackAddressOnly() {
        return LoopbackAddress.INSTANCE;
    }

    /** @return an EC certificate valid for the address ::1 only, made once per test run */
    public static TestCertificates ipv6LoopbackOnly() {
        return Ipv6LoopbackAddress.INSTANCE;
    }

    /** @return an EC certificate valid only for {@code other.example}: host name verification must refuse it */
    public static TestCertificates otherHost() {
        return OtherHost.INSTANCE;
    }

    /** @return a PEM block with 64-character lines */
    public static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /** @return the PKCS#12 store holding the key and certificate under alias {@code server} ({@link #PASSWORD}) */
    public Path keyStore() {
        return keyStore;
    }

    /** @return the certificate as a PEM file */
    public Path certificatePem() {
        return certificatePem;
    }

    /** @return the private key as an unencrypted PKCS#8 PEM file */
    public Path keyPem() {
        return keyPem;
    }

    /** @return the private key */
    public PrivateKey key() {
        return key;
    }

    /** @return the certificate */
    public Certificate certificate() {
        return certificate;
    }

    /** @return a trust store holding only this certificate */
    public KeyStore trustStore() {
        return trustStore;
    }

    /** @return an SSL context holding the key, for a server */
    public SSLContext server() {
        return server;
    }

    /** @return an SSL context trusting only this certificate, for a client */
    public SSLContext client() {
        return client;
    }

    private static TestCertificates inTemporaryDirectory(String subjectAltNames) {
        try {
            Path dir = Files.createTempDirectory("sockwave-tls");
            TestCertificates made = generate(dir, "server", subjectAltNames, List.of(EC_P256.split(" ")));
            // Deleted in the reverse order of registration: the files, then their directory.
            for (Path file : List.of(dir, made.keyStore, made.certificatePem, made.keyPem)) {
                file.toFile().deleteOnExit();
            }
            return made;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making a test certificate", e);
        }
    }

    private static final class Loopback {
        static final TestCertificates INSTANCE = inTemporaryDirectory("dns:localhost,ip:127.0.0.1");
    }

    private static final class LoopbackAddress {
        static final TestCertificates INSTANCE = inTemporaryDirectory("ip:127.0.0.1");
    }

    private static final class Ipv6LoopbackAddress {
        static final TestCertificates INSTANCE = inTemporaryDirectory("ip:::1");
    }

    private static final class OtherHost {
        static final TestCertificates INSTANCE = inTemporaryDirectory("dns:other.example");
    }
}
