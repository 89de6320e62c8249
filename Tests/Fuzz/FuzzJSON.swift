// libFuzzer entry point for the JSON reader: any input must produce a result, never a crash or a hang.
// Built by Tests/Fuzz/run with `swiftc -sanitize=fuzzer -parse-as-library` over the CCSDS sources.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let result = MessageReader.read(bytes, encoding: .json, strictness: size % 2 == 0 ? .strict : .lenient)
    if let message = result.message, result.isValid {
        // A message that reads as valid must also write and read back.
        _ = try? MessageWriter.write(message, as: .json)
    }
    return 0
}
