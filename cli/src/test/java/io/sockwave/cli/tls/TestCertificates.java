package io.sockwave.cli.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes self-signed certificates for tests with the JDK's own keytool, so no certificate library or OpenSSL is
 * needed: a PKCS#12 store, and the same certificate and key as PEM files.
 */
public final class TestCertificates {
    /** The password of every store made here. */
    public static final String PASSWORD = "changeit";

    /**
     * @param keyStore the PKCS#12 file
     * @param certificatePem the certificate as a PEM file
     * @param keyPem the private key as an unencrypted PKCS#8 PEM file
     * @param key the private key
     * @param certificate the certificate
     */
    public record Made(Path keyStore, Path certificatePem, Path keyPem, PrivateKey key, Certificate certificate) {}

    private TestCertificates() {}

    /**
     * @param dir where to put the files
     * @param name a file name prefix
     * @param keytoolAlgorithmArgs such as {@code -keyalg RSA -keysize 2048} or {@code -keyalg EC -groupname secp256r1}
     * @return the files and what is in them, for CN=localhost with 127.0.0.1 as a subject alternative name
     */
    public static Made make(Path dir, String name, String... keytoolAlgorithmArgs)
            throws IOException, InterruptedException, GeneralSecurityException {
        Path store = dir.resolve(name + ".p12");
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-dname", "CN=localhost", "-validity", "2",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
        command.addAll(List.of(keytoolAlgorithmArgs));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore ks = KeyStore.getInstance(store.toFile(), PASSWORD.toCharArray());
        PrivateKey key = (PrivateKey) ks.getKey("server", PASSWORD.toCharArray());
        Certificate certificate = ks.getCertificate("server");
        Path certPem = Files.writeString(dir.resolve(name + "-cert.pem"), pem("CERTIFICATE", certificate.getEncoded()));
        Path keyPem = Files.writeString(dir.resolve(name + "-key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        return new Made(store, certPem, keyPem, key, certificate);
    }

    /** @return a PEM block with 64-character lines */
    public static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}
