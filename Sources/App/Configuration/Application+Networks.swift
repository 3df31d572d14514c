import AsyncHTTPClient
import Networks
import Vapor

extension Application {
    private struct NetworkHTTPKey: StorageKey { typealias Value = NetworkHTTPClient }

    /// The client every call to a network goes through, guarded by `settings.outboundPolicy`.
    var networkHTTP: NetworkHTTPClient {
        guard let client = storage[NetworkHTTPKey.self] else {
            fatalError("configure(_:settings:) must run before networks are called")
        }
        return client
    }

    /// Makes the network client; it is shut down with the application.
    func useNetworkHTTP(policy: OutboundAddressPolicy) {
        let client = NetworkHTTPClient.makeHTTPClient(eventLoopGroup: eventLoopGroup)
        var http = NetworkHTTPClient(client: client, policy: policy)
        http.timeout = .seconds(Int64(settings.networkTimeout))
        storage[NetworkHTTPKey.self] = http
        lifecycle.use(HTTPClientShutdown(client: client))
    }
}

private struct HTTPClientShutdown: LifecycleHandler {
    let client: HTTPClient

    func shutdown(_ application: Application) {
        try? client.syncShutdown()
    }

    func shutdownAsync(_ application: Application) async {
        try? await client.shutdown()
    }
}
