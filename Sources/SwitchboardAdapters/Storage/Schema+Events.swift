extension Schema {
    /// Event webhooks (URLs, secrets, chosen events) and their delivery queue.
    static let eventDelivery = Migration("005_event_delivery", [])
}
