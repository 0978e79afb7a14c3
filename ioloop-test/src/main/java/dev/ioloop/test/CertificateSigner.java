package dev.ioloop.test;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Signs the certificates of {@link TestCertificates} with Bouncy Castle, the only class here that touches it
 * (an optional dependency: {@link TestCertificates} checks it is there first). Thread-safe.
 */
final class CertificateSigner {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private CertificateSigner() {
    }

    /**
     * Signs a certificate for {@code subjectName} with the issuer's key, or self-signed without an issuer.
     *
     * @param subjectName an X.500 name, such as {@code CN=localhost}
     */
    static X509Certificate sign(String subjectName, KeyPair subjectKeys, TestCertificates.@Nullable Authority issuer,
            Instant notBefore, Instant notAfter, boolean ca, String... subjectAltNames) {
        X500Name subject = new X500Name(subjectName);
        try {
            X500Name issuerName = issuer == null ? subject : new X500Name(issuer.certificate().getSubjectX500Principal().getName());
            PrivateKey signingKey = issuer == null ? subjectKeys.getPrivate() : issuer.keys().getPrivate();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), subject,
                    subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            }
            if (subjectAltNames.length > 0) {
                builder.addExtension(Extension.subjectAlternativeName, false, altNames(subjectAltNames));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signingKey)));
        } catch (OperatorCreationException | GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot sign a certificate for " + subject, e);
        }
    }

    private static GeneralNames altNames(String... entries) throws UnknownHostException {
        List<GeneralName> names = new ArrayList<>();
        for (String entry : entries) {
            if (entry.startsWith("DNS:")) {
                names.add(new GeneralName(GeneralName.dNSName, entry.substring(4)));
            } else if (entry.startsWith("IP:")) {
                InetAddress.getByName(entry.substring(3)); // a literal: checks the form, resolves nothing
                names.add(new GeneralName(GeneralName.iPAddress, entry.substring(3)));
            } else {
                throw new IllegalArgumentException("subject alternative name must start with DNS: or IP: (was '" + entry + "')");
            }
        }
        return new GeneralNames(names.toArray(new GeneralName[0]));
    }
}
