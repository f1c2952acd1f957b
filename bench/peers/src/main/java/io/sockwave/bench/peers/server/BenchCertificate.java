package io.sockwave.bench.peers.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The wss:// servers' certificate: a self-signed ECDSA P-256 certificate for {@code localhost} and 127.0.0.1, made
 * at start by the JDK's own {@code keytool} (no certificate library, no file kept in the repository to expire). Every
 * server gets the same kind of key, so every handshake signs with the same algorithm; the load generator trusts any
 * certificate, so nothing needs to be shared between the processes.
 */
final class BenchCertificate {
    private static final String ALIAS = "server";
    private static final char[] PASSWORD = "benchmark".toCharArray();

    private static BenchCertificate shared;

    private final KeyStore keyStore;
    private final PrivateKey key;
    private final X509Certificate certificate;

    private BenchCertificate(KeyStore keyStore) throws GeneralSecurityException {
        this.keyStore = keyStore;
        this.key = (PrivateKey) keyStore.getKey(ALIAS, PASSWORD);
        this.certificate = (X509Certificate) keyStore.getCertificate(ALIAS);
    }

    /**
     * @return the process's certificate, made by the first call: a server process has one server, and the tests
     *     that start several in one JVM need not run keytool for each
     * @throws IOException if keytool cannot run or fails
     * @throws GeneralSecurityException if its store cannot be read
     * @throws InterruptedException if interrupted while keytool runs
     */
    static synchronized BenchCertificate shared() throws IOException, GeneralSecurityException,
            InterruptedException {
        if (shared == null) {
            shared = generate();
        }
        return shared;
    }

    /**
     * @return a fresh certificate and key, held in memory (the store keytool wrote is deleted)
     * @throws IOException if keytool cannot run or fails
     * @throws GeneralSecurityException if its store cannot be read
     * @throws InterruptedException if interrupted while keytool runs
     */
    private static BenchCertificate generate() throws IOException, GeneralSecurityException, InterruptedException {
        Path dir = Files.createTempDirectory("peers-tls");
        Path store = dir.resolve("server.p12");
        try {
            Process keytool = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                    .redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                keytool.destroyForcibly();
                throw new IOException("keytool failed: " + output);
            }
            return new BenchCertificate(KeyStore.getInstance(store.toFile(), PASSWORD));
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(dir);
        }
    }

    /** @return a PKCS#12 store with the key and certificate, protected by {@link #password()} */
    KeyStore keyStore() {
        return keyStore;
    }

    /** @return the store's and the key's password */
    char[] password() {
        return PASSWORD.clone();
    }

    /** @return the private key */
    PrivateKey key() {
        return key;
    }

    /** @return the self-signed certificate */
    X509Certificate certificate() {
        return certificate;
    }

    /** @return the key as an unencrypted PKCS#8 PEM block */
    String keyPem() {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** @return the certificate as a PEM block */
    String certificatePem() throws GeneralSecurityException {
        return pem("CERTIFICATE", certificate.getEncoded());
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}
