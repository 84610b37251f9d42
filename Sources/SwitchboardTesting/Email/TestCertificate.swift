import Crypto
import Foundation
import NIOSSL
import X509

/// A throwaway certificate authority and a server certificate for `localhost` it signed, made at
/// test time (P-256). Clients trust `caPEM`; the fake server presents `certificatePEM`.
public struct TestCertificate: Sendable {
    public let caPEM: String
    public let certificatePEM: String
    public let privateKeyPEM: String

    public static func make(hostname: String = "localhost") throws -> TestCertificate {
        let caKey = P256.Signing.PrivateKey(), serverKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("Switchboard Test CA") }
        let serverName = try DistinguishedName { CommonName(hostname) }
        let now = Date()
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(caKey.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 86400, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: .init(caKey))
        let server = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(serverKey.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 86400, issuer: caName, subject: serverName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.dnsName(hostname)])
            },
            issuerPrivateKey: .init(caKey))
        return TestCertificate(
            caPEM: try ca.serializeAsPEM().pemString, certificatePEM: try server.serializeAsPEM().pemString,
            privateKeyPEM: serverKey.pemRepresentation)
    }

    func nioCertificate() throws -> NIOSSLCertificate {
        try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem)
    }

    func nioKey() throws -> NIOSSLPrivateKey {
        try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)
    }

    /// A client TLS configuration that trusts only this CA.
    public func clientConfiguration() throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(caPEM.utf8), format: .pem)])
        return tls
    }

    /// Writes the CA to `path` (for `AppConfiguration.smtpCAFile`).
    public func writeCA(to path: String) throws {
        try caPEM.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
