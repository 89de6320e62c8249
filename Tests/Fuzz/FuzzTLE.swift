// libFuzzer entry point for the TLE/3LE reader: any input must produce a result, never a crash or a hang.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTLE(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let result = TLECatalogue.parse(bytes, strictness: .strict)
    if result.diagnostics.isEmpty { _ = TLECatalogue.write(result.sets) }
    return 0
}
