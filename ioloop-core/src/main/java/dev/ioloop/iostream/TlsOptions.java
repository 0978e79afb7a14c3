package dev.ioloop.iostream;

import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import org.jspecify.annotations.Nullable;

/**
 * How a stream speaks TLS: Tornado's {@code ssl_options} and {@code server_hostname}, for
 * {@link IOStream#startTls(TlsOptions)}, {@code TCPServerOptions.withTls} and
 * {@code TCPClient.connect(..., TlsOptions)}. Immutable; start from {@link #server(SSLContext)}
 * or {@link #client(SSLContext)} and change one setting at a time with the {@code with*} methods.
 *
 * <pre>{@code
 * TlsOptions server = TlsOptions.server(sslContext)                  // from a key store, or a Boot SslBundle
 *         .withApplicationProtocols(List.of("redis"));
 * TlsOptions client = TlsOptions.client()                            // the JDK's trust store
 *         .withServerHostname("cache.example.com");                  // SNI, and the name the certificate must match
 * }</pre>
 *
 * @param context where keys, trust and the provider come from; the JDK's SSLEngine does the work
 * @param serverSide whether this side answers the handshake (a server) rather than starts it
 * @param serverHostname client side: the name sent as SNI and checked against the server's
 *     certificate; {@code null} lets {@code TCPClient} use the host it connects to (a raw
 *     {@code startTls} then needs it, unless verification is off). Ignored server side
 * @param verifyHostname client side: whether the server's certificate must match
 *     {@code serverHostname} (endpoint identification "HTTPS", as browsers); default true
 * @param applicationProtocols ALPN: the protocols offered (client) or accepted in order of
 *     preference (server); empty for no ALPN
 * @param clientAuth server side: whether clients must (or may) present a certificate
 * @param protocols the TLS versions enabled, e.g. {@code TLSv1.3}; empty for the context's defaults
 * @param cipherSuites the cipher suites enabled; empty for the context's defaults
 * @param handshakeTimeout how long the handshake may take before the stream closes with an
 *     {@link javax.net.ssl.SSLHandshakeException} saying so; positive, default
 *     {@link #DEFAULT_HANDSHAKE_TIMEOUT}
 * @param sslParameters applied last to each engine's {@link SSLParameters}, to set anything the
 *     fields above do not cover (or override them); {@code null} for nothing
 */
