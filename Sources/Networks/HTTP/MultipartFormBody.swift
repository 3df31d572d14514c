import Foundation

/// A `multipart/form-data` request body (RFC 7578), for the networks' upload endpoints.
struct MultipartFormBody {
    let boundary = "trestle-" + UUID().uuidString
    private(set) var data = Data()

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    mutating func add(_ name: String, value: String) {
        data.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.quoted(name))\"\r\n\r\n".utf8))
        data.append(Data(value.utf8))
        data.append(Data("\r\n".utf8))
    }

    mutating func add(_ name: String, file: Data, filename: String, type: String) {
        data.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.quoted(name))\"; filename=\"\(Self.quoted(filename))\"\r\nContent-Type: \(type)\r\n\r\n".utf8))
        data.append(file)
        data.append(Data("\r\n".utf8))
    }

    /// The body, closed.
    func finished() -> Data {
        data + Data("--\(boundary)--\r\n".utf8)
    }

    /// Quotes and line breaks would end the header early; they are left out of names.
    private static func quoted(_ text: String) -> String {
        String(text.filter { $0 != "\"" && $0 != "\r" && $0 != "\n" && $0 != "\\" }.prefix(200))
    }
}
