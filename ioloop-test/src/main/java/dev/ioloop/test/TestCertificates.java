package dev.ioloop.test;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made at run time for TLS tests: a CA, and certificates it issues for names and
 * addresses, valid or not (expired, not yet valid). EC P-256 keys, SHA-256 signatures. Nothing is
 * written to disk unless a test asks for PEM text; no private key is ever committed.
 *
 * <pre>{@code
 * TestCertificates.Authority ca = TestCertificates.authority("test CA");
 * TestCertificates.Issued server = ca.issue("localhost", "DNS:localhost", "IP:127.0.0.1");
 * SSLContext serverContext = server.context();                  // its key, trusting nobody
 * SSLContext clientContext = TestCertificates.trusting(ca);     // trusts certificates ca issued
 * }</pre>
 *
 * <p>Signing needs Bouncy Castle's {@code org.bouncycastle:bcpkix-jdk18on} on the test classpath (the JDK
 * has no public API that builds a certificate); it is an optional dependency of ioloop-test, and without
 * it {@link #authority} and {@link Authority#issue} throw an {@link IllegalStateException} that says so.
 *
 * <p>Thread-safe: every method builds new objects.
 */
public final class TestCertificates {

    private TestCertificates() {
    }

    /**
     * A certificate authority: a key and a self-signed CA certificate.
     *
     * @param keys the CA's key pair
     * @param certificate its self-signed certificate
     */
    public record Authority(KeyPair keys, X509Certificate certificate) {

        /**
         * Issues a certificate valid from an hour ago for a day.
         *
         * @param commonName the subject's CN
         * @param subjectAltNames entries {@code DNS:name} or {@code IP:address}
         * @return the certificate with its key
         */
        public Issued issue(String commonName, String... subjectAltNames) {
            Instant now = Instant.now();
            return issue(commonName, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), subjectAltNames);
        }

        /**
         * Issues a certificate valid between two instants (either may be in the past or the future).
         *
         * @param commonName the subject's CN
         * @param notBefore start of validity
         * @param notAfter end of validity
         * @param subjectAltNames entries {@code DNS:name} or {@code IP:address}
         * @return the certificate with its key
         */
        public Issued issue(String commonName, Instant notBefore, Instant notAfter, String... subjectAltNames) {
            requireBouncyCastle();
            KeyPair subject = newKeyPair();
            X509Certificate cert = CertificateSigner.sign("CN=" + commonName, subject, this, notBefore, notAfter, false,
                    subjectAltNames);
            return new Issued(subject, List.of(cert, certificate));
        }
    }

    /**
     * A certificate chain (leaf first, then its CA) with the leaf's key.
     *
     * @param keys the leaf's key pair
     * @param chain leaf, then issuer
     */
    public record Issued(KeyPair keys, List<X509Certificate> chain) {

        /**
         * A TLS context presenting this certificate and trusting {@code trusted} (for client certificates or a client).
         *
         * @param trusted the CAs whose certificates the peer may present
         * @return a new TLS context
         */
        public SSLContext context(Authority... trusted) {
            try {
                KeyStore keyStore = KeyStore.getInstance("PKCS12");
                keyStore.load(null, null);
                keyStore.setKeyEntry("key", keys.getPrivate(), new char[0], chain.toArray(new X509Certificate[0]));
                KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(keyStore, new char[0]);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keyManagers.getKeyManagers(), trustManagers(trusted), null);
                return context;
            } catch (GeneralSecurityException | java.io.IOException e) {
                throw new IllegalStateException("cannot build a TLS context for " + chain.get(0).getSubjectX500Principal(), e);
            }
        }

        /**
         * The chain as PEM text (leaf first), as Boot's {@code spring.ssl.bundle.pem.*.certificate} reads it.
         *
         * @return the PEM text
         */
        public String certificatePem() {
            StringBuilder pem = new StringBuilder();
            for (X509Certificate cert : chain) {
                pem.append(pem("CERTIFICATE", encoded(cert)));
            }
            return pem.toString();
        }

        /**
         * The private key as PKCS#8 PEM text.
         *
         * @return the PEM text
         */
        public String privateKeyPem() {
            return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
        }
    }

    /**
     * A new CA valid from an hour ago for a day.
     *
     * @param commonName its CN
     * @return the CA
     */
    public static Authority authority(String commonName) {
        requireBouncyCastle();
        KeyPair keys = newKeyPair();
        Instant now = Instant.now();
        X509Certificate self = CertificateSigner.sign("CN=" + commonName, keys, null, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(1)), true);
        return new Authority(keys, self);
    }

    /**
     * A client-side TLS context trusting exactly {@code trusted} (no key of its own).
     *
     * @param trusted the CAs to trust
     * @return a new TLS context
     */
    public static SSLContext trusting(Authority... trusted) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(trusted), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trusting TLS context", e);
        }
    }

    /**
     * A CA certificate as PEM text (for {@code redis-cli --cacert} or a Boot trust store).
     *
     * @param authority the CA
     * @return the PEM text
     */
    public static String pem(Authority authority) {
        return pem("CERTIFICATE", encoded(authority.certificate()));
    }

    private static javax.net.ssl.TrustManager[] trustManagers(Authority... trusted) throws GeneralSecurityException {
        try {
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            for (int i = 0; i < trusted.length; i++) {
                trustStore.setCertificateEntry("ca-" + i, trusted[i].certificate());
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore);
            return factory.getTrustManagers();
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an EC key pair", e);
        }
    }

    // Checked before any class of Bouncy Castle is touched: CertificateSigner holds all of them.
    private static void requireBouncyCastle() {
        try {
            Class.forName("org.bouncycastle.cert.X509v3CertificateBuilder", false, TestCertificates.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("TestCertificates signs certificates with Bouncy Castle, which is not on the"
                    + " classpath: add the test dependency org.bouncycastle:bcpkix-jdk18on", e);
        }
    }

    private static byte[] encoded(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
