import CCurl
import CCurlShim
import Dispatch
import Foundation
import GatewayCore

/// One upload's inputs, as the handle's queue needs them.
struct SFTPRequest: Sendable {
    var url: SFTPURL
    var address: IPAddress
    var username: String
    var fingerprint: String
    var key: SSHKeyPair
    var bytes: [UInt8]
}

/// A libcurl easy handle and the serial queue it is used on. libcurl keeps the SSH connection alive on the handle
/// between transfers; the handle is only ever touched on its queue.
final class SFTPHandle: @unchecked Sendable {
    private let queue = DispatchQueue(label: "essor.delivery.sftp")
    private let curl: UnsafeMutableRawPointer?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init() {
        curl = curl_easy_init()
    }

    /// Runs one upload on the handle's queue.
    func perform(_ request: SFTPRequest, configuration: SFTPTransportConfiguration, runtimeFolder: String) async
        -> SFTPOutcome
    {
        await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(
                    returning: self.performBlocking(request, configuration: configuration, runtimeFolder: runtimeFolder)
                )
            }
        }
    }

    /// Frees the handle (closing its connection) on its queue.
    func close() {
        queue.async {
            if let curl = self.curl { curl_easy_cleanup(curl) }
            self.errorBuffer.deallocate()
        }
    }

    private func performBlocking(
        _ request: SFTPRequest, configuration: SFTPTransportConfiguration, runtimeFolder: String
    ) -> SFTPOutcome {
        guard let curl else { return SFTPOutcome(errorClass: "io", message: "libcurl could not create a handle") }
        let keys: KeyFiles
        do {
            keys = try KeyFiles(request.key, folder: runtimeFolder)
        } catch {
            return SFTPOutcome(errorClass: "io", message: error.message)
        }
        defer { keys.remove() }

        let source = ReadSource(request.bytes)
        let url = request.url
        var postQuote: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, url.renameCommand)
        var resolve: UnsafeMutablePointer<curl_slist>? = nil
        if IPAddress(url.host) == nil {
            // Pin the name to the address the guard checked (and drop what an earlier transfer pinned).
            resolve = curl_slist_append(resolve, "-\(url.host):\(url.port)")
            resolve = curl_slist_append(resolve, "\(url.host):\(url.port):\(request.address.hostLiteral)")
        }
        defer {
            essor_curl_setopt_pointer(curl, CURLOPT_POSTQUOTE, nil)
            essor_curl_setopt_pointer(curl, CURLOPT_RESOLVE, nil)
            essor_curl_setopt_pointer(curl, CURLOPT_READDATA, nil)
            curl_slist_free_all(postQuote)
            curl_slist_free_all(resolve)
            postQuote = nil
        }

        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var failed = CURLE_OK
        func set(_ result: CURLcode) { if failed == CURLE_OK { failed = result } }
        set(essor_curl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, errorBuffer))
        set(essor_curl_setopt_string(curl, CURLOPT_PROTOCOLS_STR, "sftp"))
        set(essor_curl_setopt_string(curl, CURLOPT_URL, url.uploadURL))
        set(essor_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1))
        set(essor_curl_setopt_long(curl, CURLOPT_UPLOAD, 1))
        set(essor_curl_setopt_long(curl, CURLOPT_NOBODY, 0))
        set(
            essor_curl_setopt_pointer(
                curl, CURLOPT_READFUNCTION, unsafeBitCast(readBytes, to: UnsafeMutableRawPointer.self)))
        set(essor_curl_setopt_pointer(curl, CURLOPT_READDATA, Unmanaged.passUnretained(source).toOpaque()))
        set(essor_curl_setopt_off_t(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t(request.bytes.count)))
        set(essor_curl_setopt_string(curl, CURLOPT_USERNAME, request.username))
        set(essor_curl_setopt_long(curl, CURLOPT_SSH_AUTH_TYPES, Int(CURLSSH_AUTH_PUBLICKEY)))
        set(essor_curl_setopt_string(curl, CURLOPT_SSH_PRIVATE_KEYFILE, keys.privatePath))
        set(essor_curl_setopt_string(curl, CURLOPT_SSH_PUBLIC_KEYFILE, keys.publicPath))
        set(essor_curl_setopt_string(curl, CURLOPT_SSH_HOST_PUBLIC_KEY_SHA256, request.fingerprint))
        set(essor_curl_setopt_long(curl, CURLOPT_FTP_CREATE_MISSING_DIRS, Int(CURLFTP_CREATE_DIR.rawValue)))
        set(essor_curl_setopt_pointer(curl, CURLOPT_POSTQUOTE, postQuote))
        set(essor_curl_setopt_pointer(curl, CURLOPT_RESOLVE, resolve))
        let connectMilliseconds =
            configuration.connectTimeout.components.seconds * 1000
            + configuration.connectTimeout.components.attoseconds / 1_000_000_000_000_000
        set(essor_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, Int(connectMilliseconds)))
        set(essor_curl_setopt_long(curl, CURLOPT_LOW_SPEED_LIMIT, configuration.lowSpeedBytesPerSecond))
        set(essor_curl_setopt_long(curl, CURLOPT_LOW_SPEED_TIME, configuration.lowSpeedSeconds))
        guard failed == CURLE_OK else {
            return SFTPOutcome(
                curlCode: Int(failed.rawValue), errorClass: "io",
                message: "libcurl refused an option: \(String(cString: curl_easy_strerror(failed)))")
        }

        let code = curl_easy_perform(curl)
        guard code != CURLE_OK else { return SFTPOutcome(curlCode: 0) }
        if code == CURLE_QUOTE_ERROR, alreadyInPlace(request, curl: curl) {
            // SFTP v3 renames never replace: the final name exists, with this message's size, from an earlier
            // attempt whose success was not recorded (a crash between sending and recording). It is delivered.
            return SFTPOutcome(curlCode: 0)
        }
        let detail = String(cString: errorBuffer)
        let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        return SFTPHandle.outcome(code: Int(code.rawValue), reason: reason, request: request)
    }

    /// After a failed rename: removes the temporary file and tells whether the final name already holds a file of
    /// the message's size (the same message, delivered by an earlier attempt).
    private func alreadyInPlace(_ request: SFTPRequest, curl: UnsafeMutableRawPointer) -> Bool {
        var quote: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, request.url.removePartCommand)
        defer {
            essor_curl_setopt_pointer(curl, CURLOPT_QUOTE, nil)
            essor_curl_setopt_long(curl, CURLOPT_NOBODY, 0)
            curl_slist_free_all(quote)
            quote = nil
        }
        essor_curl_setopt_pointer(curl, CURLOPT_POSTQUOTE, nil)
        essor_curl_setopt_long(curl, CURLOPT_UPLOAD, 0)
        essor_curl_setopt_long(curl, CURLOPT_NOBODY, 1)
        essor_curl_setopt_pointer(curl, CURLOPT_QUOTE, quote)
        essor_curl_setopt_string(curl, CURLOPT_URL, request.url.finalURL)
        guard curl_easy_perform(curl) == CURLE_OK else { return false }
        var size: curl_off_t = -1
        guard essor_curl_getinfo_off_t(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &size) == CURLE_OK else { return false }
        return size == curl_off_t(request.bytes.count)
    }

    /// The class and message of a libcurl failure.
    static func outcome(code: Int, reason: String, request: SFTPRequest) -> SFTPOutcome {
        let peer = "\(request.url.host) (\(request.address)) port \(request.url.port)"
        let (errorClass, message): (String, String) =
            switch code {
            case 60:
                ("host-key", "the host key of \(peer) is not the pinned one (SHA256:\(request.fingerprint)): \(reason)")
            case 67: ("auth", "\(peer) refused the login of \(request.username) with the subscription's key: \(reason)")
            case 6, 7: ("connect", "cannot connect to \(peer): \(reason)")
            case 28: ("timeout", "\(peer) timed out: \(reason)")
            case 21:
                (
                    "io",
                    "\(peer): renaming \(request.url.partName) to \(request.url.fileName) failed (does it exist?): \(reason)"
                )
            default: ("io", "\(peer): \(reason)")
            }
        return SFTPOutcome(curlCode: code, errorClass: errorClass, message: message)
    }
}

/// The bytes libcurl reads, through ``readBytes``.
private final class ReadSource {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }
}

/// libcurl's read callback (`CURLOPT_READFUNCTION`): copies the next bytes of the `ReadSource` in `context`.
private let readBytes: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let source = Unmanaged<ReadSource>.fromOpaque(context).takeUnretainedValue()
    let length = min(size * count, source.bytes.count - source.offset)
    guard length > 0 else { return 0 }
    source.bytes.withUnsafeBytes { raw in
        UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress! + source.offset, byteCount: length)
    }
    source.offset += length
    return length
}
