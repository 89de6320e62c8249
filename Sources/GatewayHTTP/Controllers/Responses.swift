import Foundation
import HTTPTypes
import Hummingbird

/// `200` with bytes of a media type.
enum BytesResponse {
    static func make(_ bytes: [UInt8], mediaType: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = mediaType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// `200` with a JSON body.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws
        -> Response
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = try encoder.encode(value)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
