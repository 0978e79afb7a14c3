package dev.ioloop.iostream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLEngine;

import org.junit.jupiter.api.Test;

/** TlsOptions: defaults, validation messages naming the option and value, and the engines it makes. */
class TlsOptionsTests {

    @Test
    void serverAndClientDefaults() {
        TlsOptions server = TlsFixture.serverOptions();
        assertThat(server.serverSide()).isTrue();
        assertThat(server.clientAuth()).isEqualTo(TlsOptions.ClientAuth.NONE);
        assertThat(server.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        TlsOptions client = TlsOptions.client();
        assertThat(client.serverSide()).isFalse();
        assertThat(client.verifyHostname()).isTrue();
        assertThat(client.serverHostname()).isNull();
        assertThat(client.applicationProtocols()).isEmpty();
    }

    @Test
    void badValuesAreRefusedNamingTheOptionAndTheValue() {
        TlsOptions options = TlsFixture.serverOptions();
        assertThatThrownBy(() -> options.withProtocols(List.of("TLSv1.9")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'protocols' has 'TLSv1.9', which this SSLContext does not support (supported: [");
        assertThatThrownBy(() -> options.withCipherSuites(List.of("TLS_NOT_A_SUITE")))
                .hasMessageStartingWith("'cipherSuites' has 'TLS_NOT_A_SUITE'");
        assertThatThrownBy(() -> options.withApplicationProtocols(List.of("redis", "")))
                .hasMessage("'applicationProtocols' must not contain an empty name (was [redis, ])");
        assertThatThrownBy(() -> options.withHandshakeTimeout(Duration.ZERO))
                .hasMessage("'handshakeTimeout' must be positive (was PT0S)");
        assertThatThrownBy(() -> options.withHandshakeTimeout(Duration.ofSeconds(-1)))
                .hasMessage("'handshakeTimeout' must be positive (was PT-1S)");
        assertThatThrownBy(() -> TlsFixture.clientOptions().withServerHostname(" "))
                .hasMessage("'serverHostname' must not be blank (was ' ')");
        assertThatThrownBy(() -> TlsOptions.server(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("'context' must not be null");
    }

    @Test
    void aClientEngineSendsSniForNamesNotAddressesAndVerifiesTheHostname() {
        SSLEngine named = TlsFixture.clientOptions().newEngine("localhost", 443);
        assertThat(named.getUseClientMode()).isTrue();
        assertThat(named.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(named.getSSLParameters().getServerNames()).hasSize(1);
        SSLEngine address = TlsFixture.clientOptions().newEngine("127.0.0.1", 443);
        assertThat(address.getSSLParameters().getServerNames()).isNullOrEmpty();
        SSLEngine unverified = TlsFixture.clientOptions().withVerifyHostname(false).newEngine("localhost", 443);
        assertThat(unverified.getSSLParameters().getEndpointIdentificationAlgorithm()).isNull();
    }

    @Test
    void aServerEngineAsksForClientCertificatesAsConfiguredAndTheParametersHookHasTheLastWord() {
        assertThat(TlsFixture.serverOptions().withClientAuth(TlsOptions.ClientAuth.NEED).newEngine(null, 0).getNeedClientAuth())
                .isTrue();
        assertThat(TlsFixture.serverOptions().withClientAuth(TlsOptions.ClientAuth.WANT).newEngine(null, 0).getWantClientAuth())
                .isTrue();
        SSLEngine engine = TlsFixture.serverOptions().withProtocols(List.of("TLSv1.2", "TLSv1.3"))
                .withSslParameters(parameters -> parameters.setProtocols(new String[] {"TLSv1.3"})).newEngine(null, 0);
        assertThat(engine.getUseClientMode()).isFalse();
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3");
    }
}
