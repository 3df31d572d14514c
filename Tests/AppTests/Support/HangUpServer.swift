import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A server that takes each connection on 127.0.0.1 and closes it at once, without a word:
/// what a crashed or misconfigured instance looks like from outside.
final class HangUpServer: @unchecked Sendable {
    let port: Int
    private let socketDescriptor: Int32

    init() throws {
        let (descriptor, port) = try ClosedPort.boundLoopbackSocket()
        guard listen(descriptor, 16) == 0 else { close(descriptor); throw POSIXError(.EADDRINUSE) }
        self.port = port
        socketDescriptor = descriptor
        Thread.detachNewThread {
            while true {
                let connection = accept(descriptor, nil, nil)
                if connection < 0 { return }
                close(connection)
            }
        }
    }

    func stop() {
        shutdown(socketDescriptor, Int32(SHUT_RDWR))
        close(socketDescriptor)
    }
}
