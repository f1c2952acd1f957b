package io.sockwave.cli.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the blocks of a PEM file (RFC 7468): a label such as {@code CERTIFICATE} and the DER bytes it encloses. */
final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    /** One PEM block; {@code headers} is true when RFC 1421 headers (such as {@code Proc-Type}) precede the data. */
    record Block(String label, byte[] der, boolean headers) {}

    private Pem() {}

    /**
     * @param file a file that should hold PEM blocks
     * @return its text, read as bytes so that a binary file gets the message below rather than a decoding error
     * @throws IOException naming the file and what is wrong with it: missing, unreadable, or no PEM text at all
     */
    static String text(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new IOException(file + ": permission denied");
        }
        if (!text.contains("-----BEGIN ")) {
            throw new IOException(file + ": no PEM block (-----BEGIN ...-----) found; a DER file converts with"
                    + " openssl x509 -inform der -in FILE -out FILE.pem");
        }
        return text;
    }

    /**
     * @param file a PEM file
     * @return its blocks in file order
     * @throws IOException if the file cannot be read, holds no PEM block, or a block is not valid Base64
     */
    static List<Block> read(Path file) throws IOException {
        String text = text(file);
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            boolean headers = body.contains(":");
            if (headers) {
                // Legacy OpenSSL encryption headers end with a blank line before the data.
                int blank = body.indexOf("\n\n", body.indexOf(':'));
                body = blank < 0 ? "" : body.substring(blank);
            }
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body.strip()), headers));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": the " + m.group(1) + " block is not valid Base64", e);
            }
        }
        if (blocks.isEmpty()) {
            throw new IOException(file + ": no PEM block (-----BEGIN ...-----) found");
        }
        return blocks;
    }
}
