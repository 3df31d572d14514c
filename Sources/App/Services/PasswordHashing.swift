import Vapor

/// Bcrypt on the thread pool, so hashing never blocks an event loop.
struct PasswordHashing: Sendable {
    let cost: Int
    let threadPool: NIOThreadPool

    init(application: Application) {
        self.cost = application.settings.passwordCost
        self.threadPool = application.threadPool
    }

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, against digest: String) async throws -> Bool {
        try await threadPool.runIfActive { try Bcrypt.verify(password, created: digest) }
    }
}
