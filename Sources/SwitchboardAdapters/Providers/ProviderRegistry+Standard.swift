import SwitchboardCore

extension ProviderRegistry {
    /// Every adapter this build ships, with base URLs from the configuration (for fakes and staging).
    public static func standard(configuration: AppConfiguration, sandbox: SandboxWorld) -> ProviderRegistry {
        ProviderRegistry(
            [
                GeneralProvider(name: "general"), GeneralProvider(name: "athena"),
                GeneralProvider(name: "ixica"), GeneralProvider(name: "vetta"), SandboxProvider(world: sandbox), LiveChatProvider(),
            ] + carrierProviders(configuration: configuration) + metaProviders(configuration: configuration))
    }
}