public record TlsOptions(SSLContext context, boolean serverSide, @Nullable String serverHostname,
        boolean verifyHostname, List<String> applicationProtocols, ClientAuth clientAuth, List<String> protocols,
        List<String> cipherSuites, Duration handshakeTimeout, @Nullable Consumer<SSLParameters> sslParameters) {

    /** The default handshake timeout: 10 seconds, as Netty's {@code SslHandler}. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /** IPv4 dotted quads and anything with a colon (IPv6): names that are not sent as SNI. */
    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|.*:.*");

    /** Whether a TLS server asks clients for a certificate. */
    public enum ClientAuth {
        /** Clients are not asked for a certificate (the default). */
        NONE,
        /** Clients are asked; one that sends none is still accepted. */
        WANT,
        /** Clients must present a certificate the context trusts. */
        NEED
    }

    /**
     * Validates every option.
     *
     * @throws IllegalArgumentException naming the option, the rule and the value: a version or
     *     cipher suite the context does not support, an empty ALPN name, a timeout not positive
     */
    public TlsOptions {
        Objects.requireNonNull(context, "'context' must not be null");
        Objects.requireNonNull(clientAuth, "'clientAuth' must not be null");
        Objects.requireNonNull(handshakeTimeout, "'handshakeTimeout' must not be null");
        applicationProtocols = List.copyOf(Objects.requireNonNull(applicationProtocols, "'applicationProtocols' must not be null"));
        protocols = List.copyOf(Objects.requireNonNull(protocols, "'protocols' must not be null"));
        cipherSuites = List.copyOf(Objects.requireNonNull(cipherSuites, "'cipherSuites' must not be null"));
        if (serverHostname != null && serverHostname.isBlank()) {
            throw new IllegalArgumentException("'serverHostname' must not be blank (was '" + serverHostname + "')");
        }
        for (String name : applicationProtocols) {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("'applicationProtocols' must not contain an empty name (was " + applicationProtocols + ")");
            }
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("'handshakeTimeout' must be positive (was " + handshakeTimeout + ")");
        }
        SSLParameters supported = context.getSupportedSSLParameters();
        requireSupported("protocols", protocols, supported.getProtocols());
        requireSupported("cipherSuites", cipherSuites, supported.getCipherSuites());
    }

    private static void requireSupported(String option, List<String> wanted, String[] supported) {
        List<String> known = Arrays.asList(supported);
        for (String name : wanted) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("'" + option + "' has '" + name
                        + "', which this SSLContext does not support (supported: " + known + ")");
            }
        }
    }

    /**
     * Server-side options with {@code context}'s key (and, for client certificates, its trust).
     *
     * @param context a context holding the server's certificate chain and private key
     * @return options: no client authentication, no ALPN, the context's versions and suites,
     *     a 10 s handshake timeout
     */
    public static TlsOptions server(SSLContext context) {
        return new TlsOptions(context, true, null, true, List.of(), ClientAuth.NONE, List.of(), List.of(),
                DEFAULT_HANDSHAKE_TIMEOUT, null);
    }

    /**
     * Client-side options trusting what {@code context} trusts, verifying the server's hostname.
     *
     * @param context a context whose trust managers judge the server's certificate
     * @return options: hostname verification on, no ALPN, the context's versions and suites,
     *     a 10 s handshake timeout
     */
    public static TlsOptions client(SSLContext context) {
        return new TlsOptions(context, false, null, true, List.of(), ClientAuth.NONE, List.of(), List.of(),
                DEFAULT_HANDSHAKE_TIMEOUT, null);
    }

    /**
     * Client-side options on the JDK's default context (its default trust store, as
     * {@code HttpsURLConnection} uses), verifying the server's hostname.
     *
     * @return the options
     * @throws IllegalStateException if the JDK has no default TLS context
     */
    public static TlsOptions client() {
        try {
            return client(SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default SSLContext: pass one to TlsOptions.client(SSLContext)", e);
        }
    }

    /**
     * These options with another SNI name and name to verify (client side).
     *
     * @param value the host name, or null to use the host connected to
     * @return a copy with that value
     */
    public TlsOptions withServerHostname(@Nullable String value) {
        return new TlsOptions(context, serverSide, value, verifyHostname, applicationProtocols, clientAuth, protocols,
                cipherSuites, handshakeTimeout, sslParameters);
    }

    /**
     * These options with hostname verification on (the default) or off (client side). Off still
     * checks that a trusted CA signed the certificate, just not for which name.
     *
     * @param value whether to verify
     * @return a copy with that value
     */
    public TlsOptions withVerifyHostname(boolean value) {
        return new TlsOptions(context, serverSide, serverHostname, value, applicationProtocols, clientAuth, protocols,
                cipherSuites, handshakeTimeout, sslParameters);
    }

    /**
     * These options with other ALPN protocols.
     *
     * @param value the protocols, most preferred first; empty for none
     * @return a copy with that value
     */
    public TlsOptions withApplicationProtocols(List<String> value) {
        return new TlsOptions(context, serverSide, serverHostname, verifyHostname, value, clientAuth, protocols,
                cipherSuites, handshakeTimeout, sslParameters);
    }

    /**
     * These options with another client-certificate policy (server side).
     *
     * @param value the policy
     * @return a copy with that value
     */
    public TlsOptions withClientAuth(ClientAuth value) {
        return new TlsOptions(context, serverSide, serverHostname, verifyHostname, applicationProtocols, value, protocols,
                cipherSuites, handshakeTimeout, sslParameters);
    }

    /**
     * These options with other enabled TLS versions, e.g. {@code List.of("TLSv1.3")}.
     *
     * @param value the versions; empty for the context's defaults
     * @return a copy with that value
     */
    public TlsOptions withProtocols(List<String> value) {
        return new TlsOptions(context, serverSide, serverHostname, verifyHostname, applicationProtocols, clientAuth, value,
                cipherSuites, handshakeTimeout, sslParameters);
    }

    /**
     * These options with other enabled cipher suites.
     *
     * @param value the suites; empty for the context's defaults
     * @return a copy with that value
     */
    public TlsOptions withCipherSuites(List<String> value) {
        return new TlsOptions(context, serverSide, serverHostname, verifyHostname, applicationProtocols, clientAuth,
                protocols, value, handshakeTimeout, sslParameters);
    }

    /**
     * These options with another handshake timeout.
     *
     * @param value the time the handshake may take; positive
     * @return a copy with that value
     */
    public TlsOptions withHandshakeTimeout(Duration value) {
        return new TlsOptions(context, serverSide, serverHostname, verifyHostname, applicationProtocols, clientAuth,
                protocols, cipherSuites, value, sslParameters);
    }

    /**
     * These options with a last say over each engine's parameters (run after the settings above).
     *
     * @param value changes the parameters in place; null for none
     * @return a copy with that value
     */
    public TlsOptions withSslParameters(@Nullable Consumer<SSLParameters> value) {
        return new TlsOptions(context, serverSide, serverHostname, verifyHostname, applicationProtocols, clientAuth,
                protocols, cipherSuites, handshakeTimeout, value);
    }

    /**
     * Creates an engine set up by these options.
     *
     * @param hostname the name to send as SNI and verify (client side), or null
     * @param port the peer's port, a hint for session resumption
     * @return a new engine, not yet handshaking
     */
    SSLEngine newEngine(@Nullable String hostname, int port) {
        SSLEngine engine = hostname != null && !serverSide ? context.createSSLEngine(hostname, port) : context.createSSLEngine();
        engine.setUseClientMode(!serverSide);
        SSLParameters parameters = engine.getSSLParameters();
        if (!protocols.isEmpty()) {
            parameters.setProtocols(protocols.toArray(String[]::new));
        }
        if (!cipherSuites.isEmpty()) {
            parameters.setCipherSuites(cipherSuites.toArray(String[]::new));
        }
        if (!applicationProtocols.isEmpty()) {
            parameters.setApplicationProtocols(applicationProtocols.toArray(String[]::new));
        }
        if (serverSide) {
            parameters.setNeedClientAuth(clientAuth == ClientAuth.NEED);
            if (clientAuth == ClientAuth.WANT) {
                parameters.setWantClientAuth(true);
            }
        } else {
            if (verifyHostname) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (hostname != null && !IP_LITERAL.matcher(hostname).matches()) {
                try {
                    parameters.setServerNames(List.of(new SNIHostName(hostname)));
                } catch (IllegalArgumentException e) {
                    // not a name SNI can carry (e.g. an underscore): no SNI; the certificate is still verified
                }
            }
        }
        if (sslParameters != null) {
            sslParameters.accept(parameters);
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    @Override
    public String toString() {
        return "TlsOptions[" + (serverSide ? "server" : "client") + ", context=" + context.getProtocol()
                + (serverSide ? ", clientAuth=" + clientAuth : ", serverHostname=" + serverHostname
                        + ", verifyHostname=" + verifyHostname)
                + ", alpn=" + applicationProtocols + ", protocols=" + protocols + ", handshakeTimeout=" + handshakeTimeout + "]";
    }
}
