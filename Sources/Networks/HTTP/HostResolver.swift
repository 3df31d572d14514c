import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves a host name to its addresses with the system resolver, off the caller's thread
/// (`getaddrinfo` blocks).
struct HostResolver: Sendable {
    func addresses(of host: String) async throws -> [IPAddress] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Self.resolve(host))
            }
        }
    }

    private static func resolve(_ host: String) -> Result<[IPAddress], NetworkError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            return .failure(.unreachable(host: host, reason: "the name does not resolve"))
        }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            if let socketAddress = current.pointee.ai_addr {
                switch Int32(socketAddress.pointee.sa_family) {
                case AF_INET:
                    socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        let raw = withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) }
                        if let address = IPAddress(bytes: raw) { addresses.append(address) }
                    }
                case AF_INET6:
                    socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        let raw = withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                        if let address = IPAddress(bytes: raw) { addresses.append(address) }
                    }
                default:
                    break
                }
            }
            entry = current.pointee.ai_next
        }
        return .success(addresses)
    }
}
