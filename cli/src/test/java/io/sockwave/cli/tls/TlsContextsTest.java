package io.sockwave.cli.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsContextsTest {
    @TempDir
    static Path dir;
    static TestCertificates rsa;
    static TestCertificates ec;

    @BeforeAll
    static void makeCertificates() throws Exception {
        rsa = TestCertificates.make(dir, "rsa", "-keyalg", "RSA", "-keysize", "2048");
        ec = TestCertificates.make(dir, "ec", "-keyalg", "EC", "-groupname", "secp256r1");
    }

    @Test
    void pkcs8PemPairServesTls() throws Exception {
        assertServesTls(TlsContexts.fromPem(rsa.certificatePem(), rsa.keyPem()));
        assertServesTls(TlsContexts.fromPem(ec.certificatePem(), ec.keyPem()));
    }

    @Test
    void keyStoreServesTls() throws Exception {
        assertServesTls(TlsContexts.fromKeyStore(rsa.keyStore(), TestCertificates.PASSWORD.toCharArray()));
    }

    @Test
    void traditionalRsaKeyIsRead() throws Exception {
        // PKCS#1 is the OCTET STRING inside PKCS#8's PrivateKeyInfo.
        Der.Reader info = new Der.Reader(rsa.key().getEncoded(), Der.SEQUENCE);
        info.next(Der.INTEGER);
        info.next(Der.SEQUENCE);
        byte[] pkcs1 = info.next(Der.OCTET_STRING);
        Path file = Files.writeString(dir.resolve("pkcs1.pem"), TestCertificates.pem("RSA PRIVATE KEY", pkcs1));

        RSAPrivateCrtKey read = (RSAPrivateCrtKey) PrivateKeys.read(file);
        assertEquals(((RSAPrivateCrtKey) rsa.key()).getPrivateExponent(), read.getPrivateExponent());
        assertServesTls(TlsContexts.fromPem(rsa.certificatePem(), file));
    }

    @Test
    void sec1EcKeyWithCurveParametersIsRead() throws Exception {
        byte[] privateValue = unsigned(((ECPrivateKey) ec.key()).getS().toByteArray(), 32);
        byte[] prime256v1 = {0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x03, 0x01, 0x07};
        byte[] sec1 = Der.element(Der.SEQUENCE, Der.element(Der.INTEGER, new byte[] {1}),
                Der.element(Der.OCTET_STRING, privateValue),
                Der.element(Der.CONTEXT_0, Der.element(Der.OBJECT_IDENTIFIER, prime256v1)));
        // OpenSSL's `ecparam -genkey` puts the parameters first; they are skipped.
        String text = TestCertificates.pem("EC PARAMETERS", Der.element(Der.OBJECT_IDENTIFIER, prime256v1))
                + TestCertificates.pem("EC PRIVATE KEY", sec1);
        Path file = Files.writeString(dir.resolve("sec1.pem"), text);

        ECPrivateKey read = (ECPrivateKey) PrivateKeys.read(file);
        assertEquals(((ECPrivateKey) ec.key()).getS(), read.getS());
        assertServesTls(TlsContexts.fromPem(ec.certificatePem(), file));
    }

    @Test
    void keyOfAnotherCertificateIsRefused() {
        IOException e = assertThrows(IOException.class, () -> TlsContexts.fromPem(rsa.certificatePem(), ec.keyPem()));
        assertEquals("the private key in " + ec.keyPem() + " does not belong to the certificate in "
                + rsa.certificatePem(), e.getMessage());
        RsaPair other = RsaPair.of(dir);
        IOException sameType = assertThrows(IOException.class,
                () -> TlsContexts.fromPem(rsa.certificatePem(), other.keyPem()));
        assertTrue(sameType.getMessage().contains("does not belong"), sameType.getMessage());
    }

    @Test
    void encryptedKeyIsRefusedWithAHint() throws IOException {
        Path pkcs8 = Files.writeString(dir.resolve("enc8.pem"), TestCertificates.pem("ENCRYPTED PRIVATE KEY",
                new byte[] {0x30, 0x00}));
        assertTrue(assertThrows(IOException.class, () -> PrivateKeys.read(pkcs8)).getMessage()
                .contains("is encrypted; decrypt it first"));
        Path legacy = Files.writeString(dir.resolve("enc1.pem"), "-----BEGIN RSA PRIVATE KEY-----\n"
                + "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nAAAA\n"
                + "-----END RSA PRIVATE KEY-----\n");
        assertTrue(assertThrows(IOException.class, () -> PrivateKeys.read(legacy)).getMessage()
                .contains("is encrypted"));
    }

    @Test
    void filesWithoutTheExpectedBlocksAreNamed() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        assertEquals(empty + ": no PEM block (-----BEGIN ...-----) found; a DER file converts with openssl x509"
                        + " -inform der -in FILE -out FILE.pem",
                assertThrows(IOException.class, () -> PrivateKeys.read(empty)).getMessage());
        assertEquals(rsa.certificatePem() + ": no private key found (expected a PRIVATE KEY, RSA PRIVATE KEY or"
                        + " EC PRIVATE KEY block)",
                assertThrows(IOException.class, () -> PrivateKeys.read(rsa.certificatePem())).getMessage());
        assertEquals(rsa.keyPem() + ": no CERTIFICATE block found",
                assertThrows(IOException.class, () -> TlsContexts.fromPem(rsa.keyPem(), rsa.keyPem())).getMessage());
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), TestCertificates.pem("PRIVATE KEY",
                new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}));
        assertTrue(assertThrows(IOException.class, () -> PrivateKeys.read(garbage)).getMessage()
                .startsWith(garbage + ": cannot read the PRIVATE KEY"));
    }

    @Test
    void wrongKeyStorePasswordIsSaidPlainly() {
        IOException e = assertThrows(IOException.class,
                () -> TlsContexts.fromKeyStore(rsa.keyStore(), "wrong".toCharArray()));
        assertEquals("cannot open key store " + rsa.keyStore() + ": wrong password", e.getMessage());
    }

    @Test
    void derLengthsAboveOneTwentySevenUseLongForm() {
        byte[] encoded = Der.element(Der.OCTET_STRING, new byte[300]);
        assertArrayEquals(new byte[] {0x04, (byte) 0x82, 0x01, 0x2C}, java.util.Arrays.copyOf(encoded, 4));
        assertEquals(304, encoded.length);
        assertEquals(300, new Der.Reader(Der.element(Der.SEQUENCE, encoded), Der.SEQUENCE)
                .next(Der.OCTET_STRING).length);
    }

    /** Handshakes over loopback with a client that trusts everyone, and exchanges one byte each way. */
    private static void assertServesTls(SSLContext server) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    int b = s.getInputStream().read();
                    s.getOutputStream().write(b + 1);
                    s.getOutputStream().flush();
                    return b;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (SSLSocket client = (SSLSocket) TlsContexts.trustingEveryone().getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                client.setSoTimeout(10_000);
                OutputStream out = client.getOutputStream();
                out.write(41);
                out.flush();
                InputStream in = client.getInputStream();
                assertEquals(42, in.read());
            }
            assertEquals(41, served.get(10, TimeUnit.SECONDS));
        }
    }

    private static byte[] unsigned(byte[] twosComplement, int length) {
        byte[] out = new byte[length];
        int copy = Math.min(length, twosComplement.length);
        System.arraycopy(twosComplement, twosComplement.length - copy, out, length - copy, copy);
        return out;
    }

    /** A second RSA pair whose key belongs to no certificate used above. */
    private record RsaPair(Path keyPem) {
        static RsaPair of(Path dir) {
            try {
                java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                return new RsaPair(Files.writeString(dir.resolve("other-key.pem"),
                        TestCertificates.pem("PRIVATE KEY", g.generateKeyPair().getPrivate().getEncoded()),
                        StandardCharsets.US_ASCII));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
