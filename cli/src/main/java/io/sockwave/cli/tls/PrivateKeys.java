package io.sockwave.cli.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;

/**
 * Loads an unencrypted private key from a PEM file in any of the forms OpenSSL writes: PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) and SEC 1 ({@code EC PRIVATE KEY}).
 */
final class PrivateKeys {
    private static final byte[] RSA_ENCRYPTION = oid(0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01);
    private static final byte[] EC_PUBLIC_KEY = oid(0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01);
    private static final List<String> ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS", "XDH");

    private PrivateKeys() {}

    /**
     * @param file the PEM file; other blocks (such as {@code EC PARAMETERS} or certificates) are ignored
     * @return the first private key in it
     * @throws IOException with a readable reason if the file holds no usable key
     */
    static PrivateKey read(Path file) throws IOException {
        for (Pem.Block block : Pem.read(file)) {
            if (block.label().equals("ENCRYPTED PRIVATE KEY") || block.label().endsWith("PRIVATE KEY") && block.headers()) {
                throw new IOException(file + ": the private key is encrypted; decrypt it first, for example with"
                        + " `openssl pkey -in " + file + " -out key.pem`");
            }
            try {
                switch (block.label()) {
                    case "PRIVATE KEY":
                        return fromPkcs8(block.der());
                    case "RSA PRIVATE KEY":
                        return fromPkcs8(pkcs8(Der.element(Der.SEQUENCE, RSA_ENCRYPTION, Der.element(Der.NULL)),
                                block.der()));
                    case "EC PRIVATE KEY":
                        return fromPkcs8(pkcs8(Der.element(Der.SEQUENCE, EC_PUBLIC_KEY, sec1Curve(block.der())),
                                block.der()));
                    default:
                        // not a key: keep looking
                }
            } catch (IllegalArgumentException | GeneralSecurityException e) {
                throw new IOException(file + ": cannot read the " + block.label() + ": " + e.getMessage(), e);
            }
        }
        throw new IOException(file + ": no private key found (expected a PRIVATE KEY, RSA PRIVATE KEY or"
                + " EC PRIVATE KEY block)");
    }

    private static PrivateKey fromPkcs8(byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String algorithm : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("unsupported key algorithm (tried " + ALGORITHMS + ")", last);
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, algorithm AlgorithmIdentifier, privateKey OCTET STRING } */
    private static byte[] pkcs8(byte[] algorithmIdentifier, byte[] traditionalKey) {
        return Der.element(Der.SEQUENCE, Der.element(Der.INTEGER, new byte[] {0}), algorithmIdentifier,
                Der.element(Der.OCTET_STRING, traditionalKey));
    }

    /** ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, parameters [0] OID, publicKey [1] ... } */
    private static byte[] sec1Curve(byte[] der) {
        Der.Reader key = new Der.Reader(der, Der.SEQUENCE);
        key.next(Der.INTEGER);
        key.next(Der.OCTET_STRING);
        if (!key.hasNext() || key.peekTag() != Der.CONTEXT_0) {
            throw new IllegalArgumentException("the key does not name its curve");
        }
        byte[] parameters = key.next(Der.CONTEXT_0);
        byte[] curve = new Der.Reader(Der.element(Der.SEQUENCE, parameters), Der.SEQUENCE).next(Der.OBJECT_IDENTIFIER);
        return Der.element(Der.OBJECT_IDENTIFIER, curve);
    }

    private static byte[] oid(int... encoded) {
        byte[] bytes = new byte[encoded.length];
        for (int i = 0; i < encoded.length; i++) {
            bytes[i] = (byte) encoded[i];
        }
        return Der.element(Der.OBJECT_IDENTIFIER, bytes);
    }
}
