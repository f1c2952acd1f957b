package io.sockwave.cli;

import io.sockwave.protocol.handshake.RedactedUrl;
import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converter for a URL argument. picocli's own quotes the URL whole, and the {@link URISyntaxException}'s
 * message quotes it again: a password in it would reach the terminal, so the refusal shows the URL as the other
 * messages do, with its password as {@code ***}.
 */
public final class UrlConverter implements ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new TypeConversionException("invalid URL " + RedactedUrl.of(value) + ": " + e.getReason()
                    + (e.getIndex() < 0 ? "" : " at index " + e.getIndex()));
        }
    }
}
