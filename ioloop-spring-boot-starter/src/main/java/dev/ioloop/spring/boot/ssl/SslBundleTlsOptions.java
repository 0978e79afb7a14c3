package dev.ioloop.spring.boot.ssl;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.SSLContext;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;

import dev.ioloop.iostream.TlsOptions;

/**
 * {@link TlsOptions} from a Spring Boot {@link SslBundle} (the {@code spring.ssl.bundle.*}
 * properties), so a {@code TCPServer} or {@code TCPClient} takes its keys, trust, TLS versions and
 * cipher suites from the same place Boot's web servers and clients do.
 *
 * <pre>{@code
 * // spring.ssl.bundle.pem.redis.keystore.certificate=classpath:server.crt
 * // spring.ssl.bundle.pem.redis.keystore.private-key=classpath:server.key
 * TlsOptions tls = SslBundleTlsOptions.server(sslBundles.getBundle("redis"));
 * new TCPServer(handler, loop, TCPServerOptions.defaults().withTls(tls));
 * }</pre>
 *
 * <p>Stateless; safe from any thread. Each call creates a new {@link SSLContext} from the bundle.
 */
public final class SslBundleTlsOptions {

    private SslBundleTlsOptions() {
    }

    /**
     * Server-side options: the bundle's key store presents the certificate, its trust store (if
     * any) judges client certificates, its options enable versions and cipher suites.
     *
     * @param bundle the bundle
     * @return server-side options (other settings at TlsOptions' defaults)
     */
    public static TlsOptions server(SslBundle bundle) {
        Objects.requireNonNull(bundle, "'bundle' must not be null");
        return applyOptions(TlsOptions.server(bundle.createSslContext()), bundle.getOptions());
    }

    /**
     * Client-side options: the bundle's trust store judges the server's certificate (its key store,
     * if any, is the client certificate); hostname verification on.
     *
     * @param bundle the bundle
     * @return client-side options (other settings at TlsOptions' defaults)
     */
    public static TlsOptions client(SslBundle bundle) {
        Objects.requireNonNull(bundle, "'bundle' must not be null");
        return applyOptions(TlsOptions.client(bundle.createSslContext()), bundle.getOptions());
    }

    private static TlsOptions applyOptions(TlsOptions tls, SslOptions options) {
        TlsOptions applied = tls;
        if (options.getEnabledProtocols() != null) {
            applied = applied.withProtocols(List.copyOf(Arrays.asList(options.getEnabledProtocols())));
        }
        if (options.getCiphers() != null) {
            applied = applied.withCipherSuites(List.copyOf(Arrays.asList(options.getCiphers())));
        }
        return applied;
    }
}
