package dev.ioloop.iostream;

import java.net.SocketAddress;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import org.jspecify.annotations.Nullable;

/**
 * Turns the JDK's TLS exceptions into causes that name the problem and the peer ("the peer's
 * certificate has expired", "the peer did not speak TLS"), keeping the JDK's exception as the
 * cause. Stateless.
 */
final class TlsFailures {

    /** The message prefix of every exception made here, so one is never described twice. */
    private static final String PREFIX = "TLS ";

    private TlsFailures() {
    }

    /**
     * Describes {@code e}: an {@link SSLHandshakeException} while the handshake runs, else an
     * {@link SSLException}, whose message says what went wrong with whom.
     *
     * @param e the engine's exception
     * @param handshakeDone whether the handshake had finished
     * @param peer the remote address, for the message
     * @return the described exception, {@code e} as its cause (or {@code e} itself if it was made here)
     */
    static SSLException describe(SSLException e, boolean handshakeDone, @Nullable SocketAddress peer) {
        String message = e.getMessage();
        if (message != null && message.startsWith(PREFIX)) {
            return e;
        }
        SSLException described = handshakeDone
                ? new SSLException(PREFIX + "with " + peer + " failed: " + reason(e))
                : new SSLHandshakeException(PREFIX + "handshake with " + peer + " failed: " + reason(e));
        described.initCause(e);
        return described;
    }

    /**
     * A runtime failure inside the engine (a trust manager's bug, say), as an exception the
     * stream's close funnel takes.
     *
     * @param e the runtime exception
     * @param peer the remote address
     * @return an SSLException with {@code e} as its cause
     */
    static SSLException engineFailed(RuntimeException e, @Nullable SocketAddress peer) {
        return new SSLException(PREFIX + "engine failed on the connection with " + peer + ": " + e, e);
    }

    private static String reason(SSLException e) {
        String message = String.valueOf(e.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (has(e, CertificateExpiredException.class)) {
            return "the peer's certificate has expired (" + deepest(e) + ")";
        }
        if (has(e, CertificateNotYetValidException.class)) {
            return "the peer's certificate is not yet valid (" + deepest(e) + ")";
        }
        if (lower.contains("subject alternative") || lower.contains("no name matching")) {
            return "hostname mismatch: the server's certificate is not for the name connected to (" + message + ")";
        }
        if (has(e, CertPathBuilderException.class) || has(e, CertPathValidatorException.class)
                || lower.contains("unable to find valid certification path")) {
            return "the peer's certificate is not signed by a trusted CA (" + message + ")";
        }
        if (lower.contains("empty client certificate chain")) {
            return "the client presented no certificate, and this server needs one (" + message + ")";
        }
        if (lower.contains("unsupported or unrecognized ssl message") || lower.contains("plaintext")) {
            return "the peer did not speak TLS: plaintext on a TLS connection? (" + message + ")";
        }
        if (lower.startsWith("received fatal alert")) {
            return "the peer refused the connection with " + message.substring("received ".length());
        }
        return message;
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String deepest(Throwable e) {
        Throwable last = e;
        while (last.getCause() != null && last.getCause() != last) {
            last = last.getCause();
        }
        return String.valueOf(last.getMessage());
    }
}
