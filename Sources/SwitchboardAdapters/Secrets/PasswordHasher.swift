import Crypto
import Foundation
import SwitchboardCore
import _CryptoExtras

/// Salted, slow hashes for passwords and client secrets (PBKDF2-HMAC-SHA256, 210,000 rounds — OWASP's floor).
/// Stored as `pbkdf2-sha256$<rounds>$<salt b64>$<hash b64>`.
public enum PasswordHasher {
    static let rounds = 210_000

    public static func hash(_ password: String) -> String {
        let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }
        let digest = derive(password, salt: salt, rounds: rounds)
        return "pbkdf2-sha256$\(rounds)$\(Formats.encodeBase64(salt))$\(Formats.encodeBase64(digest))"
    }

    /// Constant-time comparison of `password` against a stored hash; false for any malformed hash.
    public static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), rounds >= 1,
            let salt = Formats.decodeBase64(parts[2]), let expected = Formats.decodeBase64(parts[3])
        else { return false }
        return constantTimeEqual(derive(password, salt: salt, rounds: rounds), expected)
    }

    private static func derive(_ password: String, salt: [UInt8], rounds: Int) -> [UInt8] {
        // Only fails for rounds < 1 or a zero output size, which the callers rule out.
        let key = try! KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: rounds)
        return key.withUnsafeBytes { Array($0) }
    }
}

/// Compares two byte strings in time that depends only on their lengths.
public func constantTimeEqual<A: Collection<UInt8>, B: Collection<UInt8>>(_ a: A, _ b: B) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for (x, y) in zip(a, b) { difference |= x ^ y }
    return difference == 0
}

/// Random identifiers and secrets.
public enum RandomToken {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// A random alphanumeric string (Yeastar's tokens are 32 such characters).
    public static func alphanumeric(_ length: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// Lowercase hex SHA-256, used to store bearer tokens without keeping them.
    public static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
