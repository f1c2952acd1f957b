package io.sockwave.cli.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Collections;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the {@link SSLContext}s behind {@code serve --tls-*}/{@code --keystore} and
 * {@code connect --ca/--cert/--insecure}.
 */
public final class TlsContexts {
    private static final char[] IN_MEMORY_PASSWORD = "sockwave".toCharArray();

    private TlsContexts() {}

    /**
     * A server context from PEM files, as written by OpenSSL or an ACME client.
     *
     * @param certificateFile the certificate chain, leaf first
     * @param keyFile the leaf's unencrypted private key (PKCS#8, PKCS#1 RSA or SEC 1 EC)
     * @return a context presenting that chain
     * @throws IOException with a readable reason if a file is unreadable or the key does not match the certificate
     */
    public static SSLContext fromPem(Path certificateFile, Path keyFile) throws IOException {
        return fromPem(certificateFile, keyFile, null);
    }

    /**
     * A server context from PEM files that also checks the certificates clients present, for
     * {@code serve --tls-client-ca}. Whether a client must present one is the server's setting
     * ({@link javax.net.ssl.SSLParameters#setNeedClientAuth}).
     *
     * @param certificateFile the certificate chain, leaf first
     * @param keyFile the leaf's unencrypted private key (PKCS#8, PKCS#1 RSA or SEC 1 EC)
     * @param clientCaFile PEM certificates of the authorities whose client certificates are accepted, instead of
     *     the JVM's CAs; null for the JVM's
     * @return a context presenting that chain
     * @throws IOException with a readable reason if a file is unreadable or the key does not match the certificate
     */
    public static SSLContext fromPem(Path certificateFile, Path keyFile, Path clientCaFile) throws IOException {
        Certificate[] chain = readCertificates(certificateFile);
        PrivateKey key = PrivateKeys.read(keyFile);
        if (!matches(key, chain[0].getPublicKey())) {
            throw new IOException("the private key in " + keyFile + " does not belong to the certificate in "
                    + certificateFile);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, IN_MEMORY_PASSWORD, chain);
            return serverContext(store, IN_MEMORY_PASSWORD, clientCaFile);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use " + certificateFile + " and " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * A server context from a PKCS#12 or JKS key store holding one key entry.
     *
     * @param keyStoreFile the key store; its type is detected from its contents
     * @param password the store's password, also used for the key
     * @return a context presenting the store's key and chain
     * @throws IOException with a readable reason if the store is unreadable, the password is wrong or no key is in it
     */
    public static SSLContext fromKeyStore(Path keyStoreFile, char[] password) throws IOException {
        return fromKeyStore(keyStoreFile, password, null);
    }

    /**
     * A server context from a key store that also checks the certificates clients present, for
     * {@code serve --tls-client-ca}.
     *
     * @param keyStoreFile the key store; its type is detected from its contents
     * @param password the store's password, also used for the key
     * @param clientCaFile PEM certificates of the authorities whose client certificates are accepted, instead of
     *     the JVM's CAs; null for the JVM's
     * @return a context presenting the store's key and chain
     * @throws IOException with a readable reason if a file is unreadable, the password is wrong or no key is in the
     *     store
     */
    public static SSLContext fromKeyStore(Path keyStoreFile, char[] password, Path clientCaFile) throws IOException {
        KeyStore store;
        try {
            store = KeyStore.getInstance(keyStoreFile.toFile(), password);
        } catch (IOException e) {
            boolean wrongPassword = e.getCause() instanceof java.security.UnrecoverableKeyException;
            throw new IOException("cannot open key store " + keyStoreFile + ": "
                    + (wrongPassword ? "wrong password" : e.getMessage()), e);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot open key store " + keyStoreFile + ": " + e.getMessage(), e);
        }
        try {
            boolean hasKey = false;
            for (String alias : Collections.list(store.aliases())) {
                hasKey |= store.isKeyEntry(alias);
            }
            if (!hasKey) {
                throw new IOException(keyStoreFile + ": the key store holds no private key entry");
            }
            return serverContext(store, password, clientCaFile);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use key store " + keyStoreFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * A client context that accepts any server certificate and any host name, for {@code --insecure}: fine against a
     * self-signed development server, never against one you need to trust.
     *
     * @return the context
     */
    public static SSLContext trustingEveryone() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustEveryone()}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no TLS implementation", e);
        }
    }

    /**
     * A client context for {@code connect --ca/--cert/--key/--insecure}.
     *
     * @param caFile PEM certificates to trust instead of the JVM's CAs, or null for the JVM's
     * @param certificateFile the client certificate chain (PEM, leaf first) to present, or null for none
     * @param keyFile its unencrypted private key, when {@code certificateFile} is given
     * @param trustEveryone accept any server certificate (then {@code caFile} is ignored)
     * @return the context
     * @throws IOException with a readable reason if a file is unreadable or the key does not match the certificate
     */
    public static SSLContext client(Path caFile, Path certificateFile, Path keyFile, boolean trustEveryone)
            throws IOException {
        try {
            KeyManager[] keys = null;
            if (certificateFile != null) {
                Certificate[] chain = readCertificates(certificateFile);
                PrivateKey key = PrivateKeys.read(keyFile);
                if (!matches(key, chain[0].getPublicKey())) {
                    throw new IOException("the private key in " + keyFile + " does not belong to the certificate in "
                            + certificateFile);
                }
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("client", key, IN_MEMORY_PASSWORD, chain);
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(store, IN_MEMORY_PASSWORD);
                keys = factory.getKeyManagers();
            }
            TrustManager[] trust = null;
            if (trustEveryone) {
                trust = new TrustManager[] {new TrustEveryone()};
            } else if (caFile != null) {
                trust = trusting(caFile);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** @param clientCaFile the authorities to check client certificates against, or null for the JVM's CAs */
    private static SSLContext serverContext(KeyStore store, char[] password, Path clientCaFile)
            throws GeneralSecurityException, IOException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), clientCaFile == null ? null : trusting(clientCaFile), new SecureRandom());
        return context;
    }

    /** @return trust managers that trust the certificates of this PEM file, and no other authority */
    private static TrustManager[] trusting(Path caFile) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        Certificate[] authorities = readCertificates(caFile);
        for (int i = 0; i < authorities.length; i++) {
            store.setCertificateEntry("ca-" + i, authorities[i]);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static Certificate[] readCertificates(Path file) throws IOException {
        String text = Pem.text(file);
        if (!text.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IOException(file + ": no CERTIFICATE block found");
        }
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            return certificates.toArray(Certificate[]::new);
        } catch (CertificateException e) {
            throw new IOException(file + ": not a valid X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** Proves the pair by signing with the key and verifying with the certificate's public key. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) throws IOException {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return true; // No signature check for this key type; the TLS handshake will tell.
        }
        try {
            byte[] probe = "sockwave key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot check the key against the certificate: " + e.getMessage(), e);
        }
    }

    /** Extended, so that JSSE leaves host name checks to it too, and it skips them. */
    private static final class TrustEveryone extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
