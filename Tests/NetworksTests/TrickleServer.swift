import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A server on 127.0.0.1 that answers every request with a head promising a large body, then
/// sends that body one byte at a time, a byte every `interval`, for as long as the connection
/// stays open: the slowest answer that never trips a read timeout.
final class TrickleServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32

    init(interval: TimeInterval = 0.2) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = descriptor
        Thread.detachNewThread {
            while true {
                let connection = accept(descriptor, nil, nil)
                if connection < 0 { return }
                Thread.detachNewThread { Self.trickle(on: connection, every: interval) }
            }
        }
    }

    private static func trickle(on connection: Int32, every interval: TimeInterval) {
        defer { close(connection) }
        var request = [UInt8](repeating: 0, count: 4096)
        _ = recv(connection, &request, request.count, 0)
        let head = Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n".utf8)
        guard send(connection, head, head.count, Int32(MSG_NOSIGNAL)) == head.count else { return }
        var byte: UInt8 = UInt8(ascii: " ")
        while send(connection, &byte, 1, Int32(MSG_NOSIGNAL)) == 1 {
            Thread.sleep(forTimeInterval: interval)
        }
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}
