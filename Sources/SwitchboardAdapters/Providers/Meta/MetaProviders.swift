import SwitchboardCore

extension ProviderRegistry {
    /// Meta's adapters: WhatsApp Cloud API and Messenger.
    static func metaProviders(configuration: AppConfiguration) -> [any MessagingProvider] {
        [
            WhatsAppProvider(baseURL: configuration.providerBaseURLs["whatsapp"]),
            MessengerProvider(baseURL: configuration.providerBaseURLs["facebook"]),
        ]
    }
}
