import SwitchboardCore

/// The values of the Email page: the saved SMTP settings (never the password) and the template
/// the Live Chat embed code is sent with.
struct PortalEmailPage: Sendable {
    let email: EmailService

    func fill(into values: inout [String: Any]) async throws {
        let settings = try await email.settings()
        let security = settings?.security ?? .starttls
        values["smtp"] = [
            "configured": settings != nil, "host": settings?.host ?? "", "port": settings?.port ?? security.defaultPort,
            "username": settings?.username ?? "", "password_set": settings.map { !$0.password.isEmpty } ?? false,
            "sender_address": settings?.senderAddress ?? "", "sender_name": settings?.senderName ?? "",
        ] as [String: Any]
        values["securities"] = EmailSecurity.allCases.map { option -> [String: Any] in
            ["value": option.rawValue, "label": option.label, "port": option.defaultPort, "selected": option == security]
        }
        values["installSubject"] = LiveChatInstallEmail.subject
    }
}
