import Crypto
import Foundation
import SwitchboardCore

/// Seals provider credentials at rest with AES-256-GCM under the master key.
/// Sealed text is `v1:<base64 of nonce‖ciphertext‖tag>`.
public struct SecretBox: Sendable {
    private let key: SymmetricKey

    public init(key: SymmetricKey) {
        self.key = key
    }

    public func seal(_ plaintext: String) throws -> String {
        let box = try AES.GCM.seal(Array(plaintext.utf8), using: key)
        guard let combined = box.combined else { throw SecretBoxError.cannotSeal }
        return "v1:" + Formats.encodeBase64(Array(combined))
    }

    public func open(_ sealed: String) throws -> String {
        guard sealed.hasPrefix("v1:"), let bytes = Formats.decodeBase64(String(sealed.dropFirst(3))) else {
            throw SecretBoxError.malformed
        }
        let plaintext = try AES.GCM.open(AES.GCM.SealedBox(combined: bytes), using: key)
        return String(decoding: plaintext, as: UTF8.self)
    }

    /// Loads the master key from `SWITCHBOARD_SECRET_KEY` (Base64 of 32 bytes) when given, else from
    /// `<dataDir>/master.key`, creating that file (mode 0600) on first start.
    public static func loadMasterKey(environmentValue: String?, dataDirectory: String) throws -> SymmetricKey {
        if let environmentValue, !environmentValue.isEmpty {
            guard let bytes = Formats.decodeBase64(environmentValue), bytes.count == 32 else {
                throw ConfigurationError("SWITCHBOARD_SECRET_KEY must be the Base64 of 32 random bytes")
            }
            return SymmetricKey(data: bytes)
        }
        let path = dataDirectory + "/master.key"
        let fileManager = FileManager.default
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            guard let bytes = Formats.decodeBase64(text.trimmingSpaces), bytes.count == 32 else {
                throw ConfigurationError("\(path) is not a valid master key")
            }
            return SymmetricKey(data: bytes)
        }
        try fileManager.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let key = SymmetricKey(size: .bits256)
        let text = Formats.encodeBase64(key.withUnsafeBytes { Array($0) }) + "\n"
        guard fileManager.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ConfigurationError("cannot write the master key to \(path)")
        }
        return key
    }
}

public enum SecretBoxError: Error {
    case cannotSeal, malformed
}

/// Shows only the first and last characters of a secret: `ab****yz`.
public func maskSecret(_ secret: String) -> String {
    guard secret.count > 6 else { return String(repeating: "*", count: max(secret.count, 4)) }
    return String(secret.prefix(2)) + String(repeating: "*", count: min(secret.count - 4, 12)) + String(secret.suffix(2))
}
